#!/usr/bin/env bash
# Hot path benchmark (issue 10): what the service serves with every default feature on,
# next to what Spring WebFlux serves on the same machine with nothing around it.
#
# Builds the packaged service and a bare WebFlux app (bench/ceiling: the same Boot and
# Netty versions, one handler, no filters; a project of its own, nothing of it reaches the
# service's classpath) and starts, side by side on loopback:
#   ceiling  the bare app: GET /api/products/{id} answers a constant ~400-byte product JSON
#   default  the service with its default configuration (rate limiting, security, metrics,
#            request ids, near cache, ...), rate-limit capacities raised so that one client
#            on one IP is never refused (its cost still counts), 1,000 sample products
#   near-off the same with app.cache.near.enabled=false (Redis only)
#   off      the same with app.cache.enabled=false (MongoDB on every read)
# Each has its own embedded MongoDB-compatible and Redis servers. Every instance is warmed
# for WARMUP seconds (30: the service's JIT warm-up is slower than the bare app's), then
# wrk runs the cases in ROUNDS interleaved rounds of ROUND_SECONDS, so a change in the
# background load hits every case alike. A Lua script counts the X-Cache-Level of every
# response, so a case served from the wrong level (a breaker fallback under load) shows.
# Then a JFR profile of the near-cache read (PROFILE_SECONDS) and its top frames.
#
# Prints Markdown (results, ratios against the issue's targets, a Mermaid chart, the top
# frames) to target/bench/hot-path.md and, unless WRITE_DOCS=0, between the markers of
# docs/benchmarks.md.
#
# With FEATURE_COSTS=1 (the default) three more instances tell what single features cost:
#   secured  the bare app with a security chain of the service's kind (Spring Security)
#   no-rl    the default service with app.ratelimit.enabled=false
#   no-obs   the default service without the http.server.requests observation
#
# Environment: ROUNDS (5), ROUND_SECONDS (5), WARMUP (30), THREADS (2), CONNECTIONS (64),
# PROFILE_SECONDS (30), PORT (18600: the instances use PORT..PORT+6), BUILD (1: package
# the service; 0 uses the jar in target/), WRITE_DOCS (1), FEATURE_COSTS (1).
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
ROUND_SECONDS=${ROUND_SECONDS:-5}
WARMUP=${WARMUP:-30}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
PORT=${PORT:-18600}
BUILD=${BUILD:-1}
WRITE_DOCS=${WRITE_DOCS:-1}
FEATURE_COSTS=${FEATURE_COSTS:-1}
PRODUCTS=1000
RAISED=1000000000
OUT=target/bench
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
	echo "Installing wrk (Debian package)..."
	if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
if [ "$BUILD" = 1 ] || ! ls target/product-store-*.jar >/dev/null 2>&1; then
	echo "Packaging the service..."
	./mvnw -q -B -DskipTests package
fi
jar=$(ls target/product-store-*.jar | grep -v -- '-plain' | head -n 1)
echo "Packaging the ceiling (bench/ceiling)..."
./mvnw -q -B -f bench/ceiling/pom.xml package
ceiling_jar=bench/ceiling/target/ceiling.jar

declare -A pid
workdirs=()
stop_all() {
	for name in "${!pid[@]}"; do
		if kill -0 "${pid[$name]}" 2>/dev/null; then kill "${pid[$name]}"; fi
	done
	for name in "${!pid[@]}"; do wait "${pid[$name]}" 2>/dev/null || true; done
	for dir in "${workdirs[@]}"; do rm -rf "$dir"; done
	pid=()
	workdirs=()
}
trap stop_all EXIT

# start <name> <port> <jar> [arguments]
start() {
	local name=$1 port=$2 file=$3 dir
	shift 3
	dir=$(mktemp -d)
	workdirs+=("$dir")
	java -Xms512m -Xmx512m -jar "$file" --server.port="$port" --logging.level.root=WARN "$@" >"$dir/out.log" 2>&1 &
	pid[$name]=$!
	echo "$dir" >"$OUT/$name.dir"
}

# The service with its defaults, but capacities no single client reaches.
start_service() {
	local name=$1 port=$2 dir
	shift 2
	start "$name" "$port" "$jar" --app.seed.products="$PRODUCTS" \
		--app.embedded.mongodb.data-directory="$(mktemp -d)/mongodb" \
		--app.ratelimit.anonymous.capacity=$RAISED --app.ratelimit.user.capacity=$RAISED \
		--app.ratelimit.editor.capacity=$RAISED --app.ratelimit.admin.capacity=$RAISED "$@"
}

