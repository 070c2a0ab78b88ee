#!/usr/bin/env bash
# Brings up the whole LAYAR stack on this machine: system packages, PostgreSQL, the dev broker
# (unless KAFKA_BROKERS is set), the five services and the web portal. Ctrl-C stops everything cleanly.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

install_packages
build --build-tests  # the same build as test.sh, so switching between them rebuilds nothing
stop_leftovers
start_postgres
create_database layar
trap 'log "stopping"; stop_all; log "stopped"' EXIT
trap 'exit 0' INT TERM
start_broker

start_services layar
start_portal layar
TOKEN=$(staff_token "$PORTAL_ADMIN_USER" layar 12)

cat <<TXT

LAYAR is running (logs in $DATA/logs):
  web portal    http://127.0.0.1:$PORTAL_PORT/   (staff console: /staf, user $PORTAL_ADMIN_USER, password $PORTAL_ADMIN_PASSWORD)
  intake        127.0.0.1:50051      verification  127.0.0.1:50052
  assignment    127.0.0.1:50053      notification  127.0.0.1:50054
  survey        127.0.0.1:50055      Kafka         $KAFKA_BROKERS
  PostgreSQL    127.0.0.1:$PGPORT (database layar, one schema and role per service)

Try it in another terminal:
  alias layarctl=$BIN/layarctl
  export LAYAR_TOKEN=$TOKEN   # staff commands: $PORTAL_ADMIN_USER's layarctl key for 12 hours
  export LAYAR_PORTAL_URL=http://127.0.0.1:$PORTAL_PORT   # where layarctl exchanges it for short tokens
  layarctl example-form > /tmp/form.json
  layarctl submit /tmp/form.json                 # prints the tracking code and its PIN (shown once)
  LAYAR_TRACKING_PIN=<pin> layarctl track LYR-XXXX-XXXX   # submitted -> verified -> assigned
  layarctl case <referral_id>                    # then assess, suggest, offer: see README.md
  KAFKA_BROKERS=$KAFKA_BROKERS layarctl tail --from-beginning layar.assignment.cases.v1

Ctrl-C stops everything.
TXT
wait
