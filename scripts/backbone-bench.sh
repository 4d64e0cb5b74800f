#!/usr/bin/env bash
# The backbone's speed figures, measured as the issue asks: a head and one worker as two
# JVMs on loopback, jobs submitted from a third (client) JVM.
#
#   scripts/backbone-bench.sh [path/to/grid.jar]
#
# Prints one line per figure. Every process it starts is stopped by its PID on exit.
set -euo pipefail
JAR=${1:-deploy/target/grid.jar}
PORT=${GRID_BENCH_PORT:-25510}
SEED=127.0.0.1:$PORT
HEAD_HEAP=${HEAD_HEAP:-256m}
# NICE=10 runs the head and the client JVMs at a lower priority than the worker: on a machine
# whose cores the worker needs, they then take only what the worker leaves.
NICE=${NICE:-0}
LOG=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

nice -n "$NICE" java -Xmx"$HEAD_HEAP" -jar "$JAR" head --port "$PORT" >"$LOG/head.out" 2>"$LOG/head.err" &
pids+=($!)
java -jar "$JAR" worker --seed "$SEED" >"$LOG/worker.out" 2>"$LOG/worker.err" &
pids+=($!)
for i in $(seq 1 120); do
  grep -q "worker ready" "$LOG/worker.out" 2>/dev/null && break
  sleep 0.5
done
grep -q "worker ready" "$LOG/worker.out" || { echo "worker did not start; see $LOG"; exit 1; }
echo "head (-Xmx$HEAD_HEAP) and worker up; logs in $LOG"

submit() { nice -n "$NICE" java -jar "$JAR" submit --seed "$SEED" --json --no-progress "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Warm the head and worker JVMs' message paths: a long-running grid is warm.
submit noop --chunks 2000000 >/dev/null
submit leibniz-pi --param terms=2000000000 --chunks 256 >/dev/null

submit noop --chunks 1000000 --repeat 7 --warm-up-runs 2 | field "'noop 1,000,000 chunks: %.0f chunks/s (median of %d runs), %d done, %.0f ms' % (d['report']['chunksPerSecond'], d['repeat']['runs'], d['report']['chunksDone'], d['report']['makespanMillis'])"
for chunks in 256 65536; do
  # Five measured runs from one client after two warm-up runs; the report is the median run.
  submit leibniz-pi --param terms=2000000000 --chunks "$chunks" --baseline --repeat 7 --warm-up-runs 2 | field "'leibniz-pi terms=2e9 chunks=$chunks: grid %.0f ms (median of %d), baseline %.0f ms, speedup %.2f, ceiling %.0f ms (speedup %.2f), grid at %.2f of the ceiling, pi %s' % (d['report']['makespanMillis'], d['repeat']['runs'], d['report']['baselineMillis'], d['report']['speedup'], d['report']['ceilingMillis'], d['report']['ceilingSpeedup'], d['report']['ofCeiling'], d['result'])"
done
# One-chunk jobs from a fresh client JVM: after 100 warm-up jobs (the client is still compiling),
# then after 15,000 (every JVM's JIT done with the job path; about half a minute).
latency() { field "'one-chunk noop round trip after $1 warm-up jobs, over %d runs: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms' % (d['repeat']['runs'], d['repeat']['roundTripMillis']['p50'], d['repeat']['roundTripMillis']['p95'], d['repeat']['roundTripMillis']['p99'])"; }
submit noop --chunks 1 --repeat 1100 --warm-up-runs 100 | latency 100
submit noop --chunks 1 --repeat 17000 --warm-up-runs 15000 | latency 15000
submit noop --chunks 10000000 | field "'noop 10,000,000 chunks with the head at -Xmx$HEAD_HEAP: %s, %d done, %.0f chunks/s' % (d['status'], d['report']['chunksDone'], d['report']['chunksPerSecond'])"
