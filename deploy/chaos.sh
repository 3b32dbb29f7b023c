#!/usr/bin/env bash
# Chaos run on loopback: a primary and a standby coordinator sharing one run directory, and
# worker JVMs, all started through the real ./grpo launcher. While the run trains, random worker
# JVMs are killed with SIGKILL and restarted, and once the JVM hosting the learner (the primary)
# is killed with SIGKILL. The run must still finish, on the standby, with the loss counters in
# summary.json within the promised bounds:
#   cluster.updates_lost_to_failover <= --checkpoint-every            (one checkpoint interval)
#   cluster.batches_lost_in_flight   <= workers x --max-in-flight     (the fail-over's in-flight window)
#   cluster.policy_version            == --updates                    (the run completed)
# and it prints what it measured (kills, losses, time from the learner kill to the first update
# of the resumed learner).
#
#   deploy/chaos.sh                      (after ./mvnw package; GRPO_NO_BUILD=1 is set)
#
# Environment: CHAOS_UPDATES (default 120), CHAOS_CHECKPOINT_EVERY (10), CHAOS_WORKERS (3),
# CHAOS_KILL_EVERY (seconds between worker kills, 20), CHAOS_LEARNER_KILL_AT (update at which the
# primary is killed, 30), CHAOS_PORT (first of two coordinator ports, 25520), CHAOS_TIMEOUT
# (minutes, 20), CHAOS_WORK (directory for logs and the run; default a fresh temp dir, kept).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UPDATES="${CHAOS_UPDATES:-120}"
CKPT="${CHAOS_CHECKPOINT_EVERY:-10}"
WORKERS="${CHAOS_WORKERS:-3}"
KILL_EVERY="${CHAOS_KILL_EVERY:-20}"
LEARNER_KILL_AT="${CHAOS_LEARNER_KILL_AT:-30}"
PORT="${CHAOS_PORT:-25520}"
STANDBY_PORT=$((PORT + 1))
TIMEOUT_MIN="${CHAOS_TIMEOUT:-20}"
MAX_IN_FLIGHT=2
WORK="${CHAOS_WORK:-$(mktemp -d /tmp/grpo-chaos.XXXXXX)}"
RUN="$WORK/run"
mkdir -p "$WORK"

export GRPO_NO_BUILD=1 JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
# Fast failure detection: a dead node is unreachable after ~2.5 s and downed 3 s later.
FD=(--heartbeat-interval 500ms --heartbeat-pause 2s --stable-after 3s)
TRAIN=(--scenarios urban,rural --updates "$UPDATES" --samples-per-update 512 --checkpoint-every "$CKPT"
       --eval-episodes 2 --max-in-flight "$MAX_IN_FLIGHT" --set rollout_steps=32 --set 'hidden_sizes=[16]'
       --set minibatch_size=128 --set update_epochs=2 --timeout "$TIMEOUT_MIN" --out "$RUN")
SEEDS="127.0.0.1:$PORT,127.0.0.1:$STANDBY_PORT"

log() { printf '[chaos %4ds] %s\n' "$SECONDS" "$*"; }
die() { log "FAIL: $*"; exit 1; }
[[ -f "$ROOT/coordinator/target/grpo.jar" ]] || die "build first: ./mvnw -q package -DskipTests"
command -v jq >/dev/null || die "needs jq"

