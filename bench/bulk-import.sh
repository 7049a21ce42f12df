#!/usr/bin/env bash
# Bulk import throughput against one POST per product (docs/benchmarks.md, "Bulk import").
#
# Starts the service against its own redis-server process and an in-process MongoDB
# wire-protocol server on loopback (change stream on, rate limiting off) and, per round,
# creates N products three ways: one POST /api/products/bulk of N lines, N sequential
# POST /api/products, N POSTs 16 at a time; prints products/s for each and the median.
# Arguments: --products=10000 --rounds=3 --concurrency=16 (the defaults). Rerunnable;
# nothing outside target/ is touched. BENCH_TIMEOUT (seconds, default 600) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p target/bench
timeout --kill-after=15s "${BENCH_TIMEOUT:-600}" \
	java -Xms512m -Xmx1g -XX:+UseG1GC -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	io.productstore.bench.BulkImportBenchmark "$@" | tee target/bench/bulk-import.txt
