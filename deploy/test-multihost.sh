#!/usr/bin/env bash
# Proves the several-machines setup without machines: network namespaces stand in for hosts.
#
#   sudo deploy/test-multihost.sh        (CI: .ci/run, after ./mvnw verify built the jar)
#
# Topology (all created here, all removed on exit; nothing is added to the root namespace):
#   grpo-mh-sw   a "switch": one bridge, br0, holding the far end of every host's cable
#   grpo-mh-h1   host 1, eth0 = $NET.1/24: the coordinator   (./grpo coordinator)
#   grpo-mh-h2   host 2, eth0 = $NET.2/24: urban trainer      (./grpo worker --scenario urban)
#   grpo-mh-h3   host 3, eth0 = $NET.3/24: rural trainer      (./grpo worker --scenario rural)
#   grpo-mh-h4   host 4, eth0 = $NET.4/24: pediatric trainer, added while training runs
#                                                            (deploy/grpo-node.sh worker, env only)
# Each host is a namespace with its own loopback and one veth pair to the switch; traffic stays
# inside these namespaces. Every node is started through the real launcher, configured the way
# deploy/README.md tells a real host: GRPO_HOST (this host's address), GRPO_PORT, GRPO_SEED_NODES.
#
# The run: the coordinator starts the cluster; hosts 2 and 3 join; once training is under way
# host 4 joins (adding a worker host mid-run), then host 3 is stopped with SIGTERM (removing a
# host mid-run: it stops, and the cluster drops it). Asserts: the coordinator exits 0 after every update,
# summary.json has cluster.nodes_seen >= 4 (>= 3 required) and workers_seen >= 3, hosts 2 and 4
# exit 0 when the run ends.
#
# Environment: GRPO_TEST_MH_SUBNET (a /24 prefix, default 10.214.0), GRPO_KEEP_WORK=1.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NET="${GRPO_TEST_MH_SUBNET:-10.214.0}"
PREFIX=grpo-mh
SW="$PREFIX-sw"
PORT=2552
UPDATES=1500  # room for host 4 to start and join, and host 3 to leave, before the run ends (about 0.1 s an update here)
WORK=""
PIDS=()
FAILED=1

log() { printf '[test-multihost %4ds] %s\n' "$SECONDS" "$*"; }
die() { log "FAIL: $*"; exit 1; }
on() { local h="$1"; shift; ip netns exec "$PREFIX-h$h" "$@"; }   # run a command on host N

[[ "$(id -u)" == 0 ]] || die "needs root (it creates network namespaces)"
command -v ip >/dev/null || die "needs iproute2 (ip)"
command -v jq >/dev/null || { log "installing jq"; timeout 300 apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q jq >/dev/null || die "cannot install jq"; }

