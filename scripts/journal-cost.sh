#!/usr/bin/env bash
# What the job journal costs: a head and one worker as two JVMs on loopback, jobs from a third
# (client) JVM, the head started with the journal off and on in turn (off, on, off, on), each
# time on a fresh data directory (the local H2 journal). Per start:
#   - noop 1,000,000 chunks: chunks/s, median of 5 runs after 2 warm-up runs;
#   - leibniz-pi terms=2e9, 65,536 chunks: makespan, median of 3 runs after 1 warm-up run;
# and, journal on, a noop job of 10,000,000 chunks with the head at -Xmx256m: its status and the
# head's largest heap in the job's samples.
#
#   scripts/journal-cost.sh [path/to/grid.jar]
#
# Every process it starts is stopped by its PID on exit.
set -euo pipefail
JAR=${1:-deploy/target/grid.jar}
PORT=${GRID_BENCH_PORT:-25530}
SEED=127.0.0.1:$PORT
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
submit() { java -jar "$JAR" submit --seed "$SEED" --json --no-progress "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

for journal in off on off on; do
  LOG=$(mktemp -d)
  flag=$([ "$journal" = off ] && echo --no-journal || true)
  GRID_DATA_DIR=$LOG/data java -Xmx256m -jar "$JAR" head --port "$PORT" --no-http --no-metrics $flag \
    >"$LOG/head.out" 2>"$LOG/head.err" &
  head=$!; pids+=($head)
  GRID_DATA_DIR=$LOG/data java -jar "$JAR" worker --seed "$SEED" --no-metrics >"$LOG/worker.out" 2>"$LOG/worker.err" &
  worker=$!; pids+=($worker)
  for _ in $(seq 1 120); do grep -q "worker ready" "$LOG/worker.out" 2>/dev/null && break; sleep 0.5; done
  grep -q "worker ready" "$LOG/worker.out" || { echo "worker did not start; see $LOG"; exit 1; }
  submit noop --chunks 2000000 >/dev/null
  submit noop --chunks 1000000 --repeat 7 --warm-up-runs 2 | field "'journal $journal: noop 1,000,000 chunks: %.0f chunks/s (median of %d runs)' % (d['report']['chunksPerSecond'], d['repeat']['runs'])"
  submit leibniz-pi --param terms=2000000000 --chunks 65536 --repeat 4 --warm-up-runs 1 | field "'journal $journal: leibniz-pi terms=2e9 65,536 chunks: %.0f ms (median of %d runs)' % (d['report']['makespanMillis'], d['repeat']['runs'])"
  if [ "$journal" = on ]; then
    submit noop --chunks 10000000 | field "'journal on: noop 10,000,000 chunks, head at -Xmx256m: %s, %d done, %.0f chunks/s, head heap at most %.0f MB' % (d['status'], d['report']['chunksDone'], d['report']['chunksPerSecond'], max([s['heapUsedBytes'] for s in d['report']['samples'] if s['node'].endswith('(head)')] or [0]) / 1e6)"
  fi
  kill "$worker" "$head" 2>/dev/null || true
  wait "$worker" "$head" 2>/dev/null || true
  pids=()
done
