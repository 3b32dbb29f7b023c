#!/usr/bin/env bash
# Proves docker-compose.yml on this machine: builds the image from local base images, trains a
# small run with a coordinator and one trainer node per scenario (plus a scaled-out one), then
# trains again while a trainer container is killed, and checks summary.json on the host volume.
#
#   sudo deploy/test-compose.sh          (CI: .ci/run; needs root, Debian/Ubuntu with apt)
#
# What it does, in order (every step is time-bounded; everything it started is undone on exit):
#   1. installs docker.io, docker-compose, debootstrap, iptables and jq with apt when missing;
#   2. starts its own dockerd (own data root, exec root, socket, bridge and address pool: it never
#      touches another Docker on the machine), waits until it answers;
#   3. builds the base images from Debian packages: `debootstrap --variant=minbase bookworm`
#      imported as grpo-base/debian, then grpo-base/jdk17-maven and grpo-base/jre17 on it
#      (deploy/base/), and passes them as the image's BUILD_IMAGE / RUNTIME_IMAGE build args;
#   4. `docker-compose build`, then run 1: `up --scale urban=2` (5 trainer nodes), waits for the
#      coordinator, asserts its exit status and summary.json (all four scenarios, workers_seen >= 5,
#      nodes_seen >= 6, every update done, a checkpoint on the host, files not owned by root);
#   5. run 2: once training is under way, `docker kill`s the rural trainer and asserts the run
#      still completes (exit 0, every update, workers_seen >= 4);
#   6. `docker-compose down`, stops dockerd by its PID, deletes the bridge, the iptables rules and
#      chains it added, and its state directory, and restores net.ipv4.ip_forward.
#
# Cache: dockerd's data root lives in $GRPO_DOCKER_CACHE (default ~/.cache/grpo/docker/data-root)
# and is kept between runs, so the base images, the Maven dependency layer of the image build
# and the build cache make a repeated run take a few minutes (the build stage is kept tagged as
# grpo:compose-test-build-stage so that pruning old images keeps the dependency layer). The debootstrapped root file system
# is also kept there as a tarball. `deploy/test-compose.sh --purge-cache` deletes all of it.
#
# Environment: GRPO_COMPOSE (compose command, default docker-compose, else `docker compose`),
# GRPO_DEBIAN_MIRROR (default http://deb.debian.org/debian), GRPO_TEST_SUBNET (the /16 prefix of
# the test networks, default 10.213), GRPO_KEEP_WORK=1 (keep logs and run directories).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${GRPO_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grpo/docker}"
STATE=/run/grpo-test-dockerd
SOCK="$STATE/docker.sock"
BRIDGE=grpo-br0
NET="${GRPO_TEST_SUBNET:-10.213}"
BRIDGE_CIDR="$NET.0.1/24"
POOL="$NET.64.0/18"
MIRROR="${GRPO_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PROJECT=grpo-compose-test
IMAGE=grpo:compose-test
BASE_DEBIAN=grpo-base/debian:bookworm
BASE_JDK=grpo-base/jdk17-maven:bookworm
BASE_JRE=grpo-base/jre17:bookworm
DOCKER=docker
[[ -x /usr/bin/docker ]] && DOCKER=/usr/bin/docker   # the CLI that comes with the daemon
WORK=""
DOCKERD_PID=""
FAILED=1

exec 3>&1   # progress lines always reach the console, also from inside redirected steps
log() { printf '[test-compose %4ds] %s\n' "$SECONDS" "$*" >&3; }
die() { log "FAIL: $*"; exit 1; }
d() { DOCKER_HOST="unix://$SOCK" "$DOCKER" "$@"; }
dt() { local limit="$1"; shift; timeout "$limit" env DOCKER_HOST="unix://$SOCK" "$DOCKER" "$@"; } # d, time-bounded

if [[ "${1:-}" == --purge-cache ]]; then
  [[ -f "$STATE/dockerd.pid" ]] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null && die "a test dockerd is running"
  rm -rf "$CACHE" && log "removed $CACHE" && exit 0
