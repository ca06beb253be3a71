#!/usr/bin/env bash
# Sets up everything the kit's notebooks need, installing only what is missing, and says what it does.
#
#   bash environment/setup.sh          (as root on a Debian-like machine; a second run takes seconds)
#
# What it provides (all outside git: environment/.installed/ is git-ignored):
#   - Debian packages: JDK, Maven, npm, python3-venv, Chromium (the render test opens exported notebooks in it);
#   - plotly.js (npm plotly.js-dist-min, a 2.x version) for offline charts;
#   - the project virtual environment environment/.installed/venv with the pinned packages of
#     environment/python/jupyter.txt: the Java kernel JJava, nbclient/nbconvert, JupyterLab, pycocotools;
#   - the kit's jars (mvn package) and the kernelspec "icmlora" in that venv, running JJava on them.
#   - data: every datasets/setup-*.sh is run afterwards (each must be idempotent and install only what is missing).
#
# The venv's Jupyter finds the kernel by itself: environment/.installed/venv/bin/jupyter lab notebooks/
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_DIR="$ROOT/environment"
STATE="$ENV_DIR/.installed"
VENV="$STATE/venv"
KERNEL_DIR="$VENV/share/jupyter/kernels/icmlora"
STARTUP_SCRIPT="$ENV_DIR/kernel/startup.jsh"

PLOTLY_VERSION=2.35.3
APT_PACKAGES=(openjdk-17-jdk-headless maven npm python3-venv chromium)

started=$(date +%s)
failures=()
say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] FAILED: %s\n' "$*" >&2; failures+=("$*"); }

mkdir -p "$STATE"

# ---- Debian packages ------------------------------------------------------------------------------------------
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  case "$pkg" in
    # A JDK, Maven or npm that is already on the PATH (from anywhere) is good enough.
    openjdk-17-jdk-headless) command -v javac >/dev/null && continue ;;
    maven) command -v mvn >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "Debian packages: all present"
elif [ "$(id -u)" -ne 0 ]; then
  fail "Debian packages missing (${missing[*]}); run this script as root once"
else
  say "Debian packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$STATE/apt.log" 2>&1; then
    say "Debian packages: installed (log: environment/.installed/apt.log)"
  else
    fail "apt-get install ${missing[*]} (see environment/.installed/apt.log)"
  fi
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ -z "$java_major" ] || [ "${java_major%%.*}" -lt 17 ]; then
  fail "Java 17 or newer is needed as 'java' (found: ${java_major:-none})"
fi

# ---- plotly.js from npm (no node project: npm pack + unpack) ------------------------------------------------
PLOTLY_JS="$STATE/plotly/plotly-$PLOTLY_VERSION.min.js"
if [ -s "$PLOTLY_JS" ]; then
  say "plotly.js $PLOTLY_VERSION: present"
else
  say "plotly.js $PLOTLY_VERSION: fetching plotly.js-dist-min from npm"
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent "plotly.js-dist-min@$PLOTLY_VERSION" >/dev/null 2>"$tmp/npm.log" \
        && tar xzf plotly.js-dist-min-"$PLOTLY_VERSION".tgz); then
    mkdir -p "$STATE/plotly"
    cp "$tmp/package/LICENSE" "$STATE/plotly/LICENSE" 2>/dev/null
    cp "$tmp/package/plotly.min.js" "$PLOTLY_JS.tmp" && mv "$PLOTLY_JS.tmp" "$PLOTLY_JS"
    say "plotly.js $PLOTLY_VERSION: installed at ${PLOTLY_JS#$ROOT/}"
  else
    fail "npm pack plotly.js-dist-min@$PLOTLY_VERSION: $(tail -n 3 "$tmp/npm.log" 2>/dev/null)"
  fi
  rm -rf "$tmp"
fi

# ---- the Python side: a project virtual environment with pinned packages -----------------------------------------
# shellcheck source=environment/python-venv.sh
source "$ENV_DIR/python-venv.sh"
if outcome=$(ensure_venv "$VENV" "$ENV_DIR/python/jupyter.txt" "$STATE/venv.log"); then
  say "Python venv (environment/python/jupyter.txt): $outcome at ${VENV#$ROOT/}"
else
  fail "Python venv: pip install -r environment/python/jupyter.txt (see environment/.installed/venv.log)"
fi
# Left by the set-up of older versions of the kit (rapaio-jupyter-kernel, its launcher, a kernelspec outside the venv).
rm -rf "$STATE/kernel" "$STATE/launcher" "$ENV_DIR/jupyter"

