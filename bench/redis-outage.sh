#!/usr/bin/env bash
# Redis outages under read load (docs/benchmarks.md, "Redis outages").
#
# Starts the service against its own redis-server process and an in-process MongoDB
# wire-protocol server on loopback, reads 200 products with 8 concurrent clients, and
# prints throughput and p50/p99 latency before, during and after a Redis hang (SIGSTOP
# for 5 s) and a Redis kill (down 5 s, then restarted with its append-only file), with
# the time until the cache hit ratio is back. Rerunnable; nothing outside target/ is
# touched. Extra arguments are passed to the service as properties, e.g.
#   bench/redis-outage.sh --app.cache.resilience.timeout=100ms
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
mkdir -p target/bench
java -Xmx512m -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	io.productstore.bench.RedisOutageBenchmark "$@" | tee target/bench/redis-outage.txt
