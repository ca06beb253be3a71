#!/usr/bin/env bash
# The kit's command line, on the jars that environment/setup.sh built:
#
#   bash environment/icmlora.sh list                                   the experiments
#   bash environment/icmlora.sh run table1 [--profile quick] [--seed 2024]
#   bash environment/icmlora.sh run all                                every table and figure
#   bash environment/icmlora.sh cache                                  cached stage outputs, leftovers, sizes
#   bash environment/icmlora.sh verify                                 check every cached output, list the bad ones
#   bash environment/icmlora.sh repair                                 remove the bad ones and what was made from them
#   bash environment/icmlora.sh clean detection-base                   remove one stage and what was made from it
#   ... --debug                                                        debug lines and stack traces on the console
#
# ICMLORA_PROFILE, ICMLORA_SEED, ICMLORA_THREADS, ICMLORA_CACHE and ICMLORA_REPORTS are read as well (--profile and
# --seed win over them). Relative paths in them are resolved against the directory you run this from.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB="$ROOT/experiments/target/kernel-lib"
JAR=$(ls "$ROOT"/experiments/target/icmlora-experiments-*.jar 2>/dev/null | head -n 1 || true)
if [ ! -d "$LIB" ] || [ -z "$JAR" ]; then
  echo "icmlora: the kit is not built; run 'bash environment/setup.sh' first" >&2
  exit 2
fi
# The kit finds its checkout through ICMLORA_HOME, so the working directory stays the caller's.
export ICMLORA_HOME=${ICMLORA_HOME:-$ROOT}
source "$ROOT/environment/native-memory.sh"
exec java ${ICMLORA_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss \
  -cp "$LIB/*:$JAR" org.icmlora.experiments.Cli "$@"
