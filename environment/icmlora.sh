#!/usr/bin/env bash
# The kit's command line, on the jars that environment/setup.sh built:
#
#   bash environment/icmlora.sh list                                   the experiments
#   bash environment/icmlora.sh run table1 [--profile quick] [--seed 2024]
#   bash environment/icmlora.sh run all                                every table and figure
#   bash environment/icmlora.sh cache                                  cached stage outputs and their sizes
#   bash environment/icmlora.sh clean detection-generator              forget one stage (recomputed on next run)
#
# ICMLORA_PROFILE, ICMLORA_SEED, ICMLORA_THREADS, ICMLORA_CACHE and ICMLORA_REPORTS are read as well.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$ROOT/experiments/target/kernel-lib"
JAR=$(ls "$ROOT"/experiments/target/icmlora-experiments-*.jar 2>/dev/null | head -n 1 || true)
if [ ! -d "$LIB" ] || [ -z "$JAR" ]; then
  echo "icmlora: the kit is not built; run 'bash environment/setup.sh' first" >&2
  exit 2
fi
cd "$ROOT"
exec java ${ICMLORA_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss \
  -cp "$LIB/*:$JAR" org.icmlora.experiments.Cli "$@"
