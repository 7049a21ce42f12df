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
#            on one IP is never refused (its cost still counts), 2,000 sample products
#   near-off the same with app.cache.near.enabled=false (Redis only)
#   off      the same with app.cache.enabled=false (MongoDB on every read)
# Each has its own embedded MongoDB-compatible and Redis servers. Only these four run while
# the cases of the targets are measured; the instances that tell what single features cost
# (below) start after them, in a phase of their own. Every instance is warmed
# for WARMUP seconds (60: the service's JIT warm-up is slower than the bare app's; after
# 30 s its reads still rose by half from one round to the next), in WARMUP_ROUNDS
# interleaved rounds, so that no instance is measured while its JIT is still at work
# because it was warmed first; then wrk runs the cases in ROUNDS interleaved rounds of
# ROUND_SECONDS, so a change in the background load hits every case alike. A Lua script
# counts the X-Cache-Level of every response, so a case served from the wrong level (a
# breaker fallback under load) shows.
# Then a JFR profile of the near-cache read (PROFILE_SECONDS) and its top frames.
#
# Prints Markdown (results, ratios against the issue's targets, a Mermaid chart, the top
# frames) to target/bench/hot-path.md and, unless WRITE_DOCS=0, between the markers of
# docs/benchmarks.md.
#
# With FEATURE_COSTS=1 (the default) more instances tell what single features cost, each
# the default service (or the bare app) less one feature, measured in rounds of their own
# next to the bare app (ceiling-2: the same requests as ceiling) and a second default
# instance asked only for the hot item as they are (default-2, its case near-2), once the
# instances of the first phase but the bare app are stopped:
#   secured   the bare app with a security chain of the service's kind (Spring Security)
#   form      the bare app with a handler of the service's form: its four arguments and a
#             Mono of the response entity (ceiling.handler=service-form)
#   no-rl     the default service with app.ratelimit.enabled=false
#   no-direct the default service with app.cache.near.direct-reads=false: every near-cache
#             hit through the annotated controller (what DirectNearReads saves)
#   no-obs    the default service without the http.server.requests observation
#   no-ids    without the request-id filter (X-Request-Id, the id in log lines)
#   no-rt     without the X-Response-Time filter
#   no-cors   without the CORS configuration (so no CORS filter in the security chains)
#   no-size   without the filter that refuses a declared body above the limit (413)
#   no-names  without the filter that refuses query parameter names that are not plain (400)
#   no-own    without all five of them: the service's own filters together
# The service has no switch for those five: bench/ceiling's bench.without.WithoutBeans,
# alone on the instance's class path (loader.path), removes the named beans before the
# context starts (every service instance starts that way, most with none to remove, so
# that the launcher is the same for all), and each instance is checked to answer without
# its feature and the default instance with it. Each feature's cost is the median over the
# rounds of what the instance with it serves less than the one without, in the same round.
#
# Environment: ROUNDS (5), ROUND_SECONDS (5), WARMUP (60), WARMUP_ROUNDS (3), THREADS (2),
# CONNECTIONS (64), PROFILE_SECONDS (30), PORT (18600: the instances use PORT..PORT+15),
# BUILD (1: package the service; 0 uses the jar in target/), WRITE_DOCS (1),
# FEATURE_COSTS (1).
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
ROUND_SECONDS=${ROUND_SECONDS:-5}
WARMUP=${WARMUP:-60}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
PORT=${PORT:-18600}
BUILD=${BUILD:-1}
WRITE_DOCS=${WRITE_DOCS:-1}
FEATURE_COSTS=${FEATURE_COSTS:-1}
PRODUCTS=1000
# The PATCH case toggles products of its own, not the 1,000 that the reads ask for: a
# toggle evicts its product from every level, so over the read set it made the next
# round of random reads load about all of them from MongoDB again (4,770 of 132,000
# responses, the p99 from 15 to 123 ms), a cost of the write load, not of the read path.
PATCHED=1000
SEEDED=$((PRODUCTS + PATCHED))
RAISED=1000000000
OUT=target/bench
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
	echo "Installing wrk (Debian package)..."
	if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
# Offline first: once `./mvnw verify` has run, every dependency is in the local
# repository, and an online build can wait a long time on an unreachable mirror.
package() { ./mvnw -q -B -o "$@" package || ./mvnw -q -B "$@" package; }
if [ "$BUILD" = 1 ] || ! ls target/product-store-*.jar >/dev/null 2>&1; then
	echo "Packaging the service..."
	package -DskipTests
