#!/usr/bin/env bash
# The first job of a worker that has just reported ready (issue 15): a head and a worker (all
# processors) start, and as soon as the worker says "worker ready" a client submits
#   leibniz-pi --param terms=2000000000 --chunks 256 --baseline
# Then, in the same round, scripts/ForkJoinCeiling.java times the same kernel and chunks on a
# plain ForkJoinPool of every processor: the ceiling. Reported per round: the grid's makespan, its
# speedup over the client's one-thread baseline, the ceiling's time and speedup, and the grid's
# share of the ceiling (ceiling time / grid makespan), and the makespan of the same job submitted
# again right after (the grid with nothing new to it).
#
#   scripts/first-job.sh [-r ROUNDS] [path/to/grid.jar ...]     (default: 3 rounds, deploy/target/grid.jar)
#
# Give two jars (an older build and this one) to compare them: they take turns in every round, and
# the ceiling is timed once per round with the first.
# Every process it starts is stopped by its PID on exit.
set -euo pipefail
ROUNDS=3
if [ "${1:-}" = "-r" ]; then ROUNDS=$2; shift 2; fi
[ $# -gt 0 ] || set -- deploy/target/grid.jar
PORT=${GRID_BENCH_PORT:-25740}
SEED=127.0.0.1:$PORT
TERMS=2000000000
CHUNKS=256
LOG=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for round in $(seq 1 "$ROUNDS"); do
  results=()
  for JAR in "$@"; do
    java -jar "$JAR" head --port "$PORT" --no-metrics --no-http >"$LOG/head.out" 2>"$LOG/head.err" &
    head=$!
    java -Dgrid.join-timeout=180s -jar "$JAR" worker --seed "$SEED" --no-metrics >"$LOG/worker.out" 2>"$LOG/worker.err" &
    worker=$!
    pids=("$head" "$worker")
    for _ in $(seq 1 2400); do
      grep -q "worker ready" "$LOG/worker.out" 2>/dev/null && break
      sleep 0.1
    done
    grep -q "worker ready" "$LOG/worker.out" || { echo "$JAR: worker did not start; see $LOG"; exit 1; }
    grid=$(java -jar "$JAR" submit --seed "$SEED" leibniz-pi --param terms=$TERMS --chunks $CHUNKS --baseline --json \
      --no-progress | python3 -c "import json,sys; r=json.load(sys.stdin)['report']; print('%.0f %.0f' % (r['makespanMillis'], r['baselineMillis']))")
    # The same job again on the same worker: what the grid gives once nothing is new to it.
    second=$(java -jar "$JAR" submit --seed "$SEED" leibniz-pi --param terms=$TERMS --chunks $CHUNKS --json \
      --no-progress | python3 -c "import json,sys; print('%.0f' % json.load(sys.stdin)['report']['makespanMillis'])")
    results+=("$JAR $grid $second $(grep -o 'kernels warmed in [0-9]* ms' "$LOG/worker.err" "$LOG/worker.out" | head -1 | grep -o '[0-9]* ms')")
    kill "$worker" "$head" 2>/dev/null || true
    wait "$worker" "$head" 2>/dev/null || true
    pids=()
  done
  ceiling=$(java -cp "$1" scripts/ForkJoinCeiling.java $TERMS $CHUNKS \
    | awk '/one thread/ {s=$3} /ForkJoinPool/ {p=$4} END {print s, p}')
  read -r one fj <<<"$ceiling"
  echo "round $round: ceiling ${fj} ms, speedup $(python3 -c "print('%.2f' % ($one / $fj))") over ${one} ms on one thread"
  for r in "${results[@]}"; do
    read -r jar makespan baseline second warmed _ <<<"$r"
    python3 -c "
m, b, s, p = $makespan, $baseline, $one, $fj
print('  %s: first job %.0f ms (speedup %.2f over its %.0f ms baseline; worker warmed in $warmed ms); '
      'of the ceiling: time %.2f, speedup %.2f; second job %.0f ms, of the ceiling %.2f' % ('$jar', m, b / m, b, p / m, (b / m) / (s / p), $second, p / $second))"
  done
done
