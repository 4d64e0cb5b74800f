#!/usr/bin/env bash
# What a client pays to reach the grid, for one or more builds of grid.jar measured in turn:
# a head and a one-core worker as two JVMs on loopback, then from a third (client) JVM
#   - one-chunk noop jobs back to back: round-trip p50/p99 once every JVM has compiled the path
#     (2,000 jobs measured after 15,000);
#   - `grid status --seed`: wall time of the whole command (`java -jar`), best and median of 5;
#     and, where the jar is this repository's deploy/target/grid.jar, through deploy/bin/grid.
#
#   scripts/client-latency.sh [path/to/grid.jar ...]     (default: deploy/target/grid.jar)
#
# Give two jars (say an older build and this one) to compare them in one run; give them twice
# (a b a b) to see the machine's noise. Every process it starts is stopped by its PID on exit.
set -euo pipefail
[ $# -gt 0 ] || set -- deploy/target/grid.jar
PORT=${GRID_BENCH_PORT:-25710}
SEED=127.0.0.1:$PORT
LOG=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

for jar in "$@"; do
  java -jar "$jar" head --port "$PORT" --no-metrics --no-http >"$LOG/head.out" 2>"$LOG/head.err" &
  head=$!
  java -jar "$jar" worker --seed "$SEED" --cores 1 --no-metrics >"$LOG/worker.out" 2>"$LOG/worker.err" &
  worker=$!
  pids=("$head" "$worker")
  for _ in $(seq 1 120); do
    grep -q "worker ready" "$LOG/worker.out" 2>/dev/null && break
    sleep 0.5
  done
  grep -q "worker ready" "$LOG/worker.out" || { echo "$jar: worker did not start; see $LOG"; exit 1; }
  java -jar "$jar" submit --seed "$SEED" noop --chunks 1 --repeat 17000 --warm-up-runs 15000 --json --no-progress \
    | field "'$jar: one-chunk round trip over %d runs after 15,000 warm-up jobs: p50 %.3f ms, p99 %.3f ms' % (d['repeat']['runs'], d['repeat']['roundTripMillis']['p50'], d['repeat']['roundTripMillis']['p99'])"
  times=()
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    java -jar "$jar" status --seed "$SEED" >/dev/null
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "$jar: grid status --seed, whole command: best ${sorted[0]} ms, median ${sorted[2]} ms (${times[*]})"
  if [ "$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")" = "$(pwd)/deploy/target/grid.jar" ]; then
    deploy/bin/grid --version >/dev/null  # makes its class-data archive if need be
    times=()
    for _ in 1 2 3 4 5; do
      start=$(date +%s%N)
      deploy/bin/grid status --seed "$SEED" >/dev/null
      times+=($(( ($(date +%s%N) - start) / 1000000 )))
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    echo "deploy/bin/grid status --seed, whole command: best ${sorted[0]} ms, median ${sorted[2]} ms (${times[*]})"
  fi
  kill "$worker" "$head" 2>/dev/null || true
  wait "$worker" "$head" 2>/dev/null || true
  pids=()
done