fi
[[ "$(id -u)" == 0 ]] || die "needs root (it starts dockerd and changes iptables)"

# ---------------------------------------------------------------------------------------------
# cleanup: runs on every exit
# ---------------------------------------------------------------------------------------------
IPT_CHAINS_BEFORE=""
NFT_TABLES_BEFORE="$(nft list tables 2>/dev/null || true)"
FORWARD_POLICY_BEFORE=""
IP_FORWARD_BEFORE=""
BRIDGE_CREATED=0

chains_of() { iptables -t "$1" -S 2>/dev/null | awk '$1 == "-N" {print $2}' | sort; }

iptables_cleanup() {
  command -v iptables >/dev/null || return 0
  local t created re rule
  for t in filter nat; do
    created="$(comm -13 <(printf '%s\n' "$IPT_CHAINS_BEFORE" | grep "^$t " | cut -d' ' -f2 | sort) \
                        <(chains_of "$t"))" || true
    created="$(grep '^DOCKER' <<<"$created" || true)"
    re="(-i|-o) $BRIDGE( |\$)|$NET\\.[0-9]+\\.[0-9]+"
    [[ -n "$created" ]] && re="$re|-j ($(paste -sd'|' <<<"$created"))( |\$)"
    # Rules in other chains that mention our bridge, our subnets or a chain we added.
    while read -r rule; do
      [[ -z "$rule" ]] && continue
      chain="$(awk '{print $2}' <<<"$rule")"
      grep -qx -- "$chain" <<<"$created" && continue
      eval "iptables -t $t -D ${rule#-A }" 2>/dev/null || true
    done < <(iptables -t "$t" -S 2>/dev/null | grep '^-A ' | grep -E -- "$re" || true)
    for c in $created; do iptables -t "$t" -F "$c" 2>/dev/null || true; done
    for c in $created; do iptables -t "$t" -X "$c" 2>/dev/null || true; done
  done
  if [[ -n "$FORWARD_POLICY_BEFORE" ]]; then iptables -P FORWARD "$FORWARD_POLICY_BEFORE" 2>/dev/null || true; fi
  # iptables-nft: drop the (now empty) nftables tables that did not exist before dockerd.
  if command -v nft >/dev/null && iptables -V 2>/dev/null | grep -q nf_tables; then
    for t in filter nat; do
      grep -qx "table ip $t" <<<"$NFT_TABLES_BEFORE" && continue
      nft list table ip "$t" >/dev/null 2>&1 || continue
      if ! iptables -t "$t" -S | grep -qv -- '-P .* ACCEPT$'; then nft delete table ip "$t" 2>/dev/null || true; fi
    done
  fi
}

stop_dockerd() { # stop_dockerd PID: SIGTERM, then SIGKILL after 30 s; its containerd goes with it
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "dockerd did not stop in 30 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  # containerd (a child of dockerd) normally exits with it; stop a leftover one by its pid file.
  local cpid
  cpid="$(cat "$STATE/exec/containerd/containerd.pid" 2>/dev/null || true)"
  if [[ -n "$cpid" ]] && kill -0 "$cpid" 2>/dev/null && grep -q containerd "/proc/$cpid/comm" 2>/dev/null; then
    kill -TERM "$cpid" 2>/dev/null || true; sleep 2; kill -KILL "$cpid" 2>/dev/null || true
  fi
}

