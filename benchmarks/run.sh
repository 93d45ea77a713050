#!/usr/bin/env bash
# The engine benchmark (README, "The MoeJava engine: benchmark"): generates the checkpoints it needs
# (random weights, real shapes) and their GGUF exports under $BENCH_DIR once, then runs the
# contenders in interleaved rounds, one process per measurement, and writes the table to
# benchmarks/target/engine-benchmark.md.
#   benchmarks/run.sh [small|olmoe|qwen|gptoss|serve|serve-gptoss] [ROUNDS]
#     small  OLMoE-1B-7B shape with 2 layers (BF16, Q8_0, Q4_0) and a small Mixtral (F32): ~10 min
#     olmoe  the full OLMoE-1B-7B shape (16 layers; BF16 sharded 13.8 GB, Q8_0, Q4_0)
#     qwen   the full Qwen1.5-MoE-A2.7B shape (14.3B parameters) in Q8_0 and Q4_0
#     gptoss the gpt-oss-20b shape (20.9B parameters, MXFP4 experts as on the hub, ~13 GB); llama.cpp
#            b4916 (java-llama.cpp 4.1.0) predates gpt-oss, so MoeJava runs alone
#     serve, serve-gptoss  server throughput (ServeBench): `moe-zoo serve` on MoeJava with 1, 2 and 4
#            streaming clients at once, on the 2-layer OLMoE Q8_0 or the gpt-oss-20b checkpoint
# Disk: small ~10 GB, olmoe ~52 GB, qwen ~47 GB, gptoss ~14 GB (delete $BENCH_DIR between sets if short of space).
# Environment: FORMATS="bf16 q8_0" keeps only those formats of a set; PREFAULT=true makes MoeJava
# read every weight page while loading (-Dmoezoo.engine.prefault=true), as llama.cpp's loader does.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SET="${1:-small}"
ROUNDS="${2:-3}"
BENCH_DIR="${BENCH_DIR:-$ROOT/benchmarks/target/checkpoints}"
mkdir -p "$BENCH_DIR" "$ROOT/benchmarks/target"
mvn -q -B -ntp -f "$ROOT/pom.xml" install -DskipTests -pl benchmarks -am
mvn -q -B -ntp -f "$ROOT/benchmarks/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/benchmarks/target/classpath.txt"
CP="$(cat "$ROOT/benchmarks/target/classpath.txt"):$ROOT/benchmarks/target/classes"
java_() { java -Xmx2g -cp "$CP" "$@"; }
checkpoint() { # SHAPE FORMAT NAME
  [ -d "$BENCH_DIR/$3" ] || java_ io.moezoo.bench.CheckpointGenerator "$1" "$2" "$BENCH_DIR/$3"
}
gguf() { # SOURCE_NAME TYPE OUT_NAME
  java_ io.moezoo.bench.GgufFiles "$BENCH_DIR/$1" "$BENCH_DIR/$3.gguf" "$2"
}
FORMATS="${FORMATS:-bf16 q8_0 q4_0 f32}"
JAVA25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
wanted() { case " $FORMATS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
CASES=()
case "$SET" in
  small)
    checkpoint olmoe-1b-7b-2l bf16 olmoe-2l-bf16
    checkpoint olmoe-1b-7b-2l q8_0 olmoe-2l-q8_0
    checkpoint olmoe-1b-7b-2l q4_0 olmoe-2l-q4_0
    checkpoint mixtral-small f32 mixtral-small-f32
    gguf olmoe-2l-bf16 bf16 olmoe-2l-bf16
    gguf olmoe-2l-bf16 q8_0 olmoe-2l-q8_0
    gguf olmoe-2l-bf16 q4_0 olmoe-2l-q4_0
    gguf mixtral-small-f32 f32 mixtral-small-f32
    for f in bf16 q8_0 q4_0; do
      wanted "$f" || continue
      CASES+=("olmoe-2l $f MoeJava (Java 17)=moejava:$BENCH_DIR/olmoe-2l-$f")
      [ -x "$JAVA25" ] && CASES+=("olmoe-2l $f MoeJava (Java 25)=moejava25:$BENCH_DIR/olmoe-2l-$f")
      CASES+=("olmoe-2l $f llama.cpp=llama:$BENCH_DIR/olmoe-2l-$f.gguf")
    done
    wanted f32 && CASES+=("mixtral-small f32 MoeJava=moejava:$BENCH_DIR/mixtral-small-f32"
            "mixtral-small f32 llama.cpp=llama:$BENCH_DIR/mixtral-small-f32.gguf"
            "mixtral-small f32 PyTorch path=pytorch:$BENCH_DIR/mixtral-small-f32")
    ;;
  olmoe)
    checkpoint olmoe-1b-7b bf16 olmoe-bf16
    checkpoint olmoe-1b-7b q8_0 olmoe-q8_0
    checkpoint olmoe-1b-7b q4_0 olmoe-q4_0
    gguf olmoe-bf16 bf16 olmoe-bf16
    gguf olmoe-bf16 q8_0 olmoe-q8_0
    gguf olmoe-bf16 q4_0 olmoe-q4_0
    for f in bf16 q8_0 q4_0; do
      wanted "$f" || continue
      CASES+=("olmoe $f MoeJava=moejava:$BENCH_DIR/olmoe-$f"
              "olmoe $f llama.cpp=llama:$BENCH_DIR/olmoe-$f.gguf")
    done
    ;;
  gptoss)
    checkpoint gpt-oss-20b mxfp4 gpt-oss-20b-mxfp4
    CASES+=("gpt-oss-20b mxfp4 MoeJava (Java 17)=moejava:$BENCH_DIR/gpt-oss-20b-mxfp4")
    [ -x "$JAVA25" ] && CASES+=("gpt-oss-20b mxfp4 MoeJava (Java 25)=moejava25:$BENCH_DIR/gpt-oss-20b-mxfp4")
    ;;
  qwen)
    checkpoint qwen1.5-moe-a2.7b q8_0 qwen-q8_0
    checkpoint qwen1.5-moe-a2.7b q4_0 qwen-q4_0
    for f in q8_0 q4_0; do
      wanted "$f" || continue
      CASES+=("qwen1.5-moe $f MoeJava=moejava:$BENCH_DIR/qwen-$f")
    done
    ;;
  serve|serve-gptoss)
    if [ "$SET" = serve ]; then
      checkpoint olmoe-1b-7b-2l q8_0 olmoe-2l-q8_0; DIR="$BENCH_DIR/olmoe-2l-q8_0"
    else
      checkpoint gpt-oss-20b mxfp4 gpt-oss-20b-mxfp4; DIR="$BENCH_DIR/gpt-oss-20b-mxfp4"
    fi
    java -Xmx4g --add-modules jdk.incubator.vector -cp "$CP" io.moezoo.bench.ServeBench \
      "$DIR" "$ROOT/benchmarks/target/serve-benchmark-$SET.md" "$ROUNDS" 32 16
    exit 0
    ;;
  *) echo "usage: benchmarks/run.sh [small|olmoe|qwen|gptoss|serve|serve-gptoss] [ROUNDS]" >&2; exit 2 ;;
esac
java_ -Dmoezoo.engine.prefault="${PREFAULT:-false}" io.moezoo.bench.BenchRunner "$ROOT/benchmarks/target/engine-benchmark-$SET.md" "$ROUNDS" 128 32 "${CASES[@]}"
