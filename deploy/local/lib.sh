# Shared steps of the local stack (sourced by up.sh and test.sh): system packages, a private
# PostgreSQL cluster under the checkout, one schema and role per service, the dev broker.
# Everything listens on loopback only.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=${LAYAR_DATA_DIR:-$ROOT/.data}
# Below the kernel's ephemeral range (32768-60999): a port in it can be taken by any outgoing
# connection, and was, once, while the fault suite restarted PostgreSQL.
PGPORT=${LAYAR_PG_PORT:-25432}
SERVICES=(intake verification assignment notification survey)
# The services' gRPC ports: 50051-50055 by default (gRPC's custom). Those lie in the kernel's
# ephemeral range, where an outgoing connection can hold one at the moment a service binds (seen
# once in test.sh); the test stacks use LAYAR_GRPC_PORT_BASE=25051 instead. layarctl and the
# portal find them through the LAYAR_<SERVICE>_ADDR variables exported here.
GRPC_PORT_BASE=${LAYAR_GRPC_PORT_BASE:-50051}
declare -A GRPC_PORTS=([intake]=$GRPC_PORT_BASE [verification]=$((GRPC_PORT_BASE + 1)) [assignment]=$((GRPC_PORT_BASE + 2))
  [notification]=$((GRPC_PORT_BASE + 3)) [survey]=$((GRPC_PORT_BASE + 4)))
export LAYAR_INTAKE_ADDR=127.0.0.1:${GRPC_PORTS[intake]} LAYAR_VERIFICATION_ADDR=127.0.0.1:${GRPC_PORTS[verification]}
export LAYAR_ASSIGNMENT_ADDR=127.0.0.1:${GRPC_PORTS[assignment]} LAYAR_NOTIFICATION_ADDR=127.0.0.1:${GRPC_PORTS[notification]}
export LAYAR_SURVEY_ADDR=127.0.0.1:${GRPC_PORTS[survey]}
PIDS=()
BROKER_PID=

