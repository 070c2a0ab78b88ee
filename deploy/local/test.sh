#!/usr/bin/env bash
# Runs the whole test suite against real components: installs system packages, starts a private
# PostgreSQL and the dev broker (unless KAFKA_BROKERS is set), then `swift test`, then the
# suites again under shifted clocks (deploy/local/shifted-clock-test.sh), the deployment files'
# commands (deploy/local/deploy-commands-test.sh), the compose rehearsal
# (deploy/local/compose-rehearsal.sh), the portal's browser tests (deploy/local/browser-test.sh),
# the fuzz targets (deploy/local/fuzz.sh) and the fault suite (deploy/local/fault-test.sh); all six
# are skipped when arguments filter `swift test`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
GIVEN_KAFKA_BROKERS=${KAFKA_BROKERS:-}

install_packages
build --build-tests
stop_leftovers
start_postgres
# Every run starts from an empty database: nothing a previous run left (open cases filling the
# case workers' capacity, say) can change what a test sees.
psql_admin -d postgres -c "DROP DATABASE IF EXISTS layar_test WITH (FORCE)" >/dev/null
create_database layar_test layar_test
psql_admin -d layar_test -c "GRANT CREATE ON DATABASE layar_test TO layar_test"
trap 'stop_all' EXIT
start_broker

export LAYAR_TEST_DATABASE_URL=$(database_url layar_test layar_test)
# Each service's own role in the test database; {service} is replaced by the test.
export LAYAR_TEST_SERVICE_DATABASE_URL="postgresql://{service}:{service}-dev@127.0.0.1:$PGPORT/layar_test"
export LAYAR_BIN_DIR=$BIN
log "checking the published contracts (AsyncAPI document of the partner topics, proto evolution) and the deployment files"
# protoc and the well-known types it imports (google/protobuf/timestamp.proto comes with
# libprotobuf-dev, only a recommendation of protobuf-compiler).
if ! command -v protoc >/dev/null || [ ! -f /usr/include/google/protobuf/timestamp.proto ]; then
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends protobuf-compiler libprotobuf-dev >/dev/null
fi
python3 -c "import jsonschema, yaml, google.protobuf" 2>/dev/null || python3 -m pip install -q jsonschema pyyaml protobuf
python3 "$ROOT/Tests/Schemas/check_contracts.py"
python3 "$ROOT/Tests/Schemas/check_personal_data.py"
python3 "$ROOT/Tests/Schemas/check_links.py"
command -v openssl >/dev/null || { as_root apt-get update -q >/dev/null; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssl >/dev/null; }
python3 "$ROOT/Tests/Schemas/check_deploy.py"
"$ROOT/deploy/local/k8s-test.sh"
log "running swift test"
cd "$ROOT"
swift test --skip-build "$@"
if [ $# -eq 0 ]; then
  # The runtime, service and portal suites again with the wall clock shifted to three instants
  # (a year on, a Sunday night in Balangan, a leap day): no test depends on the day it runs.
  "$ROOT/deploy/local/shifted-clock-test.sh"
  # Every command compose, the image and the Kubernetes manifests run, read from those files.
  BIN=$BIN "$ROOT/deploy/local/deploy-commands-test.sh"
  # compose.yaml without Docker: its services, commands, environment and secrets on loopback.
  BIN=$BIN "$ROOT/deploy/local/compose-rehearsal.sh"
  # The browser tests start their own services on a fresh database and, without a given Kafka,
  # their own dev broker (no consumer-group offsets left by the tests above).
  BIN=$BIN KAFKA_BROKERS=$GIVEN_KAFKA_BROKERS "$ROOT/deploy/local/browser-test.sh"
  # The parsers and decoders under libFuzzer, a bounded time each (LAYAR_FUZZ_SECONDS).
  "$ROOT/deploy/local/fuzz.sh"
  # The fault suite in its bounded form: 300 referrals over 40 s under crashes and faults, audited.
  BIN=$BIN "$ROOT/deploy/local/fault-test.sh" 300 1 40
fi
