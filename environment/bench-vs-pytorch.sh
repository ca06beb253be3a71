#!/usr/bin/env bash
# Times the paper's CVAE (12-layer 1-D CNN encoder and decoder, latent 256, AdamW) in the kit and in PyTorch eager,
# same adapter lengths (16,384 and 65,536), batch sizes (2 and 8), data and thread count, one after the other in
# one run, and prints the kit / PyTorch ratio of training samples per second.
#
#   ICMLORA_THREADS=1 bash environment/bench-vs-pytorch.sh [EPOCHS]     (default 3 epochs per case)
#
# Optional, not part of the test command. Installs its peer on first use into environment/.installed/pytorch-venv
# (environment/python/pytorch.txt). Both sides run with ICMLORA_THREADS intra-op threads (default 1) and
# OMP_NUM_THREADS set to the same; on a machine shared with other work the ratio is the figure to read.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/environment/.installed"
EPOCHS=${1:-3}
export ICMLORA_THREADS=${ICMLORA_THREADS:-1}
export OMP_NUM_THREADS=$ICMLORA_THREADS
# shellcheck source=environment/python-venv.sh
source "$ROOT/environment/python-venv.sh"

peers=$(ensure_venv "$STATE/pytorch-venv" "$ROOT/environment/python/pytorch.txt" "$STATE/pytorch-venv.log") \
  || { echo "[bench] pip install -r environment/python/pytorch.txt failed, see environment/.installed/pytorch-venv.log" >&2
       exit 1; }
echo "[bench] Python peers (environment/python/pytorch.txt): $peers"
[ -d "$ROOT/experiments/target/kernel-lib" ] || { echo "[bench] the kit is not built: run environment/setup.sh" >&2; exit 2; }

KIT_OUTPUT=$(mktemp)
trap 'rm -f "$KIT_OUTPUT"' EXIT
echo "[bench] the kit (load average $(cut -d' ' -f1-3 /proc/loadavg), $(getconf _NPROCESSORS_ONLN) CPUs)"
java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$ROOT/experiments/target/kernel-lib/*" org.icmlora.generate.cvae.CvaeBenchmark "$EPOCHS" | tee "$KIT_OUTPUT"
echo "[bench] PyTorch (load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$STATE/pytorch-venv/bin/python" "$ROOT/environment/peers/cvae_bench.py" "$KIT_OUTPUT" "$EPOCHS"
