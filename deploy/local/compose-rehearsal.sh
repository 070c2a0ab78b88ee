#!/usr/bin/env bash
# deploy/compose.yaml rehearsed without Docker (no engine runs on the development machines): in a
# scratch copy of deploy/ with secrets from deploy/dev-secrets.sh, PostgreSQL initialised as its
# container would be (a cluster of its own), then every LAYAR service started with exactly its
# compose command, environment and secret files, host names mapped to loopback, each health check
# passing in depends_on order, a referral assigned and shown on the portal's tracking page, and a
# clean SIGTERM stop (Tests/Schemas/compose_rehearsal.py says what is read and how it is mapped).
# Kafka is the broker in KAFKA_BROKERS (test.sh's dev broker). Run by test.sh after `swift test`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${BIN:-$(cd "$ROOT" && swift build --show-bin-path)}
[ -n "${KAFKA_BROKERS:-}" ] || die "KAFKA_BROKERS must name a broker (test.sh starts the dev broker)"

work=$DATA/compose-rehearsal
# compose's postgres container: a fresh cluster of the rehearsal's own, on another port. What an
# earlier run left is stopped and removed, wherever start_postgres put it.
DATA=$work
PGPORT=${LAYAR_REHEARSAL_PG_PORT:-25434}
for dir in "$work/pg" "$(pg_fallback_dir)"; do
  PGDATA_DIR=$dir stop_postgres
  rm -rf "$dir"
done
rm -rf "$work"
mkdir -p "$work"
cp -r "$ROOT/deploy/compose.yaml" "$ROOT/deploy/dev-secrets.sh" "$ROOT/deploy/postgres" "$ROOT/deploy/kafka" "$work/"
"$work/dev-secrets.sh" >/dev/null

start_postgres
trap stop_postgres EXIT
log "compose rehearsal in $work (PostgreSQL on 127.0.0.1:$PGPORT, Kafka at $KAFKA_BROKERS)"
LAYAR_BIN_DIR=$BIN LAYAR_COMPOSE_DIR=$work LAYAR_REHEARSAL_PG_HOST=$PGSOCKET LAYAR_REHEARSAL_PG_PORT=$PGPORT \
  python3 "$ROOT/Tests/Schemas/compose_rehearsal.py"