remove_namespaces() { # stops what runs in our namespaces (processes this script started) and deletes them
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX-" || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
  done
  sleep 1
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX-" || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM ERR
  set +e
  for pid in "${PIDS[@]}"; do pkill -TERM -P "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [[ $FAILED == 1 && -n "$WORK" ]]; then
    for f in "$WORK"/*.log; do [[ -f "$f" ]] && { log "--- tail of $(basename "$f") ---"; tail -25 "$f"; }; done
  fi
  remove_namespaces
  if [[ -n "$WORK" ]]; then
    if [[ $FAILED == 1 || "${GRPO_KEEP_WORK:-0}" == 1 ]]; then log "kept logs and the run in $WORK"; else rm -rf "$WORK"; fi
  fi
  if [[ $FAILED == 1 ]]; then log "test-multihost: FAILED after ${SECONDS}s"; [[ $status == 0 ]] && status=1; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'log "error: line $LINENO: $BASH_COMMAND"' ERR

# ---------------------------------------------------------------------------------------------
# the distribution
# ---------------------------------------------------------------------------------------------
if [[ ! -f "$ROOT/coordinator/target/grpo.jar" ]]; then
  log "no coordinator/target/grpo.jar: building it (./mvnw -B -ntp -q package -DskipTests)"
  (cd "$ROOT" && timeout 1200 ./mvnw -B -ntp -q package -DskipTests) &
  PIDS+=($!)
  wait "${PIDS[-1]}" || die "build failed"
fi

# ---------------------------------------------------------------------------------------------
# hosts
# ---------------------------------------------------------------------------------------------
remove_namespaces   # leftovers of an interrupted run
if ! ip netns add "$SW" 2>"/tmp/$PREFIX-netns.err"; then
  cat "/tmp/$PREFIX-netns.err"; rm -f "/tmp/$PREFIX-netns.err"
  die "cannot create a network namespace here (kernel without CONFIG_NET_NS, or no CAP_SYS_ADMIN): nothing to test"
fi
rm -f "/tmp/$PREFIX-netns.err"
WORK="$(mktemp -d /tmp/grpo-multihost-test.XXXXXX)"
ip -n "$SW" link set lo up
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
for h in 1 2 3 4; do
  ns="$PREFIX-h$h"
  ip netns add "$ns"
  # One cable: eth0 on the host, port$h on the switch; both ends are created inside the namespaces.
  ip link add eth0 netns "$ns" type veth peer name "port$h" netns "$SW"
  ip -n "$SW" link set "port$h" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$NET.$h/24" dev eth0
  ip -n "$ns" link set eth0 up
done
log "hosts up: $(for h in 1 2 3 4; do printf '%s=%s ' "$PREFIX-h$h" "$(ip -n "$PREFIX-h$h" -4 -o addr show dev eth0 | awk '{print $4}')"; done)"
if command -v ping >/dev/null; then
  for h in 2 3 4; do on "$h" ping -c 1 -W 5 "$NET.1" >/dev/null || die "host $h cannot reach host 1 ($NET.1)"; done
  log "hosts 2, 3 and 4 reach host 1 over the test network"
else
  log "(no ping here: reachability is shown by the nodes joining)"
fi
# The root namespace has no route to the test subnet: traffic stays between the namespaces.
! ip route get "$NET.1" 2>/dev/null | grep -q "dev $PREFIX" || die "unexpected route to the test subnet in the root namespace"

# ---------------------------------------------------------------------------------------------
# nodes, through the real launcher
# ---------------------------------------------------------------------------------------------
SMALL=(--set rollout_steps=32 --set hidden_sizes=[16] --set minibatch_size=64)
start() { # start HOST LOGNAME ENV... -- ARGS...: starts ./grpo on host HOST, appends its PID to PIDS
  local h="$1" name="$2"; shift 2
  local envs=()
  while [[ "$1" != -- ]]; do envs+=("$1"); shift; done
  shift
  local cmd=("$ROOT/grpo")
  [[ "$1" == worker && $# == 1 ]] && cmd=("$ROOT/deploy/grpo-node.sh")   # settings all in the environment
  on "$h" env GRPO_NO_BUILD=1 JAVA_OPTS=-Xmx512m "${envs[@]}" "${cmd[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
}

RUN="$WORK/run"
log "host 1: coordinator at $NET.1:$PORT ($UPDATES updates of 512 samples)"
start 1 coordinator GRPO_HOST="$NET.1" GRPO_PORT="$PORT" -- \
  coordinator --scenarios urban,rural,pediatric --updates "$UPDATES" --samples-per-update 512 --eval-episodes 2 --min-workers 2 \
  --checkpoint-every 10 "${SMALL[@]}" --timeout 10 --out "$RUN"
COORD=$LAST_PID
log "host 2: urban trainer, host 3: rural trainer (seed node $NET.1:$PORT)"
start 2 urban GRPO_HOST="$NET.2" GRPO_PORT="$PORT" GRPO_SEED_NODES="$NET.1:$PORT" -- worker --scenario urban --envs-per-worker 2
URBAN=$LAST_PID
start 3 rural -- worker --scenario rural --host "$NET.3" --port "$PORT" --seed-nodes "$NET.1:$PORT" --envs-per-worker 2
RURAL=$LAST_PID

wait_log() { # wait_log FILE PATTERN SECONDS WHAT
  local deadline=$((SECONDS + $3))
  until grep -q -- "$2" "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || die "$4 did not happen within $3 s"
    kill -0 "$COORD" 2>/dev/null || die "the coordinator exited before: $4"
    sleep 0.5
  done
}

wait_log "$WORK/coordinator.log" "update 3/$UPDATES" 240 "training under way (update 3)"
log "training under way; host 4 joins: pediatric trainer at $NET.4"
# Host 4 starts the way deploy/README.md tells a new host: deploy/grpo-node.sh with its settings in
# the environment (what the systemd unit's EnvironmentFile holds), which runs the same launcher.
start 4 pediatric GRPO_HOST="$NET.4" GRPO_SEED_NODES="$NET.1:$PORT" GRPO_SCENARIO=pediatric GRPO_ENVS_PER_WORKER=2 -- \
  worker
PEDIATRIC=$LAST_PID
wait_log "$WORK/coordinator.log" "(pediatric) joined" 120 "host 4's worker registering with the learner"
log "host 4's worker registered; removing host 3: SIGTERM to its node (pid $RURAL)"
kill -TERM "$RURAL"
for _ in $(seq 60); do kill -0 "$RURAL" 2>/dev/null || break; sleep 0.5; done
kill -0 "$RURAL" 2>/dev/null && die "host 3's node did not stop within 30 s of SIGTERM"
rural_status=0; wait "$RURAL" || rural_status=$?
log "host 3's node stopped (exit $rural_status); training goes on with hosts 2 and 4"
kill -0 "$COORD" 2>/dev/null || die "the run finished before host 3 was removed: raise UPDATES"

deadline=$((SECONDS + 600))
while kill -0 "$COORD" 2>/dev/null; do ((SECONDS < deadline)) || die "the coordinator did not finish within 600 s"; sleep 1; done
coord_status=0; wait "$COORD" || coord_status=$?
[[ $coord_status == 0 ]] || die "the coordinator exited with $coord_status"
log "coordinator finished (exit 0)"
for pair in "urban:$URBAN" "pediatric:$PEDIATRIC"; do
  name="${pair%%:*}"; pid="${pair#*:}"
  for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && die "the $name node did not exit within 60 s of the run's end"
  st=0; wait "$pid" || st=$?
  [[ $st == 0 ]] || die "the $name node exited with $st (want 0: the run finished)"
done
log "the urban (host 2) and pediatric (host 4) nodes exited 0 when the run ended"

s="$RUN/summary.json"
[[ -s "$s" ]] || die "no $s"
jq -e --argjson u "$UPDATES" '.cluster.nodes_seen >= 4 and .cluster.workers_seen >= 3 and .updates == $u and .cluster.policy_version == $u' "$s" >/dev/null \
  || die "summary.json: want nodes_seen >= 4, workers_seen >= 3, $UPDATES updates; got $(jq -c '{updates, cluster}' "$s")"
for h in 2 3 4; do grep -q "worker $NET.$h-" "$WORK/coordinator.log" || die "no worker of host $h ($NET.$h) registered"; done
log "summary.json: $(jq -c '.cluster | {nodes_seen, workers_seen, batches_received, policy_version}' "$s"); workers of $NET.2, $NET.3 and $NET.4 registered"
FAILED=0
log "test-multihost: PASSED in ${SECONDS}s"
