#!/usr/bin/env bash
# Benchmarks of the whole stack on this machine (release build): figures, not tests.
#   1. end to end: the load generator's closed loop finds the maximum rate, then fixed rates at
#      25 %, 50 % and 90 % of it, with per-stage latency percentiles, CPU seconds per referral over
#      every process of the stack (services, dev broker, PostgreSQL, from /proc) and RSS;
#   2. the Kafka layer against kcat (librdkafka's own C client) on the same dev broker;
#   3. the registry import against psql \copy (deploy/local/bench-registry-import.sh).
# Usage: deploy/local/bench.sh [seconds per load level (60)] [documents KiB (40)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LEVEL_SECONDS=${1:-60}
DOCUMENT_KIB=${2:-40}
OUT=$DATA/bench
mkdir -p "$OUT"

install_packages
for tool in kcat bc; do command -v $tool >/dev/null || as_root apt-get install -y -q $tool >/dev/null; done
# Release builds with the Swift runtime linked in, as the images are built (deploy/docker/Dockerfile).
for product in layar-intake layar-verification layar-assignment layar-notification layar-survey layar-devbroker layarctl layar-bench; do
  build -c release --static-swift-stdlib --product "$product"
done
start_postgres
psql_admin -d postgres -c "DROP DATABASE IF EXISTS layar_load" >/dev/null
create_database layar_load
trap 'stop_pids "${PIDS[@]}" ${BROKER_PID:-}' EXIT
start_broker --topic bench.consume:48
# Gateways here are the development log: no provider rate limit to respect.
export LAYAR_QUIET_HOURS=off LAYAR_LOG_LEVEL=warning LAYAR_NOTIFY_LOG_FILE=$OUT/notifications.jsonl LAYAR_NOTIFY_RATE=10000
# The load generator is one client far above any citizen's rate: lift intake's public-call limit.
export LAYAR_PUBLIC_CALL_LIMIT=100000 LAYAR_PUBLIC_CALL_CEILING=10000000
start_services layar_load
SERVICE_PIDS=("${PIDS[@]}")
POSTMASTER=$(head -n 1 "$PGDATA_DIR/db/postmaster.pid")

# CPU seconds (user + system) of the whole stack: services, broker, the postmaster with its
# live backends and the ones it has reaped.
ticks() {
  local total=0 pid fields
  for pid in "${SERVICE_PIDS[@]}" "$BROKER_PID" "$POSTMASTER" $(pgrep -P "$POSTMASTER"); do
    [ -r "/proc/$pid/stat" ] || continue
    fields=($(sed 's/^.*) //' "/proc/$pid/stat"))
    total=$((total + fields[11] + fields[12]))
    [ "$pid" = "$POSTMASTER" ] && total=$((total + fields[13] + fields[14]))
  done
  echo "$total"
}
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)
BENCH="$BIN/layar-bench"

sleep 5
declare -A IDLE
for i in "${!SERVICES[@]}"; do IDLE[${SERVICES[$i]}]=$(rss_mb "${SERVICE_PIDS[$i]}"); done
IDLE[broker]=$(rss_mb "$BROKER_PID")

# --- 2. Kafka layer against kcat ----------------------------------------------------------
log "Kafka: producing 1,000,000 x 500 B through the LAYAR layer and through kcat"
[ -s "$OUT/messages-500.txt" ] || head -c 499 /dev/zero | tr '\0' 'a' | awk '{for (i = 0; i < 1000000; i++) print}' >"$OUT/messages-500.txt"
ours_produce=$("$BENCH" kafka-produce --topic bench.produce.layar --count 1000000 --size 500 | awk '/^SECONDS/ {print $2}')
start=$(date +%s.%N)
kcat -P -b "$KAFKA_BROKERS" -t bench.produce.kcat -X enable.idempotence=true -X queue.buffering.max.messages=1000000 <"$OUT/messages-500.txt"
kcat_produce=$(echo "$(date +%s.%N) - $start" | bc)
log "Kafka: consuming 200,000 x 500 B from 48 partitions, each with a new consumer group (median of 3)"
# Keyed, so the messages spread evenly: the mock cluster keeps at most 5 MiB per partition.
"$BENCH" kafka-produce --topic bench.consume --count 200000 --size 500 --keyed >/dev/null
# Three rounds each, the median kept: a new group's first fetches sometimes start about a second
# late (seen with both clients on the mock cluster), which one round would count as throughput.
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
ours=() theirs=()
for _ in 1 2 3; do
  ours+=("$("$BENCH" kafka-consume --topic bench.consume --count 200000 | awk '/^SECONDS/ {print $2}')")
  start=$(date +%s.%N)
  kcat -b "$KAFKA_BROKERS" -G "kcat-$RANDOM" -X auto.offset.reset=earliest -c 200000 -q -f '\n' bench.consume >/dev/null
  theirs+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
