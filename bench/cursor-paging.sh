#!/usr/bin/env bash
# Cursor page N against offset page N (docs/benchmarks.md, "Cursor paging").
#
# Starts the service against its own redis-server process and an in-process MongoDB
# wire-protocol server on loopback, seeds 100,000 products, and prints, for pages 1, 100
# and 1,000 of sort=price,asc (20 per page), the MongoDB time per page (the driver's own
# command timings) and the request time, uncached (Cache-Control: no-cache) and cached.
# Options: --products=100000 --uncached=5 --cached=200 --pages=1,100,1000. Rerunnable;
# nothing outside target/ is touched. BENCH_TIMEOUT (seconds, default 900) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p target/bench
timeout --kill-after=15s "${BENCH_TIMEOUT:-900}" \
	java -Xms1g -Xmx2g -XX:+UseG1GC -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	io.productstore.bench.CursorPagingBenchmark "$@" | tee target/bench/cursor-paging.txt
