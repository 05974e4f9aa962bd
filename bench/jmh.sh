#!/usr/bin/env bash
# Runs the JMH benchmarks of Switchboard's request path (module switchboard-bench, upstream mocked in-process).
# Build first: `make bench-jmh` does both, or: mvn -Pbench -Dmaven.test.skip=true package
#
#   bench/jmh.sh                       all benchmarks, default run shape
#   bench/jmh.sh RequestPath           only benchmarks matching a regex (any extra args go to JMH)
#   bench/jmh.sh StageBenchmark -prof gc
#   JMH_ARGS='-f 3 -wi 5 -w 5s -i 10 -r 5s' bench/jmh.sh    replaces the default run shape
#
# JSON results go to bench/results/jmh-<timestamp>.json, the console log to jmh-<timestamp>.txt; the table is printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/switchboard-bench"
JAVA_HOME="$("$ROOT/scripts/find-jdk")"
JAVA="$JAVA_HOME/bin/java"

if [[ ! -f "$MODULE/target/classes/META-INF/BenchmarkList" || ! -d "$MODULE/target/lib" ]]; then
  echo "jmh.sh: switchboard-bench is not built; run 'make bench-jmh' or 'mvn -Pbench -Dmaven.test.skip=true package' first" >&2
  exit 1
fi

# 10 s of warm-up: on a busy 2-core machine C2 needs 5-8 s before fullPath settles (3 x 2 s was not enough).
JMH_ARGS="${JMH_ARGS:--f 1 -wi 5 -w 2s -i 5 -r 2s}"
RESULTS="$ROOT/bench/results"
STAMP="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"
JSON="$RESULTS/jmh-$STAMP.json"
LOG="$RESULTS/jmh-$STAMP.txt"

# Options for the host JVM; JMH's forked benchmark JVMs inherit them (the heap size is set per benchmark in @Fork).
HOST_OPTS=()
major="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)"
# JMH 1.37 calls sun.misc.Unsafe, which JDK 24+ warns about on every fork; the flag exists from JDK 23 on.
if [[ -n "$major" && "$major" -ge 23 ]]; then HOST_OPTS+=(--sun-misc-unsafe-memory-access=allow); fi
# Keep Switchboard's start/stop INFO lines out of the JMH output (logback.xml reads this variable).
export SWITCHBOARD_LOG_LEVEL="${SWITCHBOARD_LOG_LEVEL:-WARN}"

# shellcheck disable=SC2206 # JMH_ARGS is a word list on purpose
shape=($JMH_ARGS)
echo "jmh.sh: $("$JAVA" -version 2>&1 | head -1); args: ${shape[*]} $*" >&2
echo "jmh.sh: results -> $JSON" >&2
(cd "$MODULE" && "$JAVA" "${HOST_OPTS[@]}" -cp "target/classes:target/lib/*" org.openjdk.jmh.Main \
  "${shape[@]}" -rf json -rff "$JSON" "$@") 2>&1 | tee "$LOG"
echo "jmh.sh: JSON results in $JSON, full log in $LOG" >&2