unmount_under() { # unmount anything left mounted below a directory (deepest first)
  local dir="$1"
  awk -v d="$dir/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM ERR
  set +e
  if [[ -n "$BG_PID" ]]; then   # a step still running: stop it (and its children) by PID
    pkill -TERM -P "$BG_PID" 2>/dev/null; kill -TERM "$BG_PID" 2>/dev/null; wait "$BG_PID" 2>/dev/null
  fi
  if [[ -n "$DOCKERD_PID" ]] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    if [[ $FAILED == 1 && -n "$WORK" ]]; then
      log "--- logs of the last compose project (on failure) ---"
      compose logs --no-color --tail=60 2>/dev/null | tail -200
    fi
    log "docker-compose down"
    timeout 120 env DOCKER_HOST="unix://$SOCK" $COMPOSE_CMD -f "$ROOT/docker-compose.yml" -p "$PROJECT" down -v --remove-orphans \
      >/dev/null 2>&1 || log "warning: compose down failed"
    d image prune -f >/dev/null 2>&1
    stop_dockerd "$DOCKERD_PID"
  fi
  unmount_under "$STATE"
  unmount_under "$CACHE"
  iptables_cleanup
  if [[ $BRIDGE_CREATED == 1 ]]; then ip link del "$BRIDGE" 2>/dev/null || true; fi
  # networks of ours that dockerd could not delete (it was killed)
  for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep '^br-' || true); do
    ip -4 addr show dev "$br" 2>/dev/null | grep -q " $NET\." && ip link del "$br" 2>/dev/null
  done
  if [[ -n "$IP_FORWARD_BEFORE" ]]; then sysctl -qw net.ipv4.ip_forward="$IP_FORWARD_BEFORE" >/dev/null 2>&1; fi
  rm -rf "$STATE"
  if [[ -n "$WORK" ]]; then
    if [[ $FAILED == 1 || "${GRPO_KEEP_WORK:-0}" == 1 ]]; then log "kept logs and runs in $WORK"; else rm -rf "$WORK"; fi
  fi
  if [[ $FAILED == 1 ]]; then log "test-compose: FAILED after ${SECONDS}s"; [[ $status == 0 ]] && status=1; fi
  exit "$status"
}
trap cleanup EXIT
trap 'log "error: line $LINENO: $BASH_COMMAND"' ERR
WORK="$(mktemp -d /tmp/grpo-compose-test.XXXXXX)"

# Long steps run in the background while the script waits for them, so that a TERM or INT (CI's
# time limit, Ctrl-C) is acted on at once: bash runs a trap only after a foreground command ends.
BG_PID=""
interruptible() {
  local st=0
  "$@" &
  BG_PID=$!
  wait "$BG_PID" || st=$?
  BG_PID=""
  return "$st"
}

