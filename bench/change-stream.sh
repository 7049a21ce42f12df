#!/usr/bin/env bash
# Invalidation from MongoDB's change stream under a burst (docs/benchmarks.md, "Change
# stream invalidation").
#
# Starts the service against its own redis-server process and an in-process MongoDB
# wire-protocol server on loopback, caches 1,000 products, makes 10,000 $inc updates
# straight in MongoDB with 16 concurrent writers, and prints the lag from each change to its
# invalidation (p50/p99/max), how long after the last write the last change was applied, the
# changes/s one instance drains from a backlog of 10,000 made while its stream was stopped,
# and how many products were served stale afterwards (should be 0). Rerunnable; nothing
# outside target/ is touched. BENCH_TIMEOUT (seconds, default 600) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p target/bench
timeout --kill-after=15s "${BENCH_TIMEOUT:-600}" \
	java -Xms512m -Xmx1g -XX:+UseG1GC -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	io.productstore.bench.ChangeStreamBenchmark "$@" | tee target/bench/change-stream.txt
