#!/usr/bin/env bash
# The fault suite: referrals through the five real services while services are killed with
# SIGKILL and restarted, the dev broker's brokers go down and up and fail requests, PostgreSQL is
# stopped and started, and every service is restarted gracefully under load; then an auditor
# checks that nothing was lost or applied twice (Tests/IntegrationTests/FaultSuiteTests.swift).
#
#   deploy/local/fault-test.sh [referrals] [runs] [seconds]   # default 300 referrals over 40 s, 1 run (CI)
#   deploy/local/fault-test.sh 3000 3 180                      # the full form
#
# It uses its own database (layar_faults) and dev broker, so nothing else may share them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
referrals=${1:-300}
runs=${2:-1}
seconds=${3:-40}

install_packages
if [ -z "${BIN:-}" ]; then build --build-tests; fi
stop_leftovers
start_postgres
trap 'stop_all' EXIT
rm -f "$DATA/broker.control"
unset KAFKA_BROKERS
start_broker --control-port 0 --control-file "$DATA/broker.control"
for _ in $(seq 50); do [ -s "$DATA/broker.control" ] && break; sleep 0.1; done

export LAYAR_BIN_DIR=$BIN LAYAR_FAULT_SUITE=1 LAYAR_FAULT_REFERRALS=$referrals LAYAR_FAULT_SECONDS=$seconds
export LAYAR_FAULT_BROKER_CONTROL=$(cat "$DATA/broker.control")
export LAYAR_FAULT_POSTGRES_RESTARTS_FILE=$DATA/fault-postgres-restarts
export LAYAR_TEST_SERVICE_DATABASE_URL="postgresql://{service}:{service}-dev@127.0.0.1:$PGPORT/layar_faults"
export LAYAR_TEST_DATABASE_URL=$(database_url layar_faults layar_test)
cd "$ROOT"
for run in $(seq "$runs"); do
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS layar_faults WITH (FORCE)" >/dev/null
  create_database layar_faults layar_test
  log "fault suite run $run of $runs: $referrals referrals over ${seconds}s"
  # PostgreSQL goes down for 3 s a third of the way into the load, and comes back.
  rm -f "$LAYAR_FAULT_POSTGRES_RESTARTS_FILE"
  # (Started again until it is up: a restart that failed would leave the run without a database.)
  (sleep $((seconds / 3 + 5)); stop_postgres; sleep 3
   for _ in $(seq 10); do (start_postgres) >/dev/null 2>&1 && break; sleep 1; done
   date -u +%T >> "$LAYAR_FAULT_POSTGRES_RESTARTS_FILE") &
  swift test --skip-build --filter FaultSuiteTests 2>&1 | tee "$DATA/fault-run-$run.log" | grep -E "^\[audit\]|✔|✘|Expectation" || true
  grep -q "✔ Test run with 1 test" "$DATA/fault-run-$run.log" || die "fault suite run $run failed: see $DATA/fault-run-$run.log"
done
