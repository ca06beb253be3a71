#!/usr/bin/env bash
# Speed and memory benchmarks on the jars that environment/setup.sh built, with the thread count set explicitly:
#
#   bash environment/bench.sh cvae [--epochs 3] [--repeats 2] [--lengths 16384,65536] [--batches 2,8]
#                                                        CVAE training and generation at the paper's network
#   bash environment/bench.sh cvae-profile [--length 16384] [--batch 8]
#                                                        where a CVAE training step spends its time (PyTorch profiler)
#   bash environment/bench.sh transposed-conv [batch]    the decoder's transposed convolutions: one conv vs two peers
#   bash environment/bench.sh document-scoring [profile] [stride]
#                                                        scoring every test document of the five text domains
#   bash environment/bench.sh batched-evaluation [profile] [k] [repeats] [tracks]
#                                                        k adapters on a task one by one vs in one batched pass
#   bash environment/bench.sh batched-training [profile] [k] [steps]
#                                                        one LoRA step on k*B examples vs k steps on B
#   bash environment/bench.sh pdiff-step [profile] [steps]
#                                                        COND P-DIFF's steps: forward + backward vs AdamW, per phase
#   ICMLORA_THREADS=2 bash environment/bench.sh cvae     two intra-op threads (default: one)
#
# ICMLORA_THREADS (default 1) sets DJL's intra-op threads and OMP_NUM_THREADS is set to the same number, so that
# the OpenMP pool matches. Each benchmark prints the load average: other processes on the machine change the figures,
# the ratios each one prints against its peer in the same run less so. On a machine that other work keeps busy, two
# threads that spin while waiting for each other lose many times over: OMP_WAIT_POLICY=PASSIVE makes them sleep.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}
if [ $# -lt 1 ]; then
  usage
  exit 2
fi
JAVA_OPTS=()
case "$1" in
  cvae) CLASS=org.icmlora.experiments.bench.CvaeBenchmark
    JAVA_OPTS=(-Dorg.slf4j.simpleLogger.log.org.icmlora.train.Progress=warn) ;; # its rows are its progress
  cvae-profile) CLASS=org.icmlora.experiments.bench.CvaeProfile
    JAVA_OPTS=(-Dorg.slf4j.simpleLogger.log.org.icmlora.train.Progress=warn) ;;
  transposed-conv) CLASS=org.icmlora.experiments.bench.TransposedConvBenchmark ;;
  document-scoring) CLASS=org.icmlora.experiments.bench.DocumentScoringBenchmark ;;
  batched-evaluation) CLASS=org.icmlora.experiments.bench.BatchedEvaluationBenchmark ;;
  batched-training) CLASS=org.icmlora.experiments.bench.BatchedTrainingBenchmark ;;
  pdiff-step) CLASS=org.icmlora.experiments.bench.PdiffStepBenchmark ;;
  *)
    echo "bench: no benchmark '$1'; choose from cvae, cvae-profile, transposed-conv, document-scoring," \
      "batched-evaluation, batched-training, pdiff-step" >&2
    usage
    exit 2
    ;;
esac
shift
LIB="$ROOT/experiments/target/kernel-lib"
JAR=$(ls "$ROOT"/experiments/target/icmlora-experiments-*.jar 2>/dev/null | head -n 1 || true)
if [ ! -d "$LIB" ] || [ -z "$JAR" ]; then
  echo "bench: the kit is not built; run 'bash environment/setup.sh' first" >&2
  exit 2
fi
export ICMLORA_THREADS="${ICMLORA_THREADS:-1}"
if ! [[ "$ICMLORA_THREADS" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: ICMLORA_THREADS must be a whole number >= 1, got '$ICMLORA_THREADS'" >&2
  exit 2
fi
export OMP_NUM_THREADS="$ICMLORA_THREADS"
source "$ROOT/environment/native-memory.sh"
cd "$ROOT"
exec java ${ICMLORA_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  "${JAVA_OPTS[@]}" \
  -cp "$LIB/*:$JAR" "$CLASS" "$@"