fi
jar=$(ls target/product-store-*.jar | grep -v -- '-plain' | head -n 1)
echo "Packaging the ceiling (bench/ceiling)..."
package -f bench/ceiling/pom.xml
ceiling_jar=bench/ceiling/target/ceiling.jar
# What the instances without a feature of their own put on their class path: the
# initializer that removes beans, and nothing else of bench/ceiling.
without=$PWD/$OUT/without
rm -rf "$without"
mkdir -p "$without/META-INF" "$without/bench/without"
cp bench/ceiling/target/classes/bench/without/*.class "$without/bench/without/"
echo 'org.springframework.context.ApplicationContextInitializer=bench.without.WithoutBeans' \
	>"$without/META-INF/spring.factories"

declare -A pid base
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

# start <name> <port> <jar> [arguments]; the service's jar starts through Boot's
# PropertiesLauncher with bench.without.WithoutBeans on its class path, less the beans
# named by WITHOUT (none if unset).
start() {
	local name=$1 port=$2 file=$3 dir
	shift 3
	dir=$(mktemp -d)
	workdirs+=("$dir")
	local launch=(-jar "$file")
	if [ "$file" = "$jar" ]; then
		launch=(-Dloader.path="$without" -cp "$file" org.springframework.boot.loader.launch.PropertiesLauncher
			--bench.without="${WITHOUT:-}")
	fi
	java -Xms512m -Xmx512m "${launch[@]}" --server.port="$port" --logging.level.root=WARN "$@" >"$dir/out.log" 2>&1 &
	pid[$name]=$!
	echo "$dir" >"$OUT/$name.dir"
}

# The service with its defaults, but capacities no single client reaches.
start_service() {
	local name=$1 port=$2 dir
	shift 2
	start "$name" "$port" "$jar" --app.seed.products="$SEEDED" \
		--app.embedded.mongodb.data-directory="$(mktemp -d)/mongodb" \
		--app.ratelimit.anonymous.capacity=$RAISED --app.ratelimit.user.capacity=$RAISED \
		--app.ratelimit.editor.capacity=$RAISED --app.ratelimit.admin.capacity=$RAISED "$@"
}

# The service's own features that have no switch, by the beans that make them.
declare -A beans=(
	[no-ids]=requestIdFilter
	[no-rt]=responseTimeFilter
	[no-cors]=corsConfigurationSource
	[no-size]=contentLengthLimitFilter
	[no-names]=queryParameterNameFilter
	[no-own]=requestIdFilter,responseTimeFilter,corsConfigurationSource,contentLengthLimitFilter,queryParameterNameFilter
)
own=(no-ids no-rt no-cors no-size no-names no-own)

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
	"after $WARMUP s of warm-up in $WARMUP_ROUNDS rounds; $(nproc) cores, load average $(load_average)"
load_before=$(load_average)
others_before=$(others)

ceiling="http://127.0.0.1:$PORT"
default="http://127.0.0.1:$((PORT + 1))"
nearoff="http://127.0.0.1:$((PORT + 2))"
off="http://127.0.0.1:$((PORT + 3))"
secured="http://127.0.0.1:$((PORT + 4))"
norl="http://127.0.0.1:$((PORT + 5))"
noobs="http://127.0.0.1:$((PORT + 6))"
user=$(printf 'user:user' | base64)
list="/api/products?category=kitchen&sort=price,asc&size=20"

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

declare -A url args expected label samples

# warm <seconds per instance> <case>...: in WARMUP_ROUNDS interleaved rounds.
warm() {
	local each=$1
	shift
	for round in $(seq 1 "$WARMUP_ROUNDS"); do
		echo "Warming $* for $each s each (round $round of $WARMUP_ROUNDS)..."
		for name in "$@"; do run_wrk "$name" "$each" >/dev/null; done
	done
}

# measure <case>...: ROUNDS interleaved rounds of the cases.
measure() {
	for round in $(seq 1 "$ROUNDS"); do
		for name in "$@"; do
			samples[$name]+="$(run_wrk "$name" "$ROUND_SECONDS")"$'\n'
		done
		echo "Round $round of $ROUNDS done (load average $(load_average))"
	done
}

warm_each=$((WARMUP / WARMUP_ROUNDS))

# Phase 1: the cases of the targets, with only their instances running. The instances
# without a feature each idle at 2-3 % of a core (heartbeats, the change-stream cursor,
# their Redis and MongoDB servers); ten of them took 8 % from the bare app and 17 % from
# the near-cache read (measured side by side), which is noise of the benchmark's own making.
start ceiling "$PORT" "$ceiling_jar"
start_service default $((PORT + 1))
start_service near-off $((PORT + 2)) --app.cache.near.enabled=false
start_service off $((PORT + 3)) --app.cache.enabled=false
await "$ceiling/api/products/x"
for base in "$default" "$nearoff" "$off"; do await "$base/actuator/health"; done

# The catalogue of the default instance (each instance has its own): 1,000 ids to read,
# 1,000 others to patch.
ids_of "$SEEDED" "$default" >"$OUT/all-ids.txt"
if [ "$(wc -l <"$OUT/all-ids.txt")" -ne "$SEEDED" ]; then
	echo "Expected $SEEDED products, found $(wc -l <"$OUT/all-ids.txt")" >&2
	exit 1
fi
head -n "$PRODUCTS" "$OUT/all-ids.txt" >"$OUT/ids.txt"
hot=$(sed -n 1p "$OUT/ids.txt")
tail -n +"$((PRODUCTS + 1))" "$OUT/all-ids.txt" | sed -e 's|$|/wishlist|' >"$OUT/patch-paths.txt"
hot_nearoff=$(ids_of 100 "$nearoff" | head -n 1)
hot_off=$(ids_of 100 "$off" | head -n 1)
await_level near "$default/api/products/$hot"
await_level redis "$nearoff/api/products/$hot_nearoff"
await_level origin "$off/api/products/$hot_off"

# Per case: the URL, the script's arguments (mode|credentials|ids file|path prefix), the
# level its reads must be served from (none: not checked) and a label.
names=(ceiling ping near random redis off list auth-read auth-patch)
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

warm "$warm_each" ceiling near redis off
for name in ping random list auth-read auth-patch; do
	echo "Warming $name for 5 s..."
	run_wrk "$name" 5 >/dev/null
done
measure "${names[@]}"

# The profile: the near-cache read under the same load, and the service JVM's CPU.
echo "Profiling the near-cache read for $PROFILE_SECONDS s..."
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/${pid[default]}/stat"; }
cpu_before=$(cpu)
run_wrk near "$((PROFILE_SECONDS + 2))" >"$OUT/profile-wrk.txt" &
wrk_pid=$!
sleep 1
jcmd "${pid[default]}" JFR.start duration="${PROFILE_SECONDS}s" settings="$PWD/bench/execution-samples.jfc" filename="$PWD/$OUT/near.jfr" >/dev/null
wait "$wrk_pid"
sleep 2
cpu_after=$(cpu)
service_cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks" -v s="$((PROFILE_SECONDS + 2))" \
	'BEGIN { printf "%.0f", 100 * (b - a) / t / s }')
load_after=$(load_average)
others_after=$(others)

# Phase 2: what single features cost, each instance against the one it differs from by
# one feature, all in the same rounds: the bare app (warm, and asked only for the hot item
# as before) and a second default instance, default-2, asked for nothing but the hot item
# like the instances without a feature. Not the first default instance: it served every
# case of phase 1 (lists, PATCHes, credentials, pings), so its JIT compiled the shared
# code for all of them, where an instance that only ever served the hot item has it
# compiled for that alone; against it, every instance without a feature came out 9-17 %
# faster, the one without the trivial parameter name check included (3 % against
# default-2).
if [ "$FEATURE_COSTS" = 1 ]; then
	for name in default near-off off; do
		kill "${pid[$name]}"
		wait "${pid[$name]}" 2>/dev/null || true
		unset "pid[$name]"
	done
	start secured $((PORT + 4)) "$ceiling_jar" --spring.autoconfigure.exclude= --ceiling.security=true
	start_service default-2 $((PORT + 14))
	default2="http://127.0.0.1:$((PORT + 14))"
	start_service no-rl $((PORT + 5)) --app.ratelimit.enabled=false
	start_service no-obs $((PORT + 6)) --management.observations.enable.http.server.requests=false
	start_service no-direct $((PORT + 15)) --app.cache.near.direct-reads=false
	nodirect="http://127.0.0.1:$((PORT + 15))"
	start form $((PORT + 7)) "$ceiling_jar" --ceiling.handler=service-form
	base[form]="http://127.0.0.1:$((PORT + 7))"
	port=$((PORT + 8))
	for name in "${own[@]}"; do
		WITHOUT=${beans[$name]} start_service "$name" "$port"
		base[$name]="http://127.0.0.1:$port"
		port=$((port + 1))
	done
	await "$secured/api/products/x"
	await "${base[form]}/api/products/x"
	for base in "$norl" "$noobs" "$nodirect" "$default2"; do await "$base/actuator/health"; done
	for name in "${own[@]}"; do await "${base[$name]}/actuator/health"; done

	hot_default2=$(ids_of 100 "$default2" | head -n 1)
	await_level near "$default2/api/products/$hot_default2"
	hot_norl=$(ids_of 100 "$norl" | head -n 1)
	hot_noobs=$(ids_of 100 "$noobs" | head -n 1)
	await_level near "$norl/api/products/$hot_norl"
	await_level near "$noobs/api/products/$hot_noobs"
	hot_nodirect=$(ids_of 100 "$nodirect" | head -n 1)
	await_level near "$nodirect/api/products/$hot_nodirect"
	declare -A hot_of
	for name in "${own[@]}"; do
		hot_of[$name]=$(ids_of 100 "${base[$name]}" | head -n 1)
		await_level near "${base[$name]}/api/products/${hot_of[$name]}"
	done
	# Each instance without a feature answers as it would not with it, the default as with it.
	header_of() { curl -fs -o /dev/null -D - "$1" | tr -d '\r' | awk -F': ' -v h="$2" 'tolower($1) == h { print $2; exit }'; }
	status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
	# has <base> <hot id> <feature> prints yes or no
	has() {
		local url="$1/api/products/$2"
		case $3 in
		ids) [ -n "$(header_of "$url" x-request-id)" ] ;;
		rt) [ -n "$(header_of "$url" x-response-time)" ] ;;
		cors) header_of "$url" vary | grep -qi origin ;;
		size) [ "$(status_of -H 'Content-Length: 5000000' "$url")" = 413 ] ;;
		names) [ "$(status_of "$url?a.b=1")" = 400 ] ;;
		esac && echo yes || echo no
	}
	for feature in ids rt cors size names; do
		if [ "$(has "$default2" "$hot_default2" "$feature")" != yes ]; then
			echo "The default instance lacks $feature" >&2
			exit 1
		fi
		for name in "no-$feature" no-own; do
			if [ "$(has "${base[$name]}" "${hot_of[$name]}" "$feature")" != no ]; then
				echo "$name still has $feature" >&2
				exit 1
			fi
		done
	done

	# ceiling-2: the same requests as ceiling, in this phase's rounds; near-2: the hot item
	# of default-2.
	url[ceiling-2]=${url[ceiling]} args[ceiling-2]=${args[ceiling]} label[ceiling-2]="bare WebFlux app (ceiling), feature rounds"
	url[near-2]="$default2/api/products/$hot_default2" args[near-2]="fixed" expected[near-2]=near
	label[near-2]="near cache, hot item, default-2 (a default instance asked only for it), feature rounds"
	url[secured]="$secured/api/products/$hot" args[secured]="fixed" label[secured]="bare app + Spring Security"
	url[no-rl]="$norl/api/products/$hot_norl" args[no-rl]="fixed" expected[no-rl]=near
	label[no-rl]="near cache, hot item, rate limiting off"
	url[no-obs]="$noobs/api/products/$hot_noobs" args[no-obs]="fixed" expected[no-obs]=near
	label[no-obs]="near cache, hot item, http.server.requests off"
	url[no-direct]="$nodirect/api/products/$hot_nodirect" args[no-direct]="fixed" expected[no-direct]=near
	label[no-direct]="near cache, hot item, through the annotated controller (direct reads off)"
	url[form]="${base[form]}/api/products/$hot" args[form]="fixed"
	label[form]="bare app, handler of the service's form (four arguments, a Mono of the entity)"
	declare -A without_label=(
		[no-ids]="request ids off (X-Request-Id, the id in log lines)"
		[no-rt]="X-Response-Time off"
		[no-cors]="CORS off"
		[no-size]="declared body-size limit off"
		[no-names]="query parameter name check off"
		[no-own]="all five of the service's own filters off"
	)
	for name in "${own[@]}"; do
		url[$name]="${base[$name]}/api/products/${hot_of[$name]}" args[$name]="fixed" expected[$name]=near
		label[$name]="near cache, hot item, ${without_label[$name]}"
	done
	features=(ceiling-2 near-2 secured form no-rl no-obs no-direct "${own[@]}")
	warm "$warm_each" near-2 secured form no-rl no-obs no-direct "${own[@]}"
	measure "${features[@]}"
	names+=("${features[@]}")
fi
stop_all

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
atleast() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "met" : "**not met**" }'; }
atmost() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "**not met**" }'; }
# paired <with> <without>: "<median> % | <lowest> % .. <highest> %" of 1 - with / without
# over the rounds, each round's two figures taken together.
paired() {
	paste -d ' ' <(printf '%s' "${samples[$1]}" | cut -d ' ' -f 1) <(printf '%s' "${samples[$2]}" | cut -d ' ' -f 1) |
		awk '{ v[NR] = 100 * (1 - $1 / $2) }
		END {
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.0f %% | %.0f %% .. %.0f %%\n", m, v[1], v[NR]
		}'
}
# explained: the share of the near hot read's requests/s lost to rate limiting, the timer and
# the service's own filters together, from their median losses multiplied out.
explained() {
	local a b c
	a=$(paired near-2 no-rl | cut -d ' ' -f 1)
	b=$(paired near-2 no-obs | cut -d ' ' -f 1)
	c=$(paired near-2 no-own | cut -d ' ' -f 1)
	awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { printf "%.0f", 100 * (1 - (1 - a / 100) * (1 - b / 100) * (1 - c / 100)) }'
}
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
		"after $WARMUP s of warm-up per instance in $WARMUP_ROUNDS interleaved rounds. Load average $load_before at the start, $load_after at the end;" \
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
		echo "What single features cost: each row against the instance it differs from by one feature,"
		echo "as the share of that instance's requests/s lost to the feature: the median over the rounds"
		echo "of 1 - with / without, both measured in the same round, and the lowest and highest round."
		echo "The requests/s are the means of the rounds, as above."
		echo
		echo "| feature | with | without | requests/s lost to it (median of rounds) | lowest .. highest round |"
		echo "|---|---:|---:|---:|---:|"
		feature_row() {
			echo "| $1 | ${rps[$2]} | ${rps[$3]} | $(paired "$2" "$3") |"
		}
		feature_row "Spring Security (chain, firewall, default headers), on the bare app" secured ceiling-2
		feature_row "the service's handler form (four arguments resolved per request, a Mono of the entity), on the bare app" form ceiling-2
		feature_row "rate limiting (near hot read)" near-2 no-rl
		feature_row "http.server.requests timer and histogram (near hot read)" near-2 no-obs
		feature_row "request ids: X-Request-Id and the id in log lines (near hot read)" near-2 no-ids
		feature_row "X-Response-Time (near hot read)" near-2 no-rt
		feature_row "CORS (near hot read)" near-2 no-cors
		feature_row "the declared body-size limit, 413 (near hot read)" near-2 no-size
		feature_row "the query parameter name check, 400 (near hot read)" near-2 no-names
		feature_row "the five above together: the service's own filters (near hot read)" near-2 no-own
		feature_row "the annotated controller's way for near-cache hits instead of DirectNearReads (app.cache.near.direct-reads=false, near hot read)" no-direct near-2
		feature_row "all of the service against the secured bare app: its filters, rate limiting, metrics, more routes, its handler and the near-cache read (both through the chain for anonymous reads)" near-2 secured
		echo
		echo "Of what the service serves less than the secured bare app ($(paired near-2 secured | cut -d ' ' -f 1) % in the median"
		echo "round), the features that can be removed explain $(explained) %, multiplied out (rate limiting, the"
		echo "timer, the five filters together); the rest is the service's request path itself: its handler's"
		echo "form (on the bare app it costs $(paired form ceiling-2 | cut -d ' ' -f 1) %), the near-cache lookup, the cache headers, its many routes."
		echo
		echo "A negative share: the instance without the feature was the slower one in this run, by noise or"
		echo "because its reads fell back to MongoDB (its row above says from where they were served). A range"
		echo "that spans zero is a cost within the noise of the run."
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
	echo "Top frames of the near-cache read (JFR execution samples every 10 ms, \`bench/execution-samples.jfc\`, $PROFILE_SECONDS s under the same wrk load):"
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
