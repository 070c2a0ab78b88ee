#!/usr/bin/env bash
# Proof that no test depends on the day it runs: the runtime, service and portal suites again with
# the process's wall clock shifted by libfaketime (Debian's faketime) to instants chosen to break
# date assumptions:
#   - 400 days from now (a suite frozen on a date passes today and fails next year);
#   - Sunday 13 December 2026, 23:30 WITA = 15:30 UTC (the end of a day in Balangan but not in UTC,
#     a weekend, inside the notification quiet hours);
#   - Tuesday 29 February 2028, 12:00 WITA = 04:00 UTC (a leap day).
# The clock runs on from each start. Only the test process is shifted: PostgreSQL and the dev broker
# keep the real time, so anything that compared the process's "now" with PostgreSQL's now() would
# fail here. The monotonic clocks stay real (timeouts and durations), and
# Tests/ShiftedClock/shifted_clock_fixes.c is preloaded before libfaketime to mend two waits that
# libfaketime 0.9.10 otherwise stretches to the shifted distance (librdkafka's C11 condition waits and
# libdispatch's monotonic timerfds, i.e. every Kafka poll and every Task.sleep).
#
# Run by test.sh after `swift test`, in its environment (PostgreSQL, the broker, the built tests);
# LAYAR_SHIFTED_CLOCK_FILTER overrides which suites run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
filter=${LAYAR_SHIFTED_CLOCK_FILTER:-RuntimeTests|ServiceTests|PortalTests}

if ! command -v faketime >/dev/null; then
  log "installing faketime"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends faketime >/dev/null
fi
fixes=$DATA/shifted-clock/shifted_clock_fixes.so
mkdir -p "$(dirname "$fixes")"
gcc -shared -fPIC -O2 -Wall -Werror -o "$fixes" "$ROOT/Tests/ShiftedClock/shifted_clock_fixes.c" -ldl

cd "$ROOT"
for instant in "+400d" "@2026-12-13 15:30:00" "@2028-02-29 04:00:00"; do
  log "swift test ($filter) with the clock at $instant (UTC)"
  # faketime appends libfaketime to LD_PRELOAD, so the fixes come first and interpose it.
  TZ=UTC LD_PRELOAD=$fixes FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$instant" \
    sh -c 'date -u "+[layar] the tests see %Y-%m-%d %H:%M:%S UTC (%A)" >&2; exec "$@"' sh \
    swift test --skip-build --filter "$filter" || die "the tests failed with the clock at $instant"
done