log() { printf '\033[1m[layar]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs what is missing: librdkafka-dev, libpq-dev, postgresql (Debian/Ubuntu).
install_packages() {
  local need=()
  pkg-config --exists rdkafka 2>/dev/null || need+=(librdkafka-dev)
  pkg-config --exists libpq 2>/dev/null || need+=(libpq-dev)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
  command -v pkg-config >/dev/null || need+=(pkg-config)
  command -v curl >/dev/null || need+=(curl)
  command -v openssl >/dev/null || need+=(openssl)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    as_root apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root: when we are root, the server runs as the 'postgres' user.
pg_run() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

# Where the cluster of $DATA lives when the server user cannot reach $DATA (a private temporary
# checkout, say): one folder per data directory, so two clusters never share one.
pg_fallback_dir() { echo "/var/tmp/layar-pg-$(echo "$DATA" | md5sum | cut -c1-8)"; }

# Starts a private cluster in $DATA/pg (or a folder the server user can reach).
start_postgres() {
  local bin; bin=$(pg_bin)
  PGDATA_DIR=$DATA/pg
  mkdir -p "$DATA"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/sh postgres
    chmod o+x "$DATA"
    if ! su postgres -s /bin/sh -c "test -x '$DATA'"; then
      PGDATA_DIR=$(pg_fallback_dir)
      log "the postgres user cannot reach $DATA; using $PGDATA_DIR"
    fi
    mkdir -p "$PGDATA_DIR"
    chown postgres "$PGDATA_DIR"
  fi
  PGSOCKET=$PGDATA_DIR/socket
  if [ ! -f "$PGDATA_DIR/db/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $PGDATA_DIR/db"
    pg_run "$bin/initdb" -D "$PGDATA_DIR/db" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --no-locale >/dev/null
  fi
  pg_run mkdir -p "$PGSOCKET"
  if pg_run "$bin/pg_ctl" -D "$PGDATA_DIR/db" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PGPORT"
  else
    # 300 connections: a test run opens a scratch schema with its own pool per test, many suites side by side.
    pg_run "$bin/pg_ctl" -D "$PGDATA_DIR/db" -l "$PGDATA_DIR/server.log" -w -t 60 \
      -o "-p $PGPORT -k $PGSOCKET -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
      || die "PostgreSQL did not start: see $PGDATA_DIR/server.log"
    log "PostgreSQL on 127.0.0.1:$PGPORT"
  fi
}

stop_postgres() {
  [ -n "${PGDATA_DIR:-}" ] || return 0
  pg_run "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR/db" -m fast -w stop >/dev/null 2>&1 || true
}

psql_admin() { pg_run "$(pg_bin)/psql" -q -h "$PGSOCKET" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

# Creates database $1 provisioned as production provisions it (deploy/postgres/init-roles.sh:
# a role and schema per service and for the portal, each service's audit log owned by its own
# role), with dev passwords, plus extra roles named in $2... (used by tests). Idempotent.
create_database() {
  local db=$1; shift
  psql_admin -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || psql_admin -d postgres -c "CREATE DATABASE $db"
  local role passwords=()
  for role in "${SERVICES[@]}" portal; do passwords+=("LAYAR_DB_PASSWORD_${role^^}=$role-dev"); done
  # Local connections are trusted (see start_postgres): psql reaches the socket as any user.
  env "${passwords[@]}" POSTGRES_USER=postgres POSTGRES_DB="$db" PGHOST="$PGSOCKET" PGPORT="$PGPORT" \
    bash "$ROOT/deploy/postgres/init-roles.sh" || die "provisioning database $db failed"
  for role in "$@"; do
    psql_admin -d "$db" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$role-dev';
  END IF;
END \$\$;
CREATE SCHEMA IF NOT EXISTS $role AUTHORIZATION $role;
ALTER ROLE $role SET search_path = $role;
GRANT CONNECT ON DATABASE $db TO $role;
SQL
  done
}

database_url() { echo "postgresql://$1:$1-dev@127.0.0.1:$PGPORT/$2"; }

build() {
  log "building (swift build $*)"
  (cd "$ROOT" && swift build "$@") || die "build failed"
  BIN=$(cd "$ROOT" && swift build "$@" --show-bin-path)
}

# Starts the dev broker unless KAFKA_BROKERS points at a real Kafka; exports KAFKA_BROKERS.
start_broker() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then
    log "using Kafka at $KAFKA_BROKERS"
    return
  fi
  rm -f "$DATA/broker.addr"
  "$BIN/layar-devbroker" --address-file "$DATA/broker.addr" "$@" >"$DATA/devbroker.log" 2>&1 &
  BROKER_PID=$!
  local i
  for i in $(seq 100); do [ -s "$DATA/broker.addr" ] && break; sleep 0.1; done
  [ -s "$DATA/broker.addr" ] || die "the dev broker did not start: see $DATA/devbroker.log"
  export KAFKA_BROKERS=$(cat "$DATA/broker.addr")
  # Its mock cluster creates topics on first use and has no CreateTopics (Admin API).
  export KAFKA_TOPIC_CREATION=broker
  log "dev broker (librdkafka mock cluster) at $KAFKA_BROKERS"
}

# Services of this checkout still running from an earlier run that was cut off (a test process
# that crashed leaves the services it started): they would share the test database and take its
# outbox rows and due messages to a broker that is gone.
stop_leftovers() {
  if pgrep -f "$BIN/layar-" >/dev/null; then
    log "stopping services left running by an earlier run"
    pkill -KILL -f "$BIN/layar-" || true
  fi
}

# A development key pair for staff tokens in $DATA/keys (never in the repository): the portal
# signs with the private key, the services check with the public one. Exports the variables
# both read, and LAYAR_TOKEN_SIGNING_KEY_FILE for tools that sign (the load generator).
TOKEN_KEY_ID=dev-1
ensure_token_keys() {
  mkdir -p "$DATA/keys/public"
  if [ ! -s "$DATA/keys/signing.pem" ]; then
    (umask 077; openssl genpkey -algorithm ed25519 -out "$DATA/keys/signing.pem")
  fi
  openssl pkey -in "$DATA/keys/signing.pem" -pubout -out "$DATA/keys/public/$TOKEN_KEY_ID.pem"
  chmod -R a+rX "$DATA/keys/public"
  export LAYAR_TOKEN_KEYS_DIR=$DATA/keys/public LAYAR_TOKEN_SIGNING_KEY_FILE=$DATA/keys/signing.pem LAYAR_TOKEN_SIGNING_KEY_ID=$TOKEN_KEY_ID
}

# The services' data master keys (personal data sealed at rest), one directory per service.
ensure_data_keys() {
  local service
  for service in "${SERVICES[@]}"; do
    mkdir -p "$DATA/keys/data/$service"
    if ! ls "$DATA/keys/data/$service"/*.key >/dev/null 2>&1; then
      (umask 077; openssl rand -base64 32 > "$DATA/keys/data/$service/dev-1.key")
    fi
  done
}

# Stops the services (SIGTERM: they drain and commit; SIGKILL after 15 s), then the dev broker
# they drain to, then PostgreSQL.
# Starts the five services against database $1 (logs in $DATA/logs) and waits until all serve.
start_services() {
  local db=$1 service
  mkdir -p "$DATA/logs"
  ensure_token_keys
  ensure_data_keys
  for service in "${SERVICES[@]}"; do
    LAYAR_DATA_KEYS_DIR=$DATA/keys/data/$service \
    LAYAR_DATABASE_URL=$(database_url "$service" "$db") LAYAR_GRPC_PORT=${GRPC_PORTS[$service]} LAYAR_PORTAL_URL=http://127.0.0.1:${LAYAR_PORTAL_PORT:-8080} \
      "$BIN/layar-$service" >"$DATA/logs/$service.log" 2>&1 &
    PIDS+=($!)
  done
  for _ in $(seq 120); do "$BIN/layarctl" health >/dev/null 2>&1 && break; sleep 0.5; done
  "$BIN/layarctl" health || die "not every service is serving: see $DATA/logs/"
}

# Starts the web portal against database $1 on LAYAR_PORTAL_PORT (8080) with a development
# administrator (LAYAR_PORTAL_ADMIN_USER / LAYAR_PORTAL_ADMIN_PASSWORD) and waits until it serves.
PORTAL_PORT=${LAYAR_PORTAL_PORT:-8080}
PORTAL_ADMIN_USER=${LAYAR_PORTAL_ADMIN_USER:-admin}
PORTAL_ADMIN_PASSWORD=${LAYAR_PORTAL_ADMIN_PASSWORD:-layar-admin-dev}
start_portal() {
  local db=$1
  ensure_token_keys
  LAYAR_DATABASE_URL=$(database_url portal "$db") LAYAR_PORTAL_PORT=$PORTAL_PORT \
    LAYAR_PORTAL_ADMIN_USER=$PORTAL_ADMIN_USER LAYAR_PORTAL_ADMIN_PASSWORD=$PORTAL_ADMIN_PASSWORD LAYAR_PORTAL_DEV_PASSWORDS=allow \
    "$BIN/layar-portal" >"$DATA/logs/portal.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 120); do curl -fsS "http://127.0.0.1:$PORTAL_PORT/healthz" >/dev/null 2>&1 && return; sleep 0.5; done
  die "the portal did not start: see $DATA/logs/portal.log"
}

# A layarctl key of the portal's account $1 (database $2), valid $3 hours: layarctl exchanges it at
# the portal for short-lived staff tokens.
staff_token() {
  LAYAR_DATABASE_URL=$(database_url portal "$2") "$BIN/layar-portal" issue-token --username "$1" --hours "${3:-12}"
}

stop_all() {
  stop_pids "${PIDS[@]}"
  stop_pids ${BROKER_PID:-}
  stop_postgres
}

stop_pids() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
