#!/usr/bin/env bash
# Shipping a workload jar (issue 17): time from submit to the first chunk running on a worker that
# has never seen the jar, then with the jar cached on head and worker, beside a built-in workload;
# then the example's speedup over its own one-thread baseline (`--baseline`).
#
#   scripts/jar-first-chunk.sh [RUNS]     (default 3; needs deploy/target/grid.jar and
#                                          examples/mandelbrot/target/mandelbrot-1.0.jar: mvn package)
#
# Every process it starts is stopped by its PID on exit.
set -euo pipefail
RUNS=${1:-3}
JAR=deploy/target/grid.jar
EXAMPLE=examples/mandelbrot/target/mandelbrot-1.0.jar
PORT=${GRID_BENCH_PORT:-25760}
SEED=127.0.0.1:$PORT
DIR=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

java -Dgrid.jars.directory="$DIR/head-jars" -jar "$JAR" head --port "$PORT" --no-metrics --no-http --no-journal \
  >"$DIR/head.out" 2>"$DIR/head.err" &
pids+=($!)
java -Dgrid.jars.directory="$DIR/worker-jars" -Dgrid.data-dir="$DIR/worker" -jar "$JAR" worker --seed "$SEED" \
  --no-metrics >"$DIR/worker.out" 2>"$DIR/worker.err" &
pids+=($!)
for _ in $(seq 1 1200); do grep -q "worker ready" "$DIR/worker.out" 2>/dev/null && break; sleep 0.1; done
grep -q "worker ready" "$DIR/worker.out" || { echo "the worker did not start; see $DIR"; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors"
java -cp "$JAR" scripts/JarFirstChunk.java "$SEED" "$EXAMPLE" "$RUNS"
java -jar "$JAR" submit --seed "$SEED" --jar "$EXAMPLE" mandelbrot --param width=1600 --param height=1200 \
  --param maxIterations=2000 --baseline --no-progress 2>&1 | grep -E "sent|makespan|baseline|ceiling"
