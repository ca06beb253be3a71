#!/usr/bin/env bash
# Checks that the libraries the kit's users use open the kit's files: the language track's GPT exported in GPT-2's
# layout in transformers' GPT2LMHeadModel, and an ICM-LoRA-generated adapter exported in PEFT's format with
# PeftModel.from_pretrained, each giving the kit's next-token log-probabilities on a sample text.
#
#   bash environment/check-interop.sh          (after environment/setup.sh; optional, not part of the test command)
#
# Installs its peers on first use into environment/.installed/pytorch-venv (environment/python/pytorch.txt: torch
# from PyPI brings its CUDA libraries, several GB). Trains, or takes from the kit's cache, what it exports, at
# ICMLORA_PROFILE (default smoke); the files stay in reports/interop/. Exits 1 if a judged check differs by >= 1e-4.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/environment/.installed"
OUT="${ICMLORA_REPORTS:-$ROOT/reports}/interop"
# shellcheck source=environment/python-venv.sh
source "$ROOT/environment/python-venv.sh"

peers=$(ensure_venv "$STATE/pytorch-venv" "$ROOT/environment/python/pytorch.txt" "$STATE/pytorch-venv.log") \
  || { echo "[interop] pip install -r environment/python/pytorch.txt failed, see environment/.installed/pytorch-venv.log" >&2
       exit 1; }
echo "[interop] Python peers (environment/python/pytorch.txt): $peers"
JAR=$(ls "$ROOT"/experiments/target/icmlora-experiments-*.jar 2>/dev/null | head -n 1 || true)
[ -n "$JAR" ] || { echo "[interop] the kit is not built: run environment/setup.sh" >&2; exit 2; }

echo "[interop] exporting the kit's GPT and a generated adapter to ${OUT#$ROOT/}"
(cd "$ROOT" && ICMLORA_PROFILE="${ICMLORA_PROFILE:-smoke}" java -Xmx8g -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$ROOT/experiments/target/kernel-lib/*:$JAR" org.icmlora.experiments.interop.InteropExport "$OUT")
echo "[interop] loading them in transformers and PEFT (offline)"
HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$STATE/pytorch-venv/bin/python" "$ROOT/environment/peers/check_interop.py" "$OUT"
