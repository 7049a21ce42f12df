#!/usr/bin/env bash
# Cache engine benchmark: stampede (origin reads for N concurrent cold requests, engine vs
# plain cache-aside) and invalidation (write latency with 0 / 1,000 / 10,000 cached list
# pages, engine generation bump vs SCAN+UNLINK pattern delete), side by side in one run.
#
# Usage: bench/cache-engine.sh [--sizes=100,500,2000] [--rounds=3] [--pages=0,1000,10000]
#                              [--warmup=20] [--writes=200] [--origin-extra-latency-ms=0]
# Starts its own redis-server (loopback, free port, no persistence) and an in-process
# mongo-java-server, and stops both at the end. Output: stdout, and the Markdown tables in
# target/bench/cache-engine.md. BENCH_TIMEOUT (seconds, default 900) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt

exec timeout --kill-after=15s "${BENCH_TIMEOUT:-900}" \
	java -Xms512m -Xmx1g -XX:+UseG1GC -Dlogback.configurationFile=bench/logback-bench.xml \
	-cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
	io.productstore.bench.CacheEngineBenchmark --markdown=target/bench/cache-engine.md "$@"
