#!/usr/bin/env bash
# Entry point of the GRPO node image (deploy/Dockerfile).
#
#   <image> coordinator [grpo flags...]    the learner; flags from GRPO_* variables below
#   <image> worker [grpo flags...]         a trainer node; flags from GRPO_* variables below
#   <image> health                         health check: this node's cluster port accepts TCP
#   <image> warm-up                        (image build) unpack ND4J's native libraries
#   <image> <any other grpo command>       passed to the launcher as is (train, eval, bench, --help)
#   <image>                                the role in GRPO_ROLE (coordinator or worker)
#
# Where this node is (read by grpo itself; flags win):
#   GRPO_HOST        address the other nodes reach this one at; default: this container's IP
#                    (`hostname -i`). The coordinator sets it to its service name, the name the
#                    seed-node addresses use.
#   GRPO_PORT        cluster port (image default 2552; every container has its own address)
#   GRPO_BIND_HOST   interface to bind (image default 0.0.0.0)
#   GRPO_SEED_NODES  comma list host:port of the coordinator(s)
# Coordinator settings (each adds a flag when set and not empty):
#   GRPO_SCENARIOS (--scenarios), GRPO_UPDATES (--updates), GRPO_SAMPLES_PER_UPDATE
#   (--samples-per-update), GRPO_EVAL_EPISODES (--eval-episodes), GRPO_CHECKPOINT_EVERY
#   (--checkpoint-every), GRPO_TIMEOUT (--timeout, minutes), GRPO_OUT (--out: the run directory,
#   relative to /grpo, where the host's ./runs is mounted at /grpo/runs), GRPO_SET (whitespace
#   separated key=value hyperparameters, one --set each)
# Worker settings: GRPO_SCENARIO (--scenario), GRPO_WORKERS (--workers: rollout workers in this
#   container), GRPO_ENVS_PER_WORKER (--envs-per-worker)
# Both: GRPO_EXTRA_ARGS (more flags, split on whitespace), JAVA_OPTS (JVM flags).
#
# Started as root (docker-compose.yml does that for the coordinator), the node drops to a non-root
# user before anything runs: GRPO_UID[:GRPO_GID] when set, else the owner of /grpo/runs (the host's
# ./runs, so the results belong to whoever owns that directory), else the image's user `grpo`
# (10001), to whom a root-owned /grpo/runs is then handed.
set -euo pipefail

GRPO=/opt/grpo/grpo

own_address() {
  local ip
  ip="$(hostname -i 2>/dev/null | awk '{print $1}')" || true
  if [[ -z "$ip" ]]; then
    ip="$(awk -v h="$(hostname)" '$2 == h {print $1; exit}' /etc/hosts)"
  fi
  echo "${ip:-127.0.0.1}"
}

add() { # add FLAG VALUE: append "FLAG VALUE" to args when VALUE is not empty
  if [[ -n "${2:-}" ]]; then args+=("$1" "$2"); fi
}

cmd="${1:-${GRPO_ROLE:-}}"
[[ $# -gt 0 ]] && shift

case "$cmd" in
  health)
    host="${GRPO_HOST:-$(own_address)}"
    [[ "${GRPO_BIND_HOST:-}" == 0.0.0.0 ]] && host=127.0.0.1
    exec 3<>"/dev/tcp/$host/${GRPO_PORT:-2552}"
    ;;
  warm-up)
    # A one-update CartPole run loads (and so unpacks) every native library a node uses.
    tmp="$(mktemp -d)"
    GRPO_NO_BUILD=1 "$GRPO" train --env cartpole --max-env-steps 1 --eval-episodes 1 -q --out "$tmp/run" >/dev/null
    rm -rf "$tmp"
    exit 0
    ;;
  coordinator|worker)
    if [[ "$(id -u)" == 0 ]]; then
      runs=/grpo/runs
      uid="${GRPO_UID:-$(stat -c %u "$runs" 2>/dev/null || echo 0)}"
      gid="${GRPO_GID:-$(stat -c %g "$runs" 2>/dev/null || echo 0)}"
      if [[ "$uid" == 0 ]]; then
        uid="$(id -u grpo)"; gid="$(id -g grpo)"
        [[ -d "$runs" && "$(stat -c %u "$runs")" == 0 ]] && chown "$uid:$gid" "$runs"
      fi
      [[ "$gid" == 0 ]] && gid="$(id -g grpo)"
      exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$0" "$cmd" "$@"
    fi
    if [[ "$cmd" == coordinator && -d /grpo/runs && ! -w /grpo/runs ]]; then
      echo "grpo-node: /grpo/runs (the host's ./runs) is not writable by uid $(id -u); start the container as root" \
           "(it then runs as the directory's owner) or make ./runs writable for uid $(id -u)" >&2
      exit 2
    fi
    export GRPO_HOST="${GRPO_HOST:-$(own_address)}"
    args=()
    if [[ "$cmd" == coordinator ]]; then
      add --scenarios "${GRPO_SCENARIOS:-}"
      add --updates "${GRPO_UPDATES:-}"
      add --samples-per-update "${GRPO_SAMPLES_PER_UPDATE:-}"
      add --eval-episodes "${GRPO_EVAL_EPISODES:-}"
      add --checkpoint-every "${GRPO_CHECKPOINT_EVERY:-}"
      add --timeout "${GRPO_TIMEOUT:-}"
      add --out "${GRPO_OUT:-}"
      for kv in ${GRPO_SET:-}; do args+=(--set "$kv"); done
    else
      add --scenario "${GRPO_SCENARIO:-}"
      add --workers "${GRPO_WORKERS:-}"
      add --envs-per-worker "${GRPO_ENVS_PER_WORKER:-}"
    fi
    # shellcheck disable=SC2206
    extra=(${GRPO_EXTRA_ARGS:-})
    echo "grpo-node: $cmd at ${GRPO_HOST}:${GRPO_PORT:-default} (bind ${GRPO_BIND_HOST:-same}), seeds ${GRPO_SEED_NODES:-none}, uid $(id -u)" >&2
    exec "$GRPO" "$cmd" "${args[@]}" "${extra[@]}" "$@"
    ;;
  "")
    echo "grpo-node: give a command (coordinator, worker, train, ...) or set GRPO_ROLE" >&2
    exec "$GRPO" --help
    ;;
  *)
    exec "$GRPO" "$cmd" "$@"
    ;;
esac
