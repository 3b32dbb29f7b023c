#!/usr/bin/env bash
# Starts this host's GRPO cluster node from environment variables: the same settings on every
# kind of host (a systemd unit's EnvironmentFile, a shell, the container image's entry point).
#
#   deploy/grpo-node.sh coordinator [more grpo flags]
#   deploy/grpo-node.sh worker [more grpo flags]          (or GRPO_ROLE=worker deploy/grpo-node.sh)
#
# Every node:
#   GRPO_HOST        the address the OTHER hosts reach this one at (an IP or a DNS name that
#                    resolves to it everywhere); it is also the address this node binds unless
#                    GRPO_BIND_HOST is set. Required when GRPO_SEED_NODES names another host.
#   GRPO_PORT        cluster (Akka Artery, TCP) port; default 2552 for both roles here, so that
#                    the firewall rule is one port
#   GRPO_SEED_NODES  comma list host:port of the coordinator(s); none on the coordinator that
#                    starts the cluster; required on a worker
#   GRPO_BIND_HOST   interface to bind when it differs from GRPO_HOST (0.0.0.0 behind NAT or in
#                    a container)
# Coordinator: GRPO_SCENARIOS (--scenarios), GRPO_UPDATES (--updates), GRPO_SAMPLES_PER_UPDATE
#   (--samples-per-update), GRPO_EVAL_EPISODES (--eval-episodes), GRPO_CHECKPOINT_EVERY
#   (--checkpoint-every), GRPO_TIMEOUT (--timeout, minutes), GRPO_OUT (--out: the run directory),
#   GRPO_SET (whitespace-separated key=value hyperparameters, one --set each), GRPO_MIN_WORKERS
#   (--min-workers: training starts once that many workers have registered)
# Worker: GRPO_SCENARIO (--scenario, required), GRPO_WORKERS (--workers: rollout workers on this
#   host), GRPO_ENVS_PER_WORKER (--envs-per-worker)
# Both, failure detection (read by grpo itself; HOCON durations such as 500ms or 2s):
#   GRPO_HEARTBEAT_INTERVAL (--heartbeat-interval, default 1s), GRPO_HEARTBEAT_PAUSE
#   (--heartbeat-pause, default 3s: silence before a node is unreachable), GRPO_STABLE_AFTER
#   (--stable-after, default 7s: then the Split Brain Resolver downs it). Use the same on every node.
# Both: GRPO_EXTRA_ARGS (more flags, split on whitespace), JAVA_OPTS (JVM flags),
#   GRPO_LAUNCHER (default: the ./grpo launcher of this checkout or image).
# A variable that is unset or empty adds no flag: grpo's own default applies.
set -euo pipefail

LAUNCHER="${GRPO_LAUNCHER:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/grpo}"
role="${1:-${GRPO_ROLE:-}}"
[[ $# -gt 0 ]] && shift

fail() { echo "grpo-node: $*" >&2; exit 2; }
args=()
add() { if [[ -n "${2:-}" ]]; then args+=("$1" "$2"); fi; }

export GRPO_PORT="${GRPO_PORT:-2552}"
case "$role" in
  coordinator)
    add --scenarios "${GRPO_SCENARIOS:-}"
    add --updates "${GRPO_UPDATES:-}"
    add --samples-per-update "${GRPO_SAMPLES_PER_UPDATE:-}"
    add --min-workers "${GRPO_MIN_WORKERS:-}"
    add --eval-episodes "${GRPO_EVAL_EPISODES:-}"
    add --checkpoint-every "${GRPO_CHECKPOINT_EVERY:-}"
    add --timeout "${GRPO_TIMEOUT:-}"
    add --out "${GRPO_OUT:-}"
    for kv in ${GRPO_SET:-}; do args+=(--set "$kv"); done
    ;;
  worker)
    [[ -n "${GRPO_SCENARIO:-}" ]] || fail "a worker needs GRPO_SCENARIO (urban, rural, pediatric, surge or a .conf file)"
    [[ -n "${GRPO_SEED_NODES:-}" ]] || fail "a worker needs GRPO_SEED_NODES (host:port of the coordinator)"
    add --scenario "$GRPO_SCENARIO"
    add --workers "${GRPO_WORKERS:-}"
    add --envs-per-worker "${GRPO_ENVS_PER_WORKER:-}"
    ;;
  *) fail "give the role: coordinator or worker (argument or GRPO_ROLE)" ;;
esac
if [[ -n "${GRPO_SEED_NODES:-}" ]]; then
  case "${GRPO_HOST:-}" in
    ""|127.*|localhost|::1) [[ "$GRPO_SEED_NODES" =~ (^|,)(127\.|localhost) ]] \
      || fail "GRPO_HOST must be the address other hosts reach this one at (got '${GRPO_HOST:-}'; seeds $GRPO_SEED_NODES)" ;;
  esac
fi
# shellcheck disable=SC2206
extra=(${GRPO_EXTRA_ARGS:-})
echo "grpo-node: $role at ${GRPO_HOST:-127.0.0.1}:$GRPO_PORT (bind ${GRPO_BIND_HOST:-same}), seeds ${GRPO_SEED_NODES:-none: starts the cluster}" >&2
exec "$LAUNCHER" "$role" "${args[@]}" "${extra[@]}" "$@"
