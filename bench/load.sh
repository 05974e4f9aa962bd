#!/usr/bin/env bash
# Loopback load benchmark of Switchboard as a gateway: runs the shared harness (run-bench.sh: client -> mock
# direct vs client -> Switchboard -> mock) with Switchboard's jar and bench/gateway.yaml. Build first (make build).
#
#   bench/load.sh                                    default set: delay 0 and 50 ms, c=16/64, 100/300 req/s
#   MOCK_DELAY_MS=0 CONCURRENCY=16 RATES= DURATION=3 ROUNDS=1 INITIAL_WARMUP=5 WARMUP=2 bench/load.sh
#   STREAM=1 CONCURRENCY=16 RATES=100 bench/load.sh
#
# Every harness knob (DURATION, ROUNDS, STREAM, MOCK_PORT, GATEWAY_PORT, QUIET_WAIT, *_CPUS, ...) passes through
# from the environment; see $BENCH_HARNESS/README.md. Extra JVM options for the gateway: GATEWAY_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_HARNESS="${BENCH_HARNESS:-$ROOT/../shared/bench}"
if [[ ! -x "$BENCH_HARNESS/run-bench.sh" ]]; then
  echo "load.sh: the load harness is missing: no executable $BENCH_HARNESS/run-bench.sh (set BENCH_HARNESS to its directory)" >&2
  exit 1
fi
BENCH_HARNESS="$(cd "$BENCH_HARNESS" && pwd)"
JAR="$ROOT/switchboard-server/target/switchboard.jar"
if [[ ! -f "$JAR" ]]; then
  echo "load.sh: $JAR is missing; run 'make build' first" >&2
  exit 1
fi
JAVA_HOME="$("$ROOT/scripts/find-jdk")"

# The default scenario set. An explicitly empty CONCURRENCY or RATES runs none, as in the harness.
export MOCK_DELAY_MS="${MOCK_DELAY_MS:-0 50}"
export CONCURRENCY="${CONCURRENCY-16 64}"
export RATES="${RATES-100 300}"
# The JVM needs JIT warm-up before its numbers mean anything.
export INITIAL_WARMUP="${INITIAL_WARMUP:-30}"
export WARMUP="${WARMUP:-10}"
export OUT_DIR="${OUT_DIR:-$ROOT/bench/results/load-$(date +%Y%m%d-%H%M%S)-switchboard}"
mkdir -p "$OUT_DIR"

# -Xms = -Xmx: a fixed heap, as the harness README suggests for JVM gateways.
# -XX:+UseG1GC: the collector `make run` uses; the JVM would pick Serial GC on a machine it does not consider
#   "server class" (under 2 CPUs or 1792 MB), so this keeps runs comparable across machines.
# -XX:+AlwaysPreTouch: touch the whole heap at start-up, so first-touch page faults are not charged to the runs.
# -Xlog:gc: one line per GC pause in $OUT_DIR/gateway-gc.log, to check GC is not what the run measures.
JVM_OPTS="-Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch -Xlog:gc:file='$OUT_DIR/gateway-gc.log':uptime,level,tags"
JVM_OPTS+="${GATEWAY_JAVA_OPTS:+ $GATEWAY_JAVA_OPTS}"

# The gateway keeps its SQLite metrics, spend and settings with the results, not in ~/.switchboard.
export SWITCHBOARD_HOME="$OUT_DIR/home"
export GATEWAY_NAME=switchboard
export GATEWAY_CMD="exec '$JAVA_HOME/bin/java' $JVM_OPTS -jar '$JAR' serve --config '${GATEWAY_CONFIG:-$ROOT/bench/gateway.yaml}' --port {GATEWAY_PORT}"
export GATEWAY_URL='http://127.0.0.1:{GATEWAY_PORT}/v1'
export GATEWAY_HEADERS=''

echo "load.sh: harness $BENCH_HARNESS, results -> $OUT_DIR" >&2
exec "$BENCH_HARNESS/run-bench.sh"