retry() { # retry WHAT COMMAND...: network steps get a second chance (mirrors and Maven Central hiccup)
  local what="$1"; shift
  interruptible "$@" && return 0
  log "$what failed; retrying once in 10 s"
  sleep 10
  interruptible "$@"
}
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# 1. packages
# ---------------------------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v iptables >/dev/null || need+=(iptables)
command -v jq >/dev/null || need+=(jq)
if [[ -z "${GRPO_COMPOSE:-}" ]] && ! command -v docker-compose >/dev/null; then need+=(docker-compose); fi
if ((${#need[@]})); then
  log "installing ${need[*]} with apt"
  command -v apt-get >/dev/null || die "apt-get not found; install ${need[*]} by hand"
  retry "apt-get update" timeout 300 apt-get update -q >"$WORK/apt.log" 2>&1 \
    || { tail -20 "$WORK/apt.log"; die "apt-get update failed"; }
  retry "apt-get install" env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends \
    "${need[@]}" >>"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; die "apt-get install ${need[*]} failed"; }
fi
[[ -x /usr/bin/docker ]] && DOCKER=/usr/bin/docker
if [[ -n "${GRPO_COMPOSE:-}" ]]; then COMPOSE_CMD="$GRPO_COMPOSE"
elif command -v docker-compose >/dev/null; then COMPOSE_CMD=docker-compose
else COMPOSE_CMD="$DOCKER compose"; fi
compose() { DOCKER_HOST="unix://$SOCK" $COMPOSE_CMD -f "$ROOT/docker-compose.yml" -p "$PROJECT" "$@"; }
log "using $($DOCKER --version 2>/dev/null || true), $(DOCKER_HOST=x $COMPOSE_CMD version --short 2>/dev/null || echo "$COMPOSE_CMD")"

# ---------------------------------------------------------------------------------------------
# 2. dockerd
# ---------------------------------------------------------------------------------------------
# A test dockerd left by an interrupted run of this script: stop it by its pid file.
if [[ -f "$STATE/dockerd.pid" ]]; then
  old="$(cat "$STATE/dockerd.pid")"
  if kill -0 "$old" 2>/dev/null && grep -q dockerd "/proc/$old/comm" 2>/dev/null; then
    log "a previous test dockerd (pid $old) is still running"
    stop_dockerd "$old"
  fi
fi
unmount_under "$STATE"
rm -rf "$STATE"
mkdir -p "$STATE" "$CACHE"

IP_FORWARD_BEFORE="$(sysctl -n net.ipv4.ip_forward 2>/dev/null || true)"
IPTABLES=true
if ! iptables -t nat -S >/dev/null 2>&1 || ! iptables -t filter -S >/dev/null 2>&1; then
  IPTABLES=false
  log "NOTE: iptables does not work here (no netfilter NAT in this kernel?): dockerd runs with" \
      "--iptables=false, so containers have no NAT to the outside; image builds then use the host's" \
      "network (docker build --network host) and the nodes talk over the bridge only"
else
  IPT_CHAINS_BEFORE="$(for t in filter nat; do chains_of "$t" | sed "s/^/$t /"; done)"
  FORWARD_POLICY_BEFORE="$(iptables -S FORWARD | awk '$1 == "-P" {print $3}')"
fi

if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link add "$BRIDGE" type bridge
  BRIDGE_CREATED=1
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
else
  BRIDGE_CREATED=1   # left by an interrupted run: ours to remove
fi

start_dockerd() { # start_dockerd DRIVER DATA_ROOT: starts it, sets DOCKERD_PID, 0 when it answers
  local driver="$1" data="$2" i
  mkdir -p "$data"
  dockerd --data-root "$data" --exec-root "$STATE/exec" --pidfile "$STATE/dockerd.pid" \
    --host "unix://$SOCK" --bridge "$BRIDGE" --default-address-pool "base=$POOL,size=24" \
    --storage-driver "$driver" --iptables="$IPTABLES" --ip-masq="$IPTABLES" \
    >"$WORK/dockerd.log" 2>&1 3>&- &
  DOCKERD_PID=$!
  for ((i = 0; i < 120; i++)); do
    if d version >/dev/null 2>&1; then return 0; fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  log "dockerd ($driver) did not come up; its log ends with:"
  tail -15 "$WORK/dockerd.log" | sed 's/^/    /'
  stop_dockerd "$DOCKERD_PID"
  DOCKERD_PID=""
  return 1
}

DRIVER=overlay2
grep -qw overlay /proc/filesystems || { DRIVER=vfs; log "NOTE: no overlayfs in this kernel: using the vfs storage driver (slower, more disk)"; }
DATA_ROOT="$CACHE/data-root"
[[ $DRIVER == vfs ]] && DATA_ROOT="$CACHE/data-root-vfs"
log "starting dockerd: data root $DATA_ROOT ($DRIVER), socket $SOCK, bridge $BRIDGE $BRIDGE_CIDR, pool $POOL"
if ! start_dockerd "$DRIVER" "$DATA_ROOT"; then
  if [[ $DRIVER == overlay2 ]]; then
    log "retrying with the vfs storage driver"
    DRIVER=vfs; DATA_ROOT="$CACHE/data-root-vfs"
    start_dockerd vfs "$DATA_ROOT" || { log "the vfs data root may be damaged: starting it afresh"; rm -rf "$DATA_ROOT"; start_dockerd vfs "$DATA_ROOT"; } \
      || die "dockerd does not start here (see above)"
  else
    log "the data root may be damaged: starting it afresh"
    rm -rf "$DATA_ROOT"
    start_dockerd "$DRIVER" "$DATA_ROOT" || die "dockerd does not start here (see above)"
  fi
fi
log "dockerd is up (pid $DOCKERD_PID, server $(d version -f '{{.Server.Version}}'))"
# Leftovers of an interrupted run in the cached data root.
compose down -v --remove-orphans >/dev/null 2>&1 || true

# ---------------------------------------------------------------------------------------------
# 3. base images from Debian packages (cached in the data root; rebuilt when their inputs change)
# ---------------------------------------------------------------------------------------------
label_of() { d image inspect -f '{{index .Config.Labels "grpo.key"}}' "$1" 2>/dev/null || true; }
BUILD_NET=()
[[ $IPTABLES == false ]] && BUILD_NET=(--network host)

key="$(printf 'debootstrap minbase bookworm %s v1' "$MIRROR" | sha256sum | cut -c1-16)"
if [[ "$(label_of "$BASE_DEBIAN")" != "$key" ]]; then
  tarball="$CACHE/debian-bookworm-minbase-$key.tar.gz"
  if [[ ! -s "$tarball" ]]; then
    log "debootstrap --variant=minbase bookworm from $MIRROR (about a minute)"
    rootfs="$WORK/rootfs"
    retry debootstrap eval 'rm -rf "$rootfs"; timeout 900 debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1' \
      || { tail -20 "$WORK/debootstrap.log"; die "debootstrap failed"; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    find "$CACHE" -maxdepth 1 -name 'debian-bookworm-minbase-*.tar.gz' ! -name "$(basename "$tarball")" -delete
  else
    log "using the cached root file system $tarball"
  fi
  log "importing it as $BASE_DEBIAN"
  d import -c "LABEL grpo.key=$key" -c 'CMD ["bash"]' "$tarball" "$BASE_DEBIAN" >/dev/null
else
  log "cached: $BASE_DEBIAN"
fi

ctx="$WORK/base-context"
mkdir -p "$ctx/ca-certificates"
# The host's extra CAs (e.g. a TLS-intercepting proxy's), so that the build can reach Maven Central.
cp /usr/local/share/ca-certificates/*.crt "$ctx/ca-certificates/" 2>/dev/null || true
base_id="$(d image inspect -f '{{.Id}}' "$BASE_DEBIAN")"
for spec in "jdk:$BASE_JDK" "jre:$BASE_JRE"; do
  kind="${spec%%:*}"; tag="${spec#*:}"
  cp "$ROOT/deploy/base/Dockerfile.$kind" "$ctx/Dockerfile.$kind"
  key="$( (echo "$base_id"; cat "$ctx/Dockerfile.$kind"; if [[ $kind == jdk ]]; then cat "$ctx"/ca-certificates/* 2>/dev/null || true; fi) \
         | sha256sum | cut -c1-16)"
  if [[ "$(label_of "$tag")" != "$key" ]]; then
    log "building $tag from Debian packages (deploy/base/Dockerfile.$kind, about a minute)"
    retry "building $tag" dt 900 build "${BUILD_NET[@]}" --label "grpo.key=$key" --build-arg "BASE_IMAGE=$BASE_DEBIAN" \
      -t "$tag" -f "$ctx/Dockerfile.$kind" "$ctx" >"$WORK/base-$kind.log" 2>&1 \
      || { tail -30 "$WORK/base-$kind.log"; die "building $tag failed"; }
  else
    log "cached: $tag"
  fi
done

# ---------------------------------------------------------------------------------------------
# 4. the GRPO image, through the compose file's build section
# ---------------------------------------------------------------------------------------------
export GRPO_IMAGE="$IMAGE" GRPO_BUILD_IMAGE="$BASE_JDK" GRPO_RUNTIME_IMAGE="$BASE_JRE"
log "building $IMAGE (deploy/Dockerfile; BUILD_IMAGE=$BASE_JDK, RUNTIME_IMAGE=$BASE_JRE)"
t0=$SECONDS
if [[ $IPTABLES == true ]]; then
  # docker-compose 1.29 hands the build to the docker CLI (COMPOSE_DOCKER_CLI_BUILD=1; classic
  # builder, the daemon's own CLI first on PATH): its own tar of the context gives other cache
  # keys than the CLI's, and the build-stage tagging below must hit the same cache.
  retry "the image build" timeout 1200 env DOCKER_HOST="unix://$SOCK" COMPOSE_DOCKER_CLI_BUILD=1 DOCKER_BUILDKIT=0 PATH="$(dirname "$DOCKER"):$PATH" \
    $COMPOSE_CMD -f "$ROOT/docker-compose.yml" -p "$PROJECT" build coordinator \
    >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; die "image build failed"; }
else
  retry "the image build" dt 1200 build --network host -f "$ROOT/deploy/Dockerfile" -t "$IMAGE" \
    --build-arg "BUILD_IMAGE=$BASE_JDK" --build-arg "RUNTIME_IMAGE=$BASE_JRE" "$ROOT" \
    >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; die "image build failed"; }
fi
log "image built in $((SECONDS - t0)) s ($(grep -c 'Using cache' "$WORK/build.log" || true) cached steps)"
# Tag the build stage too (all cached, seconds): untagged, the pruning below would take its chain
# with it, the Maven dependency layer included, and the next run would download everything again.
DOCKER_BUILDKIT=0 interruptible dt 600 build "${BUILD_NET[@]}" --target build -t "$IMAGE-build-stage" -f "$ROOT/deploy/Dockerfile" \
  --build-arg "BUILD_IMAGE=$BASE_JDK" --build-arg "RUNTIME_IMAGE=$BASE_JRE" "$ROOT" >>"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log"; die "tagging the build stage failed"; }
d image prune -f >/dev/null 2>&1 || true   # the previous run's images, now untagged

# ---------------------------------------------------------------------------------------------
# runs
# ---------------------------------------------------------------------------------------------
UPDATES=8
export GRPO_RUNS_DIR="$WORK/runs"
export GRPO_SAMPLES_PER_UPDATE=512 GRPO_EVAL_EPISODES=2 GRPO_CHECKPOINT_EVERY=4 GRPO_TIMEOUT=10
export GRPO_SET="rollout_steps=32 hidden_sizes=[16] minibatch_size=64"
export GRPO_ENVS_PER_WORKER=2 GRPO_COORDINATOR_JAVA_OPTS=-Xmx768m GRPO_WORKER_JAVA_OPTS=-Xmx512m
mkdir -p "$GRPO_RUNS_DIR"

coordinator_id() { compose ps -q coordinator; }

wait_coordinator() { # wait_coordinator SECONDS: waits for the coordinator container; its exit status in STATUS
  local cid deadline=$((SECONDS + $1))
  cid="$(coordinator_id)"
  [[ -n "$cid" ]] || die "no coordinator container"
  while [[ "$(d inspect -f '{{.State.Status}}' "$cid")" != exited ]]; do
    ((SECONDS < deadline)) || die "the coordinator did not finish within $1 s"
    sleep 1
  done
  STATUS="$(d inspect -f '{{.State.ExitCode}}' "$cid")"
}

check_summary() { # check_summary RUN_DIR MIN_WORKERS MIN_NODES
  local dir="$1" s="$1/summary.json"
  [[ -s "$s" ]] || die "no $s on the host volume"
  jq -e '.scenarios | has("urban") and has("rural") and has("pediatric") and has("surge")' "$s" >/dev/null \
    || die "summary.json lacks a scenario: $(jq -c '.scenarios | keys' "$s")"
  jq -e --argjson w "$2" --argjson n "$3" --argjson u "$UPDATES" \
    '.cluster.workers_seen >= $w and .cluster.nodes_seen >= $n and .updates == $u and .cluster.policy_version == $u' \
    "$s" >/dev/null || die "summary.json: want workers_seen >= $2, nodes_seen >= $3, $UPDATES updates; got $(jq -c '{updates, cluster}' "$s")"
  ls "$dir"/checkpoints/*.ckpt >/dev/null 2>&1 || die "no checkpoint in $dir/checkpoints"
  [[ "$(stat -c %u "$s")" != 0 ]] || die "summary.json is owned by root: the node did not drop to a non-root user"
  log "summary.json: scenarios $(jq -c '.scenarios | keys' "$s"), cluster $(jq -c '.cluster | {nodes_seen, workers_seen, batches_received, policy_version}' "$s"), owner uid $(stat -c %u "$s")"
}

check_scenarios_joined() { # every scenario had a worker register with the learner
  local logs="$1" sc
  for sc in urban rural pediatric surge; do
    grep -q "($sc) joined" "$logs" || die "no $sc worker registered with the learner (see $logs)"
  done
}

# Run 1: one trainer node per scenario, urban scaled to 2.
log "run 1: $COMPOSE_CMD up --scale urban=2 ($UPDATES updates of 512 samples)"
export GRPO_OUT=runs/scaled GRPO_UPDATES=$UPDATES GRPO_MIN_WORKERS=5  # all five trainers, whatever order they start in
t0=$SECONDS
compose up -d --scale urban=2 >"$WORK/up1.log" 2>&1 || { cat "$WORK/up1.log"; die "compose up failed"; }
wait_coordinator 600
compose logs --no-color >"$WORK/run1.log" 2>&1 || true
[[ "$STATUS" == 0 ]] || { tail -40 "$WORK/run1.log"; die "run 1: the coordinator exited with $STATUS"; }
log "run 1: coordinator finished in $((SECONDS - t0)) s"
check_summary "$GRPO_RUNS_DIR/scaled" 5 6
check_scenarios_joined "$WORK/run1.log"
[[ "$(grep -c '(urban) joined' "$WORK/run1.log")" -ge 2 ]] || die "run 1: --scale urban=2 did not give two urban workers"
compose down -v --remove-orphans >/dev/null 2>&1

# Run 2: kill a trainer container while training runs.
# Long enough that the kill is noticed (heartbeat pause) while training goes on, however fast updates are.
UPDATES=300
export GRPO_OUT=runs/killed GRPO_UPDATES=$UPDATES GRPO_MIN_WORKERS=4
log "run 2: $COMPOSE_CMD up ($UPDATES updates); docker kill the rural trainer mid-training"
t0=$SECONDS
compose up -d >"$WORK/up2.log" 2>&1 || { cat "$WORK/up2.log"; die "compose up failed"; }
cid="$(coordinator_id)"
deadline=$((SECONDS + 300))
until d logs "$cid" >"$WORK/coordinator-so-far.log" 2>&1 && grep -q "update 3/$UPDATES" "$WORK/coordinator-so-far.log"; do
  ((SECONDS < deadline)) || die "run 2: training did not reach update 3 within 300 s"
  [[ "$(d inspect -f '{{.State.Running}}' "$cid")" == true ]] || die "run 2: the coordinator stopped early"
  sleep 1
done
rural="$(compose ps -q rural)"
rural_ip="$(d inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$rural")"
log "run 2: training under way (update 3/$UPDATES): docker kill rural trainer ${rural:0:12} ($rural_ip)"
d kill "$rural" >/dev/null
t_kill=$SECONDS
wait_coordinator 600
compose logs --no-color >"$WORK/run2.log" 2>&1 || true
[[ "$STATUS" == 0 ]] || { tail -40 "$WORK/run2.log"; die "run 2: the coordinator exited with $STATUS"; }
log "run 2: coordinator finished $((SECONDS - t_kill)) s after the kill ($((SECONDS - t0)) s in all); the killed container's restarts: $(d inspect -f '{{.RestartCount}}' "$rural" 2>/dev/null || echo '?') (docker kill counts as a manual stop)"
check_summary "$GRPO_RUNS_DIR/killed" 4 5
check_scenarios_joined "$WORK/run2.log"
grep -q "UNREACHABLE.*$rural_ip" "$WORK/run2.log" || die "run 2: the coordinator never noticed the killed node $rural_ip"
log "run 2: the coordinator marked the killed node unreachable and finished every update without it"
compose down -v --remove-orphans >/dev/null 2>&1

FAILED=0
log "test-compose: PASSED in ${SECONDS}s"
