#!/usr/bin/env bash
# A fresh client JVM's first jobs, as a tool's JVM sees them (issue 15): one-chunk noop jobs back
# to back from a new client JVM, 200 warm-up jobs, then round-trip p50/p99 over the next 1,000.
# A head and a one-core worker run as two JVMs on loopback; before the first client they serve
# PREWARM jobs (default 15,000) from a client of their own, as a long-lived grid would have done.
# PREWARM=0 measures against a head and worker that served nothing (the first client only).
#
#   scripts/fresh-client.sh [-r ROUNDS] 'NAME=CLIENT COMMAND' ...
#
#   scripts/fresh-client.sh -r 4 'java=java -jar deploy/target/grid.jar' 'launcher=deploy/bin/grid'
#
# Each CLIENT COMMAND is run as `CLIENT COMMAND submit --seed ... noop ...`; the variants take
# turns, ROUNDS times (default 3), so that a shared machine's drift hits them alike. The head and
# worker are started from GRID_JAR (default deploy/target/grid.jar); GRID_SEED=HOST:PORT measures
# against a grid already running there instead (no head, worker or PREWARM started). Every
# process it starts is stopped by its PID on exit.
set -euo pipefail
ROUNDS=3
if [ "${1:-}" = "-r" ]; then ROUNDS=$2; shift 2; fi
[ $# -gt 0 ] || set -- "java=java -jar deploy/target/grid.jar"
JAR=${GRID_JAR:-deploy/target/grid.jar}
PORT=${GRID_BENCH_PORT:-25720}
SEED=${GRID_SEED:-127.0.0.1:$PORT}
PREWARM=${PREWARM:-15000}
WARM_UPS=${WARM_UPS:-200}
MEASURED=${MEASURED:-1000}
LOG=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${GRID_SEED:-}" ]; then
  java -jar "$JAR" head --port "$PORT" --no-metrics --no-http >"$LOG/head.out" 2>"$LOG/head.err" &
  pids+=($!)
  java -jar "$JAR" worker --seed "$SEED" --cores 1 --no-metrics >"$LOG/worker.out" 2>"$LOG/worker.err" &
  pids+=($!)
  for _ in $(seq 1 120); do
    grep -q "worker ready" "$LOG/worker.out" 2>/dev/null && break
    sleep 0.5
  done
  grep -q "worker ready" "$LOG/worker.out" || { echo "worker did not start; see $LOG"; exit 1; }
  if [ "$PREWARM" -gt 0 ]; then
    java -jar "$JAR" submit --seed "$SEED" noop --chunks 1 --repeat "$PREWARM" --warm-up-runs 0 --json --no-progress >/dev/null
  fi
else
  PREWARM="(a grid already running at $SEED)"
fi
echo "fresh client JVMs: $WARM_UPS warm-up jobs, then one-chunk round trips over $MEASURED (head and worker served $PREWARM before)"

declare -A p50s p99s
for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    name=${variant%%=*}
    cmd=${variant#*=}
    # shellcheck disable=SC2086
    line=$($cmd submit --seed "$SEED" noop --chunks 1 --repeat $((WARM_UPS + MEASURED)) --warm-up-runs "$WARM_UPS" \
      --json --no-progress | python3 -c "import json,sys; r=json.load(sys.stdin)['repeat']['roundTripMillis']; print('%.3f %.3f' % (r['p50'], r['p99']))")
    read -r p50 p99 <<<"$line"
    p50s[$name]="${p50s[$name]:-} $p50"
    p99s[$name]="${p99s[$name]:-} $p99"
    echo "round $round  $name: p50 $p50 ms, p99 $p99 ms"
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for variant in "$@"; do
  name=${variant%%=*}
  echo "$name: median over $ROUNDS rounds: p50 $(median "${p50s[$name]}") ms, p99 $(median "${p99s[$name]}") ms  (p50s:${p50s[$name]})"
done
