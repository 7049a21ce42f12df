#!/usr/bin/env bash
# Near cache benchmark: requests/s and p50/p99 latency of a single-product read with the
# near cache on, with Redis only (near cache off) and with the cache off, next to a
# trivial JSON endpoint (GET /api/ping) as the ceiling, in one run on loopback.
#
# Starts the packaged service (built if missing) three times side by side, one instance
# per configuration, each with its own embedded MongoDB-compatible and Redis servers, and
# creates one product in each; warms them, then runs wrk in interleaved rounds for a bounded time. Prints a Markdown table, the ratios and a Mermaid chart, and writes them
# to target/bench/near-cache.md.
#
# Environment: ROUNDS (5) x ROUND_SECONDS (2) = 10 s measured per case, WARMUP (5s),
# THREADS (2), CONNECTIONS (32), PORT (18480: the three instances use PORT..PORT+2).
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
ROUND_SECONDS=${ROUND_SECONDS:-2}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18480}
OUT=target/bench
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
	echo "Installing wrk (Debian package)..."
	if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
jar=$(ls target/product-store-*.jar 2>/dev/null | grep -v -- '-plain' | head -n 1 || true)
if [ -z "$jar" ]; then
	echo "Packaging the service..."
	./mvnw -q -B -DskipTests package
	jar=$(ls target/product-store-*.jar | grep -v -- '-plain' | head -n 1)
fi

pids=()
workdirs=()
stop_services() {
	for pid in "${pids[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
	done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	for dir in "${workdirs[@]}"; do rm -rf "$dir"; done
	pids=()
	workdirs=()
}
trap stop_services EXIT

# start_service <port> [arguments]: one instance with its own embedded servers.
start_service() {
	local port=$1 dir
	shift
	dir=$(mktemp -d)
	workdirs+=("$dir")
	java -Xms512m -Xmx512m -jar "$jar" --server.port="$port" \
		--app.embedded.mongodb.data-directory="$dir/mongodb" \
		--app.seed.enabled=false --app.ratelimit.enabled=false --logging.level.root=WARN "$@" >"$dir/service.log" 2>&1 &
	pids+=($!)
}

await_service() {
	local port=$1
	for _ in $(seq 1 600); do
		if curl -fs "http://127.0.0.1:$port/api/ping" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.5
	done
	echo "The service on port $port did not answer within 300 s" >&2
	exit 1
}

# Creates the product the reads ask for (as the development user "editor" of the default
# profile) and prints its id. The sample catalogue is off: nothing else writes meanwhile.
product_id() {
	curl -fs -u editor:editor -H 'Content-Type: application/json' \
		-d '{"name":"Espresso machine","description":"15-bar pump, steam wand","category":"kitchen","price":249.90,"stock":12,"tags":["coffee","espresso"]}' \
		"http://127.0.0.1:$1/api/products" | grep -o '"id":"[0-9a-f]\{24\}"' | cut -d '"' -f 4
}

level_of() {
	curl -fs -o /dev/null -D - "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-level" { print $2 }'
}

# Prints "<requests/s> <p50 ms> <p99 ms>" for one wrk run.
measure() {
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "$1" --latency "$2" | awk '
		function ms(v) {
			if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
			if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
			if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
			return v
		}
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses/ { bad = $NF }
		END {
			if (bad > 0) { print "wrk saw " bad " non-2xx responses" > "/dev/stderr"; exit 1 }
			printf "%.0f %.3f %.3f\n", rps, p50, p99
		}'
}

echo "wrk: $THREADS threads, $CONNECTIONS connections; $ROUNDS interleaved rounds of $ROUND_SECONDS s per case" \
	"(after $WARMUP warm-up); $(nproc) cores, load average $(cut -d ' ' -f 1 /proc/loadavg)"

# Three instances side by side, each with its own embedded MongoDB and Redis.
start_service "$PORT"
start_service $((PORT + 1)) --app.cache.near.enabled=false
start_service $((PORT + 2)) --app.cache.enabled=false
for port in "$PORT" $((PORT + 1)) $((PORT + 2)); do await_service "$port"; done
declare -A url level
url[ceiling]="http://127.0.0.1:$PORT/api/ping"
url[near]="http://127.0.0.1:$PORT/api/products/$(product_id "$PORT")"
url[redis]="http://127.0.0.1:$((PORT + 1))/api/products/$(product_id $((PORT + 1)))"
url[off]="http://127.0.0.1:$((PORT + 2))/api/products/$(product_id $((PORT + 2)))"
level[near]=near
level[redis]=redis
level[off]=origin
cases=(ceiling near redis off)
for name in "${cases[@]}"; do
	curl -fs "${url[$name]}" >/dev/null
	curl -fs "${url[$name]}" >/dev/null
	if [ -n "${level[$name]:-}" ] && [ "$(level_of "${url[$name]}")" != "${level[$name]}" ]; then
		echo "$name: reads are not served by '${level[$name]}'" >&2
		exit 1
	fi
	echo "Warming $name (${url[$name]})..."
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "${url[$name]}" >/dev/null
done

# Interleaved rounds: a change in background load hits every case alike.
declare -A samples
for round in $(seq 1 "$ROUNDS"); do
	for name in "${cases[@]}"; do
		samples[$name]+="$(measure "${ROUND_SECONDS}s" "${url[$name]}")"$'\n'
	done
	echo "Round $round of $ROUNDS done"
done
stop_services

# Requests/s: mean of the rounds; p50 and p99: median of the rounds.
declare -A rps p50 p99
for name in "${cases[@]}"; do
	read -r rps[$name] p50[$name] p99[$name] < <(printf '%s' "${samples[$name]}" | awk '
		{ r += $1; a[NR] = $2; b[NR] = $3 }
		function median(x, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
			return (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		}
		END { printf "%.0f %.3f %.3f\n", r / NR, median(a, NR), median(b, NR) }')
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
near_ceiling=$(ratio "${rps[near]}" "${rps[ceiling]}")
redis_off=$(ratio "${rps[redis]}" "${rps[off]}")
near_redis=$(ratio "${rps[near]}" "${rps[redis]}")
pass() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "met" : "NOT met" }'; }

{
	echo "| case | requests/s | p50 (ms) | p99 (ms) |"
	echo "|---|---:|---:|---:|"
	echo "| \`GET /api/ping\` (ceiling) | ${rps[ceiling]} | ${p50[ceiling]} | ${p99[ceiling]} |"
	echo "| product read, near cache | ${rps[near]} | ${p50[near]} | ${p99[near]} |"
	echo "| product read, Redis only | ${rps[redis]} | ${p50[redis]} | ${p99[redis]} |"
	echo "| product read, cache off | ${rps[off]} | ${p50[off]} | ${p99[off]} |"
	echo
	echo "- near cache / ceiling: **${near_ceiling}x** (target >= 0.8x: $(pass "$near_ceiling" 0.8))"
	echo "- Redis only / cache off: **${redis_off}x** (target >= 2x: $(pass "$redis_off" 2))"
	echo "- near cache / Redis only: **${near_redis}x**"
	echo
	echo '```mermaid'
	echo 'xychart-beta'
	echo '    title "Single-product read, requests/s"'
	echo '    x-axis ["ping (ceiling)", "near cache", "Redis only", "cache off"]'
	echo '    y-axis "requests/s"'
	echo "    bar [${rps[ceiling]}, ${rps[near]}, ${rps[redis]}, ${rps[off]}]"
	echo '```'
} | tee "$OUT/near-cache.md"
