#!/usr/bin/env bash
# The README's test command (and CI's, through .ci/run): sets up what is missing, then runs the whole test suite
# from the repository root: unit tests, the end-to-end tests (every notebook executed headlessly at the smoke
# profile, a failing cell named by the runner, the offline Plotly chart drawn in headless Chromium).
#
#   bash environment/test.sh
#
# verify (not test) so that the end-to-end module sees the packaged jars and experiments/target/kernel-lib.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
started=$(date +%s)
bash environment/setup.sh
source environment/native-memory.sh   # the tests' JVMs run PyTorch with the allocator settings of the kit's commands
# ICMLORA_MAVEN_ARGS (e.g. -Pcuda) must match the set-up's build, which reads the same variable.
# shellcheck disable=SC2086
mvn -B verify ${ICMLORA_MAVEN_ARGS:-}
echo "[test] set-up and the whole test suite passed in $(( $(date +%s) - started ))s"
