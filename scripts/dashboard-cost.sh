#!/usr/bin/env bash
# What an open dashboard costs the head: a head and one worker as two JVMs on loopback, noop jobs
# of 1,000,000 chunks from a third (client) JVM, with a headless chromium showing the head's
# dashboard (http://127.0.0.1:PORT/) and with none, alternating in the same run:
#   warm-up, then closed, open, closed, open, closed, open, closed, open.
# Each round runs 6 such jobs from one client (the first a warm-up) with the page in one state:
# the grid's chunks/s (of the median run) and the head JVM's CPU seconds over the round (from
# /proc/PID/stat; over the round's wall time, client start included, its share of a core). Then
# one job of 10,000,000 chunks each way, twice (it lasts several ticks); then the head's CPU over
# 10 s with no job, page open and closed, twice; and the browser's own CPU.
#
#   scripts/dashboard-cost.sh [path/to/grid.jar]
#
# Needs Linux (/proc) and /usr/bin/chromium. Every process it starts is stopped by its PID on exit.
set -euo pipefail
JAR=${1:-deploy/target/grid.jar}
PORT=${GRID_BENCH_PORT:-25540}
HTTP_PORT=${GRID_BENCH_HTTP_PORT:-25548}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SEED=127.0.0.1:$PORT
CHUNKS=1000000
TICKS=$(getconf CLK_TCK)
[ -x "$CHROMIUM" ] || { echo "no browser at $CHROMIUM (apt-get install chromium)"; exit 1; }
[ -f "$JAR" ] || { echo "no $JAR: build it with mvn -B -o -q package -DskipTests"; exit 1; }

LOG=$(mktemp -d)
pids=()
browser=
cleanup() {
  [ -n "$browser" ] && kill "$browser" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# CPU seconds a process has used so far (user + system).
cpu() { awk -v t="$TICKS" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }
# CPU seconds of a process and its children (chromium runs several).
tree_cpu() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" 2>/dev/null || true); do
    [ -r "/proc/$p/stat" ] && total=$(awk -v a="$total" -v b="$(cpu "$p" 2>/dev/null || echo 0)" 'BEGIN { print a + b }')
  done
  echo "$total"
}

open_page() {
  "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$LOG/chromium" --remote-debugging-port=0 --window-size=1280,1400 \
    "http://127.0.0.1:$HTTP_PORT/" >"$LOG/chromium.out" 2>&1 &
  browser=$!
  # The page is open once it holds the tick stream: a connection to the head's HTTP port.
  for _ in $(seq 1 100); do
    [ "$(ss -Htn state established "( dport = :$HTTP_PORT )" | wc -l)" -gt 0 ] && return 0
    sleep 0.2
  done
  echo "the browser never connected to the dashboard; see $LOG/chromium.out"; exit 1
}

close_page() {
  kill "$browser" 2>/dev/null || true
  wait "$browser" 2>/dev/null || true
  browser=
}

java -jar "$JAR" head --port "$PORT" --http-port "$HTTP_PORT" --no-metrics --no-journal \
  >"$LOG/head.out" 2>"$LOG/head.err" &
head=$!; pids+=($head)
java -jar "$JAR" worker --seed "$SEED" --no-metrics >"$LOG/worker.out" 2>"$LOG/worker.err" &
worker=$!; pids+=($worker)
for _ in $(seq 1 120); do grep -q "worker ready" "$LOG/worker.out" 2>/dev/null && break; sleep 0.5; done
grep -q "worker ready" "$LOG/worker.out" || { echo "worker did not start; see $LOG"; exit 1; }

# One round: RUNS noop jobs of CHUNKS chunks from one client (the first a warm-up). Prints
# "chunks/s(median run) head-CPU-s browser-CPU-s wall-s".
round() {
  local before browser_before after browser_after started ended
  before=$(cpu "$head")
  browser_before=$([ -n "$browser" ] && tree_cpu "$browser" || echo 0)
  started=$(date +%s.%N)
  java -jar "$JAR" submit --seed "$SEED" --json --no-progress --repeat "$RUNS" --warm-up-runs $((RUNS > 1 ? 1 : 0)) \
    noop --chunks "$CHUNKS" >"$LOG/job.json"
  ended=$(date +%s.%N)
  after=$(cpu "$head")
  browser_after=$([ -n "$browser" ] && tree_cpu "$browser" || echo 0)
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['status'] == 'COMPLETED' and d.get('repeat', {}).get('failed', 0) == 0, d['status']
rate = $CHUNKS / (d['repeat']['makespanMillis']['p50'] / 1000) if 'repeat' in d else d['report']['chunksPerSecond']
a = [float(x) for x in sys.argv[2:]]
print('%.0f %.2f %.2f %.2f' % (rate, a[1] - a[0], a[3] - a[2], a[5] - a[4]))
" "$LOG/job.json" "$before" "$after" "$browser_before" "$browser_after" "$started" "$ended"
}

idle() {
  local before after
  before=$(cpu "$head"); sleep 10; after=$(cpu "$head")
  awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", b - a }'
}

echo "head pid $head, worker pid $worker, dashboard http://127.0.0.1:$HTTP_PORT/, logs in $LOG"
RUNS=3 round >/dev/null   # warm-up: JIT, batch sizes
RUNS=6
: >"$LOG/rounds"
for page in closed open closed open closed open closed open; do
  [ "$page" = open ] && open_page
  read -r rate head_cpu browser_cpu wall < <(round)
  [ "$page" = open ] && close_page
  echo "$page $rate $head_cpu $browser_cpu $wall" >>"$LOG/rounds"
  printf 'page %-6s %d x noop %d chunks: %8.0f chunks/s (median run), head CPU %.2f s in %.1f s (%.0f %% of a core), browser CPU %.2f s\n' \
    "$page" "$((RUNS - 1))" "$CHUNKS" "$rate" "$head_cpu" "$wall" "$(awk -v c="$head_cpu" -v w="$wall" 'BEGIN { print 100 * c / w }')" "$browser_cpu"
done
# A 10^6-chunk noop job is over in a fraction of a tick: also jobs ten times that, which the page
# sees for several ticks.
for page in closed open closed open; do
  [ "$page" = open ] && open_page
  read -r rate head_cpu browser_cpu wall < <(CHUNKS=$((CHUNKS * 10)) RUNS=1 round)
  [ "$page" = open ] && close_page
  echo "long-$page $rate $head_cpu $browser_cpu $wall" >>"$LOG/rounds"
  printf 'page %-6s 1 x noop %d chunks: %8.0f chunks/s, head CPU %.2f s in %.1f s, browser CPU %.2f s\n' \
    "$page" "$((CHUNKS * 10))" "$rate" "$head_cpu" "$wall" "$browser_cpu"
done
for page in closed open closed open; do
  [ "$page" = open ] && open_page && sleep 2
  echo "idle 10 s, page $page: head CPU $(idle) s"
  [ "$page" = open ] && close_page
done

python3 - "$LOG/rounds" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for page in ("closed", "open", "long-closed", "long-open"):
    r = [row for row in rows if row[0] == page]
    rate = statistics.median(float(x[1]) for x in r)
    share = statistics.median(float(x[2]) / float(x[4]) for x in r)
    print(f"median of {len(r)} rounds, page {page:6}: {rate:9.0f} chunks/s, head {100 * share:.0f} % of a core")
EOF