await() {
	for _ in $(seq 1 600); do
		if curl -fs "$1" >/dev/null 2>&1; then return 0; fi
		sleep 0.5
	done
	echo "$1 did not answer within 300 s" >&2
	exit 1
}

level_of() {
	curl -fs -o /dev/null -D - "$@" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-level" { print $2 }'
}

# Until a read is served from the expected level (the cache bypasses Redis until its first
# recovery at startup, and a fresh entry is a miss).
await_level() {
	local want=$1 got=
	shift
	for _ in $(seq 1 120); do
		got=$(level_of "$@")
		if [ "$got" = "$want" ]; then return 0; fi
		sleep 0.5
	done
	echo "$* is served by '$got', not '$want'" >&2
	exit 1
}

ids_of() {
	for page in $(seq 0 $(($1 / 100 - 1))); do
		curl -fs "$2/api/products?size=100&page=$page" | grep -o '"id":"[0-9a-f]\{24\}"' | cut -d '"' -f 4
	done
}

load_average() { cut -d ' ' -f 1-3 /proc/loadavg; }

# What else runs on the machine: the processes that are not ours and used more than 5 %
# of a core over one second.
others() {
	local ours=" $$ ${pid[*]:-} "
	top -b -n 2 -d 1 -w 200 | awk -v ours="$ours" '
		/^top -/ { sample++ }
		sample == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 5 && index(ours, " " $1 " ") == 0 {
			printf "%s%s %.0f%%", sep, $12, $9; sep = ", "
		}
		END { print "" }'
}

echo "wrk: $THREADS threads, $CONNECTIONS connections, $ROUNDS interleaved rounds of $ROUND_SECONDS s per case" \
	"after $WARMUP s of warm-up; $(nproc) cores, load average $(load_average)"
load_before=$(load_average)
others_before=$(others)

start ceiling "$PORT" "$ceiling_jar"
start_service default $((PORT + 1))
start_service near-off $((PORT + 2)) --app.cache.near.enabled=false
start_service off $((PORT + 3)) --app.cache.enabled=false
if [ "$FEATURE_COSTS" = 1 ]; then
	start secured $((PORT + 4)) "$ceiling_jar" --spring.autoconfigure.exclude= --ceiling.security=true
	start_service no-rl $((PORT + 5)) --app.ratelimit.enabled=false
	start_service no-obs $((PORT + 6)) --management.observations.enable.http.server.requests=false
fi
ceiling="http://127.0.0.1:$PORT"
default="http://127.0.0.1:$((PORT + 1))"
nearoff="http://127.0.0.1:$((PORT + 2))"
off="http://127.0.0.1:$((PORT + 3))"
secured="http://127.0.0.1:$((PORT + 4))"
norl="http://127.0.0.1:$((PORT + 5))"
noobs="http://127.0.0.1:$((PORT + 6))"
await "$ceiling/api/products/x"
for base in "$default" "$nearoff" "$off"; do await "$base/actuator/health"; done
if [ "$FEATURE_COSTS" = 1 ]; then
	await "$secured/api/products/x"
	for base in "$norl" "$noobs"; do await "$base/actuator/health"; done
fi

# The catalogue: 1,000 ids of the default instance (each instance has its own).
ids_of "$PRODUCTS" "$default" >"$OUT/ids.txt"
if [ "$(wc -l <"$OUT/ids.txt")" -ne "$PRODUCTS" ]; then
	echo "Expected $PRODUCTS products, found $(wc -l <"$OUT/ids.txt")" >&2
	exit 1
fi
hot=$(sed -n 1p "$OUT/ids.txt")
sed -e '1d' -e 's|$|/wishlist|' "$OUT/ids.txt" >"$OUT/patch-paths.txt"
hot_nearoff=$(ids_of 100 "$nearoff" | head -n 1)
hot_off=$(ids_of 100 "$off" | head -n 1)
user=$(printf 'user:user' | base64)
list="/api/products?category=kitchen&sort=price,asc&size=20"

if [ "$FEATURE_COSTS" = 1 ]; then
	hot_norl=$(ids_of 100 "$norl" | head -n 1)
	hot_noobs=$(ids_of 100 "$noobs" | head -n 1)
	await_level near "$norl/api/products/$hot_norl"
	await_level near "$noobs/api/products/$hot_noobs"
fi
await_level near "$default/api/products/$hot"
await_level redis "$nearoff/api/products/$hot_nearoff"
await_level origin "$off/api/products/$hot_off"

