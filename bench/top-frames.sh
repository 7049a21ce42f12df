#!/usr/bin/env bash
# Aggregates the execution samples of a JFR recording: the top frames (self time) and the
# share of samples whose stack passes through each of the hot-path suspects of issue 10.
#
#   bench/top-frames.sh recording.jfr [how many top frames, 15]
#
# Prints Markdown tables. Only the samples of request threads count (Reactor Netty's event
# loops, Lettuce's and the MongoDB driver's threads, Reactor's schedulers), so the JIT,
# the GC and the JFR threads do not dilute the shares.
set -euo pipefail
recording=$1
top=${2:-15}
raw=$(jfr print --stack-depth 128 --events jdk.ExecutionSample "$recording" | awk '
	BEGIN {
		suspects["context propagation (thread locals around operators)"] = "io.micrometer.context."
		suspects["Spring Security observation decorators"] = "ObservationWebFilterChainDecorator"
		suspects["Micrometer observations (any)"] = "io.micrometer.observation."
		suspects["bean validation (Hibernate Validator)"] = "org.hibernate.validator."
		suspects["rate limiter (Bucket4j)"] = "io.github.bucket4j."
		suspects["bcrypt"] = "BCrypt"
		suspects["Jackson"] = "tools.jackson."
		suspects["Spring Security (any)"] = "org.springframework.security."
		suspects["Lettuce (any)"] = "io.lettuce."
		suspects["MongoDB driver (any)"] = "com.mongodb."
		suspects["logging (Logback)"] = "ch.qos.logback."
	}
	/sampledThread = / { keep = ($0 ~ /reactor-http|lettuce|EventLoop|parallel-|boundedElastic|AsynchronousChannelGroup|nioEventLoop|epoll/) }
	/stackTrace = \[/ { instack = 1; first = 1; stack = ""; next }
	instack && /^[[:space:]]*\]/ {
		instack = 0
		if (keep) {
			total++
			self[frame]++
			for (s in suspects) if (index(stack, suspects[s]) > 0) hits[s]++
		}
		next
	}
	instack {
		line = $0
		sub(/^[[:space:]]+/, "", line)
		sub(/[[:space:]]+line:.*$/, "", line)
		if (first) { frame = line; first = 0 }
		stack = stack "|" line
	}
	END {
		printf "T\t%d\t\n", total
		for (f in self) printf "S\t%d\t%s\n", self[f], f
		for (s in suspects) printf "H\t%d\t%s\n", hits[s] + 0, s
	}')
total=$(printf '%s\n' "$raw" | awk -F '\t' '$1 == "T" { print $2 }')
echo "$total samples of request threads"
echo
echo "| top frame (self time) | samples | share |"
echo "|---|---:|---:|"
printf '%s\n' "$raw" | awk -F '\t' '$1 == "S"' | sort -t "$(printf '\t')" -k2,2nr |
	awk -F '\t' -v total="$total" -v top="$top" 'NR <= top { f = $3; gsub(/\|/, "\\|", f); printf "| `%s` | %d | %.1f %% |\n", f, $2, 100 * $2 / total }'
echo
echo "| stacks through | samples | share |"
echo "|---|---:|---:|"
printf '%s\n' "$raw" | awk -F '\t' '$1 == "H"' | sort -t "$(printf '\t')" -k2,2nr |
	awk -F '\t' -v total="$total" '{ printf "| %s | %d | %.1f %% |\n", $3, $2, 100 * $2 / total }'
