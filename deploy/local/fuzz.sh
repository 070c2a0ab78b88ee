#!/usr/bin/env bash
# libFuzzer targets (swiftc -sanitize=fuzzer,address) for the NIK parser, phone normalisation,
# the names of people without papers as intake compares them,
# one registry CSV line (split, validate, re-emit for COPY), a registry header (its column layout),
# a registry worksheet's XML (XLSX rows),
# protobuf event decoding and the SMS/WhatsApp providers' webhook payloads. Each
# runs for LAYAR_FUZZ_SECONDS (default 15) from the committed seed corpus in Tests/Fuzz/corpus;
# what it finds new is kept in .data/fuzz/<target> (to promote into the seed corpus by hand), and
# a crash leaves its input in .data/fuzz/crashes. test.sh runs it after the tests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
seconds=${LAYAR_FUZZ_SECONDS:-15}
out=$DATA/fuzz
mkdir -p "$out/bin" "$out/crashes"
protobuf=$ROOT/.build/checkouts/swift-protobuf/Sources/SwiftProtobuf
[ -d "$protobuf" ] || (cd "$ROOT" && swift package resolve >/dev/null)

flags=(-sanitize=fuzzer,address -parse-as-library -Onone -g)
mkdir -p "$out/lib"

build_module() {  # name, sources...: a static library with its module, instrumented like the targets
  local name=$1; shift
  log "fuzz: building module $name"
  swiftc "${flags[@]}" -emit-library -static -emit-module -module-name "$name" -package-name "$name" -I "$out/lib" \
    -emit-module-path "$out/lib/$name.swiftmodule" -o "$out/lib/lib$name.a" "$@" 2> "$out/$name.build.log" \
    || { cat "$out/$name.build.log" >&2; die "fuzz module $name did not build"; }
}

build_target() {  # name, libraries (comma-separated), sources...
  local name=$1 libraries=$2; shift 2
  local link=()
  for library in ${libraries//,/ }; do link+=("-l$library"); done
  log "fuzz: building $name"
  swiftc "${flags[@]}" -I "$out/lib" -L "$out/lib" "${link[@]}" -module-name "Fuzz_${name//-/_}" -o "$out/bin/$name" "$@" \
    2> "$out/$name.build.log" || { cat "$out/$name.build.log" >&2; die "fuzz target $name did not build"; }
}

build_module LayarDomain "$ROOT"/Shared/Domain/*.swift
build_module SwiftProtobuf $(find "$protobuf" -name '*.swift' | sort)
build_target nik LayarDomain "$ROOT/Tests/Fuzz/FuzzNIK.swift"
build_target phone "" "$ROOT/Services/Intake/Sources/Domain/PhoneNumber.swift" "$ROOT/Tests/Fuzz/FuzzPhone.swift"
build_target person-names "" "$ROOT/Services/Intake/Sources/Domain/PersonNameKey.swift" "$ROOT/Tests/Fuzz/FuzzPersonNames.swift"
build_target registry-csv LayarDomain "$ROOT/Services/Verification/Sources/Registry/RegistryRowValidator.swift" \
  "$ROOT/Services/Verification/Sources/Registry/CSVFields.swift" "$ROOT/Tests/Fuzz/FuzzRegistryCSV.swift"
build_target registry-header LayarDomain "$ROOT/Services/Verification/Sources/Registry/RegistryRowValidator.swift" \
  "$ROOT/Services/Verification/Sources/Registry/CSVFields.swift" "$ROOT/Services/Verification/Sources/Registry/RegistryLayout.swift" \
  "$ROOT/Tests/Fuzz/FuzzRegistryHeader.swift"
registry=$ROOT/Services/Verification/Sources/Registry
build_target registry-xlsx LayarDomain "$registry/RegistryRowValidator.swift" "$registry/CSVFields.swift" \
  "$registry/RegistryLayout.swift" "$registry/XMLScanner.swift" "$registry/XLSXWorkbook.swift" "$ROOT/Tests/Fuzz/FuzzRegistryXLSX.swift"
build_target events SwiftProtobuf "$ROOT"/Shared/LayarSchema/Generated/*.pb.swift "$ROOT/Tests/Fuzz/FuzzEvents.swift"
build_module LayarSchema "$ROOT"/Shared/LayarSchema/Generated/*.pb.swift
inbound=$ROOT/Services/Notification/Sources/Inbound
build_target webhook-payloads LayarSchema,SwiftProtobuf "$inbound/InboundMessage.swift" "$inbound/TwilioPayload.swift" \
  "$inbound/WhatsAppCloudPayload.swift" "$ROOT/Services/Notification/Sources/Domain/InboundCommand.swift" \
  "$ROOT/Tests/Fuzz/FuzzWebhookPayloads.swift"

status=0
for target in nik phone person-names registry-csv registry-header registry-xlsx events webhook-payloads; do
  mkdir -p "$out/$target"
  log "fuzz: $target for ${seconds}s"
  if ! "$out/bin/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$out/crashes/$target-" -print_final_stats=1 \
      "$out/$target" "$ROOT/Tests/Fuzz/corpus/$target" > "$out/$target.log" 2>&1; then
    status=1
    tail -40 "$out/$target.log" >&2
    log "fuzz: $target FAILED (input in $out/crashes)"
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$out/$target.log" | tr '\n' ' ' | sed "s/^/[$target] /" >&2; echo >&2
  fi
done
exit $status