# The wrk script: counts the X-Cache-Level of every response; with a file of paths it picks
# one per request, "patch" sets the wishlist flag with the credentials given.
cat >"$OUT/hot-path.lua" <<'LUA'
local threads = {}
-- Each thread gets a number of its own: init runs in the thread's own Lua state, where
-- the table of threads is empty, so seeding with its size gave every thread the same
-- sequence of ids (requests to one product at the same moment: 409s for the PATCH case).
function setup(thread)
	table.insert(threads, thread)
	thread:set("thread_number", #threads)
end
function init(args)
	near, redis, origin, other, failed = 0, 0, 0, 0, 0
	mode = args[1]
	if args[2] ~= nil and args[2] ~= "" then wrk.headers["Authorization"] = "Basic " .. args[2] end
	if mode == "patch" then
		wrk.method = "PATCH"
		wrk.body = '{"wishlisted":true}'
		wrk.headers["Content-Type"] = "application/json"
	end
	if args[3] ~= nil and args[3] ~= "" then
		ids = {}
		for line in io.lines(args[3]) do ids[#ids + 1] = line end
		prefix = args[4]
		math.randomseed(os.time() * 100 + thread_number)
	end
end
function response(status, headers, body)
	if status >= 400 then
		failed = failed + 1
		last_failure = status
	end
	local level = headers["X-Cache-Level"]
	if level == "near" then near = near + 1
	elseif level == "redis" then redis = redis + 1
	elseif level == "origin" then origin = origin + 1
	else other = other + 1 end
end
function done(summary, latency, requests)
	local n, r, o, x, f = 0, 0, 0, 0, 0
	for _, t in ipairs(threads) do
		n = n + t:get("near"); r = r + t:get("redis"); o = o + t:get("origin")
		x = x + t:get("other"); f = f + t:get("failed")
	end
	local status = "-"
	for _, t in ipairs(threads) do status = t:get("last_failure") or status end
	io.write(string.format("LEVELS %d %d %d %d %d %s\n", n, r, o, x, f, status))
end
LUA
# wrk decides before init whether requests are dynamic: the random cases have a script of
# their own with a request function (which costs wrk a Lua call per request).
cp "$OUT/hot-path.lua" "$OUT/hot-path-random.lua"
echo 'function request() return wrk.format(nil, prefix .. ids[math.random(#ids)]) end' >>"$OUT/hot-path-random.lua"

# Per case: the URL, the script's arguments (mode|credentials|ids file|path prefix), the
# level its reads must be served from (none: not checked) and a label.
names=(ceiling ping near random redis off list auth-read auth-patch)
declare -A url args expected label
url[ceiling]="$ceiling/api/products/$hot" args[ceiling]="fixed" label[ceiling]="bare WebFlux app (ceiling)"
url[ping]="$default/api/ping" args[ping]="fixed" label[ping]="the service's GET /api/ping (every filter, the full security chain, no cache)"
url[near]="$default/api/products/$hot" args[near]="fixed" expected[near]=near label[near]="near cache, hot item"
url[random]="$default/api/products/$hot" args[random]="random||$OUT/ids.txt|/api/products/" expected[random]=near
label[random]="near cache, random items of 1,000"
url[redis]="$nearoff/api/products/$hot_nearoff" args[redis]="fixed" expected[redis]=redis
label[redis]="Redis only (near cache off)"
url[off]="$off/api/products/$hot_off" args[off]="fixed" expected[off]=origin label[off]="cache off (MongoDB)"
url[list]="$default$list" args[list]="fixed" label[list]="cached list page (20 products)"
url[auth-read]="$default/api/products/$hot" args[auth-read]="fixed|$user" expected[auth-read]=near
label[auth-read]="authenticated read (near cache)"
# Random products: 64 connections patching one product would mostly lose the
# optimistic-lock race (409).
url[auth-patch]="$default/api/products/$hot" args[auth-patch]="patch|$user|$OUT/patch-paths.txt|/api/products/"
label[auth-patch]="authenticated PATCH (wishlist, random items)"

if [ "$FEATURE_COSTS" = 1 ]; then
	names+=(secured no-rl no-obs)
	url[secured]="$secured/api/products/$hot" args[secured]="fixed" label[secured]="bare app + Spring Security"
	url[no-rl]="$norl/api/products/$hot_norl" args[no-rl]="fixed" expected[no-rl]=near
	label[no-rl]="near cache, hot item, rate limiting off"
	url[no-obs]="$noobs/api/products/$hot_noobs" args[no-obs]="fixed" expected[no-obs]=near
	label[no-obs]="near cache, hot item, http.server.requests off"
fi

# Prints "<requests/s> <p50 ms> <p99 ms> <near> <redis> <origin> <other> <failed>".
run_wrk() {
	local name=$1 seconds=$2
	IFS='|' read -r -a a <<<"${args[$name]}"
	local script=$OUT/hot-path.lua
	if [ -n "${a[2]:-}" ]; then script=$OUT/hot-path-random.lua; fi
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --latency -s "$script" "${url[$name]}" \
		-- "${a[@]}" | awk '
		function ms(v) {
			if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
			if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
			if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
			return v
		}
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/^LEVELS/ { levels = $2 " " $3 " " $4 " " $5 " " $6 " " $7 }
		END { printf "%.0f %.3f %.3f %s\n", rps, p50, p99, levels }'
}

warmed=(ceiling near redis off)
if [ "$FEATURE_COSTS" = 1 ]; then warmed+=(secured no-rl no-obs); fi
for name in "${warmed[@]}"; do
	echo "Warming $name for $WARMUP s..."
	run_wrk "$name" "$WARMUP" >/dev/null
done
for name in ping random list auth-read auth-patch; do
	echo "Warming $name for 5 s..."
	run_wrk "$name" 5 >/dev/null
done

declare -A samples
for round in $(seq 1 "$ROUNDS"); do
	for name in "${names[@]}"; do
		samples[$name]+="$(run_wrk "$name" "$ROUND_SECONDS")"$'\n'
	done
	echo "Round $round of $ROUNDS done (load average $(load_average))"
done

# Requests/s: mean of the rounds; p50, p99: median of the rounds; levels: summed.
declare -A rps p50 p99 levels
for name in "${names[@]}"; do
	read -r rps[$name] p50[$name] p99[$name] levels[$name] < <(printf '%s' "${samples[$name]}" | awk '
		{ r += $1; a[NR] = $2; b[NR] = $3; n += $4; re += $5; o += $6; x += $7; f += $8; if ($9 != "-") s = $9 }
		function median(v, k,   i, j, t) {
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
		}
		END { printf "%.0f %.3f %.3f %d/%d/%d/%d/%d%s\n", r / NR, median(a, NR), median(b, NR), n, re, o, x, f, (s != "") ? "(" s ")" : "" }')
done

# The profile: the near-cache read under the same load, and the service JVM's CPU.
echo "Profiling the near-cache read for $PROFILE_SECONDS s..."
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/${pid[default]}/stat"; }
cpu_before=$(cpu)
run_wrk near "$((PROFILE_SECONDS + 2))" >"$OUT/profile-wrk.txt" &
wrk_pid=$!
sleep 1
jcmd "${pid[default]}" JFR.start duration="${PROFILE_SECONDS}s" settings=profile filename="$PWD/$OUT/near.jfr" >/dev/null
wait "$wrk_pid"
sleep 2
cpu_after=$(cpu)
service_cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks" -v s="$((PROFILE_SECONDS + 2))" \
	'BEGIN { printf "%.0f", 100 * (b - a) / t / s }')
load_after=$(load_average)
others_after=$(others)
stop_all

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
atleast() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "met" : "**not met**" }'; }
atmost() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "**not met**" }'; }
share() { awk -v l="$1" -v i="$2" 'BEGIN { split(l, v, "/"); t = v[1] + v[2] + v[3] + v[4]; printf "%.1f", (t > 0) ? 100 * v[i] / t : 0 }'; }
near_ceiling=$(ratio "${rps[near]}" "${rps[ceiling]}")
random_ceiling=$(ratio "${rps[random]}" "${rps[ceiling]}")
redis_ceiling=$(ratio "${rps[redis]}" "${rps[ceiling]}")
redis_off=$(ratio "${rps[redis]}" "${rps[off]}")
p99_ratio=$(ratio "${p99[near]}" "${p99[ceiling]}")
redis_served=$(share "${levels[redis]}" 2)

{
	echo "Measured $(date -u +%Y-%m-%d), \`bench/hot-path.sh\` (commit $(git rev-parse --short HEAD)): $(nproc) cores," \
		"wrk $THREADS threads / $CONNECTIONS connections, $ROUNDS interleaved rounds of $ROUND_SECONDS s per case" \
		"after $WARMUP s of warm-up per instance. Load average $load_before at the start, $load_after at the end;" \
		"other busy processes at the start: ${others_before:-none}; at the end: ${others_after:-none}."
	echo
	echo "| case | requests/s | p50 ms | p99 ms | responses near/redis/origin/none/errors (an error status) | expected level |"
	echo "|---|---:|---:|---:|---|---|"
	for name in "${names[@]}"; do
		served=
		case ${expected[$name]:-} in
		near) served="near $(share "${levels[$name]}" 1) %" ;;
		redis) served="redis $(share "${levels[$name]}" 2) %" ;;
		origin) served="origin $(share "${levels[$name]}" 3) %" ;;
		esac
		echo "| ${label[$name]} | ${rps[$name]} | ${p50[$name]} | ${p99[$name]} | ${levels[$name]} | $served |"
	done
	echo
	echo "| target (issue 10) | measured | |"
	echo "|---|---:|---|"
	echo "| near-cache hot read >= 0.7x the ceiling | ${near_ceiling}x | $(atleast "$near_ceiling" 0.7) |"
	echo "| near-cache random reads >= 0.6x the ceiling | ${random_ceiling}x | $(atleast "$random_ceiling" 0.6) |"
	echo "| Redis-only read >= 0.3x the ceiling | ${redis_ceiling}x | $(atleast "$redis_ceiling" 0.3) |"
	echo "| Redis-only read >= 2.5x cache off | ${redis_off}x | $(atleast "$redis_off" 2.5) |"
	echo "| Redis-only reads served from Redis (no breaker fallback) | ${redis_served} % | $(atleast "$redis_served" 100) |"
	echo "| near-cache p99 <= 2x the ceiling's p99 | ${p99_ratio}x | $(atmost "$p99_ratio" 2) |"
	echo
	echo "Authenticated read / anonymous near-cache read: **$(ratio "${rps[auth-read]}" "${rps[near]}")x**;" \
		"authenticated PATCH: ${rps[auth-patch]} requests/s. The service's JVM used ${service_cpu} % CPU" \
		"(of $(($(nproc) * 100)) %) during the profile."
	echo
	if [ "$FEATURE_COSTS" = 1 ]; then
		echo "What single features cost: each row against the instance it differs from by one feature"
		echo "(a share of that instance's requests/s; the machinery row is the near hot read against the"
		echo "ceiling with Spring Security):"
		echo
		echo "| feature | with | without | requests/s lost to it |"
		echo "|---|---:|---:|---:|"
		lost() { awk -v with="$1" -v without="$2" 'BEGIN { printf "%.0f %%", 100 * (1 - with / without) }'; }
		echo "| Spring Security (chain, firewall, headers), on the bare app | ${rps[secured]} | ${rps[ceiling]} | $(lost "${rps[secured]}" "${rps[ceiling]}") |"
		echo "| the service's machinery besides Spring Security (its filters, rate limiting, metrics, more routes, the near-cache read), near hot read against the secured bare app (both through the chain for anonymous reads) | ${rps[near]} | ${rps[secured]} | $(lost "${rps[near]}" "${rps[secured]}") |"
		echo "| rate limiting (near hot read) | ${rps[near]} | ${rps[no-rl]} | $(lost "${rps[near]}" "${rps[no-rl]}") |"
		echo "| http.server.requests timer and histogram (near hot read) | ${rps[near]} | ${rps[no-obs]} | $(lost "${rps[near]}" "${rps[no-obs]}") |"
		echo
		echo "A negative share: the instance without the feature was the slower one in this run, by noise or"
		echo "because its reads fell back to MongoDB (its row above says from where they were served)."
		echo
	fi
	echo '```mermaid'
	echo 'xychart-beta'
	echo '    title "Requests/s, same machine, interleaved rounds"'
	echo '    x-axis ["ceiling", "ping", "near hot", "near random", "Redis only", "cache off", "list page", "auth read", "auth PATCH"]'
	echo '    y-axis "requests/s"'
	echo "    bar [${rps[ceiling]}, ${rps[ping]}, ${rps[near]}, ${rps[random]}, ${rps[redis]}, ${rps[off]}, ${rps[list]}, ${rps[auth-read]}, ${rps[auth-patch]}]"
	echo '```'
	echo
	echo "Top frames of the near-cache read (JFR, \`settings=profile\`, $PROFILE_SECONDS s under the same wrk load):"
	echo
	bench/top-frames.sh "$OUT/near.jfr" 15
} >"$OUT/hot-path.md"
cat "$OUT/hot-path.md"

if [ "$WRITE_DOCS" = 1 ]; then
	begin='<!-- bench/hot-path.sh: begin -->'
	end='<!-- bench/hot-path.sh: end -->'
	awk -v begin="$begin" -v end="$end" -v file="$OUT/hot-path.md" '
		$0 == begin { print; while ((getline line < file) > 0) print line; skip = 1; next }
		$0 == end { skip = 0 }
		!skip { print }' docs/benchmarks.md >"$OUT/benchmarks.md"
	mv "$OUT/benchmarks.md" docs/benchmarks.md
	echo "Written to docs/benchmarks.md"
fi
