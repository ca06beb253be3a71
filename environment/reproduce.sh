#!/usr/bin/env bash
# The README's reproduce command: sets up what is missing, builds the kit, runs every experiment (every paper table
# and figure), executes every notebook, then writes reports/index.html: the measured-vs-paper summary and a link to
# each executed notebook with its status and duration.
#
#   bash environment/reproduce.sh                          (profile quick: a 2-core laptop CPU)
#   ICMLORA_PROFILE=full bash environment/reproduce.sh     (the paper's sizes; meant for one GPU)
#   ICMLORA_PROFILE=smoke bash environment/reproduce.sh    (seconds per experiment: checks every code path)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export ICMLORA_PROFILE=${ICMLORA_PROFILE:-quick}
started=$(date +%s)

# 1. Set-up and build: installs what is missing and rebuilds the kit's jars when a source changed since the last
#    build (environment/setup.sh keeps a stamp).
bash environment/setup.sh

# 2. Every experiment through the kit's command line, at the same profile: trains what is not cached yet, writes
#    reports/results/<profile>/seed-<seed>/<experiment>/ (CSV, PNG, JSON) and reports/summary.html (measured vs
#    paper), which the notebook runner puts into reports/index.html. The notebooks below then reuse the cached stages.
bash environment/icmlora.sh run all --profile "$ICMLORA_PROFILE"

# 3. The run's results (CSV and JSON, no pictures) kept with the code in results/<profile>/, and at quick README's
#    results section regenerated from them: the numbers README shows are the committed run's.
latest=$(ls -dt reports/results/"$ICMLORA_PROFILE"/seed*/ | head -n 1)
rm -rf "results/$ICMLORA_PROFILE"
(cd "$latest" && find . -type f \( -name '*.csv' -o -name '*.json' \) -print0) |
    while IFS= read -r -d '' file; do install -D -m 644 "$latest/$file" "results/$ICMLORA_PROFILE/$file"; done
if [ "$ICMLORA_PROFILE" = quick ]; then
    bash environment/icmlora.sh readme-tables --profile quick
fi

# 4. Every notebook, headless, at the chosen profile, each in its own kernel and as many at once as the kit runs
#    workers (the cores over ICMLORA_THREADS); reports/ receives the executed notebooks, their HTML and
#    reports/index.html. Exits non-zero, naming notebook, cell and error, if any cell fails.
environment/.installed/venv/bin/python environment/run-notebooks.py --out "$ROOT/reports"

echo "[reproduce] done in $(( $(date +%s) - started ))s at profile $ICMLORA_PROFILE: open reports/index.html"
