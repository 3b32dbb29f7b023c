#!/usr/bin/env bash
# JMH micro-benchmarks of the networks (inference at batch 1/16/64/256, learner epochs at
# minibatch 64/256/1024, BLAS vs DL4J vs the plain-Java reference). Not part of `verify`.
# Arguments go to JMH, e.g.  benchmarks/jmh.sh -p batch=16 'inference.*'   or   -h
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./mvnw -q -B -P jmh -pl benchmarks/jmh -am package -DskipTests >&2
CP="$ROOT/benchmarks/jmh/target/grpo-jmh-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/benchmarks/jmh/target/classpath.txt")"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Dorg.bytedeco.javacpp.cachedir="${GRPO_NATIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grpo/javacpp}" \
  -cp "$CP" org.openjdk.jmh.Main "$@"
