#!/bin/sh
# One-shot init of the 3-master Redis Cluster of docker-compose.cluster.yml; idempotent.
#   CLUSTER_NODES   "host:port host:port host:port" (the masters)
#   REDISCLI_AUTH   the password (redis-cli reads it from the environment)
# First run: CLUSTER CREATE with 3 masters, no replicas. Later runs (the nodes kept their
# nodes.conf in their volumes but may have new container addresses): CLUSTER MEET the
# current addresses again so that the nodes find each other. Then wait for cluster_state:ok.
set -eu

: "${CLUSTER_NODES:?CLUSTER_NODES is not set}"

# CLUSTER MEET takes IP addresses, not host names: resolve the nodes' current addresses.
addresses=""
for node in $CLUSTER_NODES; do
	host=${node%:*}
	port=${node##*:}
	ip=$(getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }')
	[ -n "$ip" ] || { echo "cannot resolve $host" >&2; exit 1; }
	tries=0
	until redis-cli -h "$ip" -p "$port" ping 2>/dev/null | grep -q PONG; do
		tries=$((tries + 1))
		[ "$tries" -lt 30 ] || { echo "$node does not answer PING" >&2; exit 1; }
		sleep 1
	done
	addresses="$addresses $ip:$port"
done
set -- $addresses
first_ip=${1%:*}
first_port=${1##*:}

known=$(redis-cli -h "$first_ip" -p "$first_port" cluster info | tr -d '\r' \
	| awk -F: '$1 == "cluster_known_nodes" { print $2 }')
if [ "$known" = "1" ]; then
	echo "creating the cluster:$addresses"
	redis-cli --cluster create "$@" --cluster-replicas 0 --cluster-yes
else
	echo "cluster exists ($known known nodes); re-announcing addresses:$addresses"
	for from in "$@"; do
		for to in "$@"; do
			[ "$from" = "$to" ] && continue
			redis-cli -h "${from%:*}" -p "${from##*:}" cluster meet "${to%:*}" "${to##*:}" >/dev/null
		done
	done
fi

tries=0
until redis-cli -h "$first_ip" -p "$first_port" cluster info | grep -q 'cluster_state:ok'; do
	tries=$((tries + 1))
	[ "$tries" -lt 60 ] || { echo "cluster_state is not ok after 60 s" >&2; exit 1; }
	sleep 1
done
redis-cli -h "$first_ip" -p "$first_port" cluster nodes
echo "cluster_state:ok"
