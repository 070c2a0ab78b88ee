#!/usr/bin/env bash
# Runs every command the deployment files run (compose's and the image's health checks, the
# Kubernetes Deployments' and Jobs' arguments and probes), read from those files by
# Tests/Schemas/run_deploy_commands.py, against the executables of this build on a fresh database
# and the running broker. Run by test.sh after `swift test` (PostgreSQL and the broker are up).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${BIN:-$(cd "$ROOT" && swift build --show-bin-path)}
start_postgres  # already running under test.sh: this only finds its socket
db=layar_deploy
psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
create_database $db
ensure_token_keys
ensure_data_keys
LAYAR_BIN_DIR=$BIN LAYAR_DEPLOY_DATABASE_URL="postgresql://{service}:{service}-dev@127.0.0.1:$PGPORT/$db" \
  LAYAR_DATA_KEYS_ROOT=$DATA/keys/data LAYAR_DEPLOY_LOG_DIR=$DATA/logs/deploy-commands \
  python3 "$ROOT/Tests/Schemas/run_deploy_commands.py"
