#!/usr/bin/env bash
# Browser tests of the web portal: installs Debian's chromium and chromium-driver and Selenium
# (PyPI) when missing, starts PostgreSQL, the dev broker, the five services and the portal on a
# fresh database, then drives a phone-sized Chromium through Tests/Browser/portal_browser_test.py.
# Screenshots of the key pages are kept in .data/artifacts/browser (LAYAR_ARTIFACTS_DIR).
# test.sh runs this after `swift test`; it can also run alone (after a build).
set -euo pipefail
# Ports below the ephemeral range (see lib.sh), so that no outgoing connection holds one.
export LAYAR_GRPC_PORT_BASE=${LAYAR_GRPC_PORT_BASE:-25051}
# Staff passwords with scrypt at 4 MiB instead of 64: the debug build's BoringSSL is slow at the
# real cost, and the tests sign in many times.
export LAYAR_PORTAL_PASSWORD_LOG_N=${LAYAR_PORTAL_PASSWORD_LOG_N:-12}
source "$(dirname "$0")/lib.sh"

install_packages
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium and chromium-driver"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
if [ -z "${BIN:-}" ]; then build --build-tests; fi

start_postgres
psql_admin -d postgres -c "DROP DATABASE IF EXISTS layar_browser WITH (FORCE)" >/dev/null
create_database layar_browser
trap 'stop_all' EXIT
start_broker
start_services layar_browser
start_portal layar_browser

export LAYAR_PORTAL_URL="http://127.0.0.1:$PORTAL_PORT"
export LAYAR_PORTAL_ADMIN_USER=$PORTAL_ADMIN_USER LAYAR_PORTAL_ADMIN_PASSWORD=$PORTAL_ADMIN_PASSWORD
export LAYAR_ARTIFACTS_DIR=${LAYAR_ARTIFACTS_DIR:-$DATA/artifacts/browser}
log "browser tests against $LAYAR_PORTAL_URL (screenshots in $LAYAR_ARTIFACTS_DIR)"
python3 "$ROOT/Tests/Browser/portal_browser_test.py"
