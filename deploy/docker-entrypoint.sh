#!/usr/bin/env bash
# Entry point of the GRPO node image (deploy/Dockerfile).
#
#   <image> coordinator [grpo flags...]    the learner
#   <image> worker [grpo flags...]         a trainer node
#   <image> health                         health check: this node's cluster port accepts TCP
#   <image> <any other grpo command>       passed to the launcher as is (train, eval, bench, --help)
#   <image>                                the role in GRPO_ROLE (coordinator or worker)
#
# coordinator and worker take their settings from GRPO_* variables through deploy/grpo-node.sh
# (see there: GRPO_SCENARIOS, GRPO_UPDATES, GRPO_SCENARIO, GRPO_SET, ...). In the container:
#   GRPO_HOST        default: this container's IP (`hostname -i`). The coordinator sets it to its
#                    service name, the name the trainers' seed-node address uses.
#   GRPO_PORT        2552 (image default; every container has its own address)
#   GRPO_BIND_HOST   0.0.0.0 (image default)
#   GRPO_OUT         the run directory, relative to /grpo: the host's ./runs is /grpo/runs
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

cmd="${1:-${GRPO_ROLE:-}}"
[[ $# -gt 0 ]] && shift

case "$cmd" in
  health)
    host="${GRPO_HOST:-$(own_address)}"
    [[ "${GRPO_BIND_HOST:-}" == 0.0.0.0 ]] && host=127.0.0.1
    exec 3<>"/dev/tcp/$host/${GRPO_PORT:-2552}"
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
    exec /opt/grpo/deploy/grpo-node.sh "$cmd" "$@"
    ;;
  "")
    echo "grpo-node: give a command (coordinator, worker, train, ...) or set GRPO_ROLE" >&2
    exec "$GRPO" --help
    ;;
  *)
    exec "$GRPO" "$cmd" "$@"
    ;;
esac
