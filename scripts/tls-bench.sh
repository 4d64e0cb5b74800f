#!/usr/bin/env bash
# What --tls costs: a head, a one-core worker and a client as three JVMs on loopback, measured
# once with plain Artery TCP and once with Artery tls-tcp (certificates from grid certs), in
# the same run:
#   - noop --chunks 1000000: chunks/s (median of 3 runs after 2 warm-up runs);
#   - one-chunk noop round trip: p50/p99 over 2,000 jobs after 3,000 warm-up jobs.
#
#   scripts/tls-bench.sh [path/to/grid.jar]      (default: deploy/target/grid.jar; GRID_CP=classpath
#                                                 runs org.pekkogrid.deploy.GridMain from it instead)
#
# Every process it starts is stopped by its PID on exit.
set -euo pipefail
JAR=${1:-deploy/target/grid.jar}
# An array, not a function: "$!" of a backgrounded function is a subshell, and killing it leaves java running.
if [ -n "${GRID_CP:-}" ]; then GRID=(java -cp "$GRID_CP" org.pekkogrid.deploy.GridMain); else GRID=(java -jar "$JAR"); fi
grid() { "${GRID[@]}" "$@"; }
BASE_PORT=${GRID_BENCH_PORT:-25810}
DIR=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

grid certs init "$DIR/ca" >/dev/null
for role in head worker client; do
  grid certs issue --ca "$DIR/ca" --name "$role-1" --role "$role" --host 127.0.0.1 --out "$DIR/$role" >/dev/null
done

for mode in plain tls; do
  tls() { [ "$mode" = tls ] && echo "--tls $DIR/$1" || true; }
  # A port per mode: the plain head may still hold its port while it shuts down.
  if [ "$mode" = tls ]; then PORT=$((BASE_PORT + 1)); else PORT=$BASE_PORT; fi
  SEED=127.0.0.1:$PORT
  # shellcheck disable=SC2046
  "${GRID[@]}" head --port "$PORT" --no-metrics --no-http --no-journal $(tls head) >"$DIR/head-$mode.out" 2>"$DIR/head-$mode.err" &
  head=$!
  # shellcheck disable=SC2046
  "${GRID[@]}" worker --seed "$SEED" --cores 1 --no-metrics $(tls worker) >"$DIR/worker-$mode.out" 2>"$DIR/worker-$mode.err" &
  worker=$!
  pids=("$head" "$worker")
  for _ in $(seq 1 120); do
    grep -q "worker ready" "$DIR/worker-$mode.out" 2>/dev/null && break
    sleep 0.5
  done
  grep -q "worker ready" "$DIR/worker-$mode.out" || { echo "$mode: worker did not start; see $DIR"; exit 1; }
  # shellcheck disable=SC2046
  submit() { grid submit --seed "$SEED" --json --no-progress $(tls client) "$@"; }
  submit noop --chunks 1000000 --repeat 5 --warm-up-runs 2 \
    | field "'MEASURED $mode: noop 1,000,000 chunks: %.0f chunks/s (median of %d runs)' % (d['report']['chunksPerSecond'], d['repeat']['runs'])"
  submit noop --chunks 1 --repeat 5000 --warm-up-runs 3000 \
    | field "'MEASURED $mode: one-chunk round trip over %d jobs after 3,000 warm-up: p50 %.3f ms, p99 %.3f ms' % (d['repeat']['runs'], d['repeat']['roundTripMillis']['p50'], d['repeat']['roundTripMillis']['p99'])"
  kill "$head" "$worker"; wait "$head" "$worker" 2>/dev/null || true
  pids=()
done