declare -A WORKER_PID=()
PRIMARY=""; STANDBY=""
cleanup() {
  local pid
  trap - EXIT INT TERM
  for pid in "$PRIMARY" "$STANDBY" "${WORKER_PID[@]}"; do [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true; done
  log "logs and run directory kept in $WORK"
}
trap cleanup EXIT INT TERM

start_worker() { # slot
  local slot="$1" scenario=urban
  (( slot % 2 == 1 )) && scenario=rural
  "$ROOT/grpo" worker --scenario "$scenario" --seed-nodes "$SEEDS" --port 0 --envs-per-worker 4 \
      --max-in-flight "$MAX_IN_FLIGHT" --ack-timeout 8 --seed "$((slot + 1))" "${FD[@]}" \
      >>"$WORK/worker-$slot.log" 2>&1 &
  WORKER_PID[$slot]=$!
}

current_update() { # newest "update N/" in either coordinator log
  { grep -ho 'update [0-9]*/' "$WORK"/primary.log "$WORK"/standby.log 2>/dev/null || true; } | tr -dc '0-9\n' | sort -n | tail -1
}

log "work dir $WORK; $UPDATES updates, checkpoint every $CKPT, $WORKERS workers"
"$ROOT/grpo" coordinator --port "$PORT" "${TRAIN[@]}" "${FD[@]}" >"$WORK/primary.log" 2>&1 &
PRIMARY=$!
sleep 5
"$ROOT/grpo" coordinator --standby --port "$STANDBY_PORT" --seed-nodes "127.0.0.1:$PORT" "${TRAIN[@]}" "${FD[@]}" \
    >"$WORK/standby.log" 2>&1 &
STANDBY=$!
for ((i = 0; i < WORKERS; i++)); do start_worker "$i"; done

worker_kills=0; learner_killed=0; learner_kill_time=""; recovered_after=""
worker_kill_time=""; worker_left_before=0; worker_detect_max=0; last_worker_kill=0
workers_left() { cat "$WORK"/primary.log "$WORK"/standby.log 2>/dev/null | grep -c ' left; ' || true; }
next_kill=$((SECONDS + KILL_EVERY))
deadline=$((SECONDS + TIMEOUT_MIN * 60))
while kill -0 "$STANDBY" 2>/dev/null || { [[ $learner_killed == 0 ]] && kill -0 "$PRIMARY" 2>/dev/null; }; do
  (( SECONDS < deadline )) || die "no end after $TIMEOUT_MIN minutes"
  u="$(current_update)"; u="${u:-0}"
  # One fault at a time: the learner's node dies only once the last killed worker has been removed
  # and 10 s have passed (overlapping faults make the Split Brain Resolver down everything).
  if [[ $learner_killed == 0 && $u -ge $LEARNER_KILL_AT && -z "$worker_kill_time" ]] \
      && (( SECONDS - last_worker_kill >= 10 )); then
    log "update $u: kill -9 the learner's node (primary coordinator, pid $PRIMARY)"
    kill -KILL "$PRIMARY"; learner_killed=1; learner_kill_time=$(date +%s.%N)
    next_kill=$((SECONDS + 3600)) # one fault at a time: no worker kill until the learner has moved
  fi
  if [[ $learner_killed == 1 && -z "$recovered_after" ]] && grep -q 'resumes from' "$WORK/standby.log" \
      && [[ -n "$(sed -n '/resumes from/,$p' "$WORK/standby.log" | grep -m1 'update [0-9]*/')" ]]; then
    recovered_after=$(echo "$(date +%s.%N) - $learner_kill_time" | bc)
    log "standby resumed and finished its first update ${recovered_after}s after the kill"
    next_kill=$((SECONDS + KILL_EVERY))
  fi
  # Worker kills stay clear of the learner kill (one fault at a time, see README "Reliability").
  if (( SECONDS >= next_kill )) && [[ $u -gt 0 && $u -lt $((UPDATES - 10)) && -z "$worker_kill_time" ]] \
      && { [[ $learner_killed == 1 ]] || (( u < LEARNER_KILL_AT )); }; then
    slot=$((RANDOM % WORKERS))
    log "update $u: kill -9 worker $slot (pid ${WORKER_PID[$slot]}), restart in 3 s"
    worker_left_before=$(workers_left)
    kill -KILL "${WORKER_PID[$slot]}" 2>/dev/null || true
    worker_kill_time=$(date +%s.%N); last_worker_kill=$SECONDS
    worker_kills=$((worker_kills + 1))
    sleep 3
    start_worker "$slot"
    next_kill=$((SECONDS + KILL_EVERY))
  fi
  if [[ -n "$worker_kill_time" ]] && (( SECONDS - last_worker_kill > 60 )); then
    log "killed worker not seen leaving within 60 s (had it registered?)"; worker_kill_time=""
  fi
  if [[ -n "$worker_kill_time" ]] && (( $(workers_left) > worker_left_before )); then
    # The learner saw the killed worker go (its node downed and removed): training goes on without it.
    d=$(echo "$(date +%s.%N) - $worker_kill_time" | bc)
    log "killed worker removed by the learner ${d}s after the kill"
    worker_detect_max=$(echo "if ($d > $worker_detect_max) $d else $worker_detect_max" | bc)
    worker_kill_time=""
  fi
  sleep 0.5
done
wait "$STANDBY" && standby_status=0 || standby_status=$?
(( standby_status == 0 )) || die "standby coordinator exited $standby_status (see $WORK/standby.log)"
[[ $learner_killed == 1 ]] || die "the run ended before update $LEARNER_KILL_AT: raise CHAOS_UPDATES"
[[ -f "$RUN/summary.json" ]] || die "no summary.json in $RUN"
# Workers exit 0 when told the run is over; one restarted too late to join never hears it.
for ((i = 0; i < 60; i++)); do
  alive=0; for pid in "${WORKER_PID[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  (( alive )) || break
  sleep 1
done
for slot in "${!WORKER_PID[@]}"; do
  if kill -0 "${WORKER_PID[$slot]}" 2>/dev/null; then
    log "worker $slot still running 60 s after the end (restarted too late to join): stopping it"
    kill -TERM "${WORKER_PID[$slot]}" 2>/dev/null || true
  fi
  wait "${WORKER_PID[$slot]}" 2>/dev/null && log "worker $slot exited 0" || log "worker $slot exited $?"
done

c="$(jq -c .cluster "$RUN/summary.json")"
lost_updates=$(jq .updates_lost_to_failover <<<"$c")
lost_batches=$(jq .batches_lost_in_flight <<<"$c")
version=$(jq .policy_version <<<"$c")
log "summary.json cluster: $c"
log "measured: $worker_kills worker kills, 1 learner kill; updates lost $lost_updates (bound $CKPT), " \
    "batches lost in flight $lost_batches (bound $((WORKERS * MAX_IN_FLIGHT))), recovery ${recovered_after:-?}s, " \
    "final version $version, slowest worker removal ${worker_detect_max}s, wall $SECONDS s"
(( version == UPDATES )) || die "final policy version $version, expected $UPDATES"
(( lost_updates <= CKPT )) || die "lost $lost_updates updates, more than one checkpoint interval ($CKPT)"
(( lost_batches <= WORKERS * MAX_IN_FLIGHT )) || die "lost $lost_batches batches in flight"
[[ -n "$recovered_after" ]] || die "never saw the resumed learner update"
log "PASS"