ours_consume=$(median "${ours[@]}")
kcat_consume=$(median "${theirs[@]}")

# --- 1. End to end --------------------------------------------------------------------------
"$BENCH" prepare-workers --count 300 --capacity 200 >/dev/null
load() {  # label, load options...
  local label=$1; shift
  local before after rss_file=$OUT/rss-$label.txt
  : >"$rss_file"
  ( while true; do for i in "${!SERVICES[@]}"; do echo "${SERVICES[$i]} $(rss_mb "${SERVICE_PIDS[$i]}")"; done >>"$rss_file"; sleep 1; done ) &
  local sampler=$!
  before=$(ticks)
  "$BENCH" load --document-kib "$DOCUMENT_KIB" --duration "$LEVEL_SECONDS" --warmup 5 --json "$@" >"$OUT/load-$label.txt"
  after=$(ticks)
  kill "$sampler" 2>/dev/null || true
  echo "$(grep '^JSON ' "$OUT/load-$label.txt" | cut -c6-)" >"$OUT/load-$label.json"
  echo "CPU $((after - before))" >>"$OUT/load-$label.txt"
}
log "end to end: closed loop with 32 clients for ${LEVEL_SECONDS} s to find the maximum rate"
load max --clients 32
MAX=$(python3 -c "import json; print(json.load(open('$OUT/load-max.json'))['throughput'])")
for pct in 25 50 90; do
  rate=$(python3 -c "print(round($MAX * $pct / 100, 1))")
  log "end to end: $rate referrals/s ($pct % of $MAX) for ${LEVEL_SECONDS} s"
  load "p$pct" --rate "$rate"
done

# --- 3. Registry import ---------------------------------------------------------------------
stop_pids "${PIDS[@]}" "$BROKER_PID"
PIDS=()
BROKER_PID=
log "registry import against psql \\copy"
"$(dirname "$0")/bench-registry-import.sh" >"$OUT/registry.txt" 2>&1 || die "registry benchmark failed: see $OUT/registry.txt"

# --- The table ------------------------------------------------------------------------------
python3 - "$OUT" "$HZ" "$ours_produce" "$kcat_produce" "$ours_consume" "$kcat_consume" \
  "${IDLE[intake]} ${IDLE[verification]} ${IDLE[assignment]} ${IDLE[notification]} ${IDLE[survey]} ${IDLE[broker]}" <<'PY'
import json, re, sys
out, hz = sys.argv[1], int(sys.argv[2])
ours_p, kcat_p, ours_c, kcat_c = map(float, sys.argv[3:7])
idle = sys.argv[7].split()
services = ["intake", "verification", "assignment", "notification", "survey"]
print("\nLAYAR benchmarks (release build, dev broker = librdkafka mock cluster, PostgreSQL 15)")
print("\n1. End to end                        referrals/s  completed  p50 ms  p90 ms  p99 ms  CPU ms/referral")
for label in ["max", "p25", "p50", "p90"]:
    figures = json.load(open(f"{out}/load-{label}.json"))
    text = open(f"{out}/load-{label}.txt").read()
    cpu = int(re.search(r"^CPU (\d+)", text, re.M).group(1)) / hz
    stage = figures["submitted -> assigned"]
    per = 1000 * cpu / max(1, figures["total"])
    print(f"   {label:<33} {figures['throughput']:11.1f} {figures['completed']:10d} {stage['p50']:7.1f} {stage['p90']:7.1f} {stage['p99']:7.1f} {per:16.2f}")
    if label != "max":
        for name in ["submitted -> verified", "verified -> assigned", "assigned -> notified", "end to end (submit -> notified)"]:
            s = figures[name]
            print(f"     {name:<33}{'':22}{s['p50']:7.1f} {s['p90']:7.1f} {s['p99']:7.1f}")
print("   (latency columns: submitted -> assigned, from the events' own timestamps)")
print("\n   RSS MB            idle   max under load")
peak = {}
for label in ["max", "p25", "p50", "p90"]:
    for line in open(f"{out}/rss-{label}.txt"):
        name, mb = line.split()
        peak[name] = max(peak.get(name, 0), int(mb or 0))
for name, mb in zip(services + ["dev broker"], idle):
    print(f"   {name:<16} {mb:>5}   {peak.get(name, '-'):>5}")
print("\n2. Kafka layer against kcat          LAYAR s   kcat s   ratio (kcat time / LAYAR time)")
print(f"   produce 1,000,000 x 500 B    {ours_p:10.2f} {kcat_p:8.2f}   {kcat_p / ours_p:.2f}")
print(f"   consume 200,000 x 500 B      {ours_c:10.2f} {kcat_c:8.2f}   {kcat_c / ours_c:.2f}   (median of 3 rounds)")
print("\n3. Registry import")
for line in open(f"{out}/registry.txt"):
    if line.startswith(("layar-verification", "psql", "ratio")):
        print("   " + line.rstrip())
PY
