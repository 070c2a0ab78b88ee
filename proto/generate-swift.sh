#!/usr/bin/env bash
# Regenerates the committed Swift code of the shared schema module from proto/.
# The build never runs protoc plugins: run this after changing a .proto file and commit the result.
# Needs Debian's protoc (protobuf-compiler); the plugins are built from the package's own
# dependencies (swift-protobuf, grpc-swift-protobuf) into a separate scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "protoc missing: apt-get install protobuf-compiler libprotobuf-dev" >&2; exit 1; }

scratch=${PROTOC_PLUGIN_SCRATCH:-.build-protoc}
swift build -c release --scratch-path "$scratch" --product protoc-gen-swift
swift build -c release --scratch-path "$scratch" --product protoc-gen-grpc-swift-2
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)

out=$PWD/Shared/LayarSchema/Generated  # absolute, like $bin: protoc runs inside proto/
rm -rf "$out" && mkdir -p "$out"
protos=$(cd proto && find . -name '*.proto' | sed 's|^\./||' | sort)
(cd proto && protoc -I . \
  --plugin="$bin/protoc-gen-swift" --swift_out="$out" \
  --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
  --plugin="$bin/protoc-gen-grpc-swift-2" --grpc-swift-2_out="$out" \
  --grpc-swift-2_opt=Visibility=Public --grpc-swift-2_opt=FileNaming=PathToUnderscores \
  $protos)
# Files without a service hold only the header comment.
grep -L "ServiceDescriptor" "$out"/*.grpc.swift | xargs -r rm
echo "generated $(ls "$out" | wc -l) files into $out"