# ---- the kit's jars and their runtime dependencies ----------------------------------------------------------------
# ICMLORA_MAVEN_ARGS adds Maven options to this build, e.g. ICMLORA_MAVEN_ARGS=-Pcuda for the CUDA native library.
KERNEL_LIB="$ROOT/experiments/target/kernel-lib"
BUILD_STAMP="$STATE/build.stamp"
MAVEN_ARGS=${ICMLORA_MAVEN_ARGS:-}
needs_build() {
  [ -f "$BUILD_STAMP" ] && [ -d "$KERNEL_LIB" ] || return 0
  [ "$(cat "$BUILD_STAMP")" = "mvn args: $MAVEN_ARGS" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/icmlora-lib" "$ROOT/experiments" -path '*/target' -prune -o \
          -type f -newer "$BUILD_STAMP" -print -quit)" ]
}
if needs_build; then
  say "kit: building (mvn -B -q -DskipTests package${MAVEN_ARGS:+ $MAVEN_ARGS})"
  rm -rf "$KERNEL_LIB"   # copy-dependencies never removes jars, so a changed version would leave two copies
  echo "mvn args: $MAVEN_ARGS" >"$BUILD_STAMP.next"
  # shellcheck disable=SC2086
  if (cd "$ROOT" && mvn -B -q -DskipTests package $MAVEN_ARGS >"$STATE/build.log" 2>&1); then
    mv "$BUILD_STAMP.next" "$BUILD_STAMP"
    say "kit: built ($(ls "$KERNEL_LIB" | wc -l) jars in experiments/target/kernel-lib)"
  else
    rm -f "$BUILD_STAMP.next"
    fail "mvn package (see environment/.installed/build.log)"
  fi
else
  say "kit: jars up to date"
fi

# ---- kernelspec "icmlora" ---------------------------------------------------------------------------------------------
# JJava's own jar, started directly (its launcher would only start a second JVM), with the options JJava needs on
# Java 17 (--add-opens jdk.jshell/jdk.jshell), DJL offline, warnings-only logging and the path of plotly.js; JShell
# gets the kit's jars (JJAVA_CLASSPATH, globs read at each kernel start, so a rebuild needs no new spec) and the
# imports notebooks use (JJAVA_STARTUP_SCRIPTS_PATH; JJava skips a missing script silently, hence the check here).
# The kernel runs PyTorch with the allocator settings of native-memory.sh, as they are when this writes the spec.
# Rewritten on every run with this checkout's paths, which it records: the runner refuses a spec of another checkout.
source "$ENV_DIR/native-memory.sh"
JJAVA_JAR="$VENV/share/jupyter/kernels/java/jjava.jar"
if [ ! -s "$JJAVA_JAR" ]; then
  fail "kernelspec icmlora not written: no JJava at ${JJAVA_JAR#$ROOT/} (the venv step failed)"
elif [ ! -s "$STARTUP_SCRIPT" ]; then
  fail "kernelspec icmlora not written: the kernel's start-up script ${STARTUP_SCRIPT#$ROOT/} is missing"
else
  mkdir -p "$KERNEL_DIR"
  if "$VENV/bin/python" - "$KERNEL_DIR/kernel.json" <<PY
import json, os, sys
target = sys.argv[1]
root, env_dir = "$ROOT", "$ENV_DIR"
spec = {
    "argv": ["java",
             "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
             "-Djava.util.logging.config.file=" + env_dir + "/kernel/logging.properties",
             "-Dai.djl.offline=true",
             "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
             "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error",
             "-Dicmlora.plotly.js=$PLOTLY_JS",
             "-jar", "$JJAVA_JAR", "{connection_file}"],
    "display_name": "Java 17 (icmlora kit)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "JJAVA_CLASSPATH": os.pathsep.join([root + "/experiments/target/icmlora-experiments-*.jar",
                                            "$KERNEL_LIB/*.jar"]),
        "JJAVA_STARTUP_SCRIPTS_PATH": "$STARTUP_SCRIPT",
        "MALLOC_MMAP_THRESHOLD_": "$MALLOC_MMAP_THRESHOLD_",
        "MALLOC_TRIM_THRESHOLD_": "$MALLOC_TRIM_THRESHOLD_",
    },
    "metadata": {"icmlora_checkout": root},
}
tmp = target + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=1)
os.replace(tmp, target)
PY
  then
    say "kernelspec icmlora (JJava $("$VENV/bin/python" -m pip show jjava 2>/dev/null | sed -n 's/^Version: //p')): written to ${KERNEL_DIR#$ROOT/}"
  else
    fail "writing the kernelspec"
  fi
fi

# ---- data: datasets/setup-*.sh hooks --------------------------------------------------------------------------
shopt -s nullglob
for hook in "$ROOT"/datasets/setup-*.sh; do
  say "data: running datasets/$(basename "$hook")"
  bash "$hook"
  status=$?
  [ $status -eq 0 ] || fail "datasets/$(basename "$hook") exited with status $status"
done

elapsed=$(( $(date +%s) - started ))
if [ ${#failures[@]} -gt 0 ]; then
  printf '[setup] %d step(s) failed after %ss:\n' "${#failures[@]}" "$elapsed" >&2
  printf '[setup]   - %s\n' "${failures[@]}" >&2
  exit 1
fi
say "done in ${elapsed}s; notebooks: ${VENV#$ROOT/}/bin/jupyter lab notebooks/ (kernel 'Java 17 (icmlora kit)')"
