#!/usr/bin/env bash
# Sets up everything the kit's notebooks need, installing only what is missing, and says what it does.
#
#   bash environment/setup.sh          (as root on a Debian-like machine; a second run takes seconds)
#
# What it provides (all outside git: environment/.installed/ and environment/jupyter/ are git-ignored):
#   - Debian packages: JDK, Maven, npm, Jupyter (headless nbconvert/nbclient and the classic notebook server),
#     Chromium (the render test opens exported notebooks in it);
#   - plotly.js (npm plotly.js-dist-min, a 2.x version) for offline charts;
#   - the Java kernel io.github.padreati:rapaio-jupyter-kernel from Maven Central, with the kit's own launcher
#     (environment/kernel/) that keeps the kernel alive through its start-up race and keeps its key out of logs;
#   - the kit's jars (mvn package) and a kernelspec "icmlora" whose classpath holds them and their dependencies;
#   - data: every datasets/setup-*.sh is run afterwards (each must be idempotent and install only what is missing).
#
# Use the kernel with JUPYTER_PATH=<repo>/environment/jupyter (the runner and environment/env.sh do that).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_DIR="$ROOT/environment"
STATE="$ENV_DIR/.installed"
KERNEL_DIR="$ENV_DIR/jupyter/kernels/icmlora"

PLOTLY_VERSION=2.35.3
RAPAIO_VERSION=3.0.1
APT_PACKAGES=(openjdk-17-jdk-headless maven npm jupyter-nbconvert jupyter-client python3-nbclient
              jupyter-notebook chromium)

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

# ---- the Java kernel from Maven Central -------------------------------------------------------------------------
RAPAIO_JAR="$STATE/kernel/rapaio-jupyter-kernel-$RAPAIO_VERSION.jar"
if [ -s "$RAPAIO_JAR" ]; then
  say "rapaio-jupyter-kernel $RAPAIO_VERSION: present"
else
  say "rapaio-jupyter-kernel $RAPAIO_VERSION: fetching from Maven Central"
  if mvn -B -q dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RAPAIO_VERSION" \
        -DoutputDirectory="$STATE/kernel" >"$STATE/kernel-fetch.log" 2>&1 && [ -s "$RAPAIO_JAR" ]; then
    say "rapaio-jupyter-kernel $RAPAIO_VERSION: installed"
  else
    fail "mvn dependency:copy of the kernel (see environment/.installed/kernel-fetch.log)"
  fi
fi

# ---- the kit's kernel launcher (our code, compiled against the kernel jar) ----------------------------------
LAUNCHER_SRC="$ENV_DIR/kernel"
LAUNCHER_OUT="$STATE/launcher"
if [ -s "$RAPAIO_JAR" ]; then
  if [ -f "$LAUNCHER_OUT/.built" ] && [ -z "$(find "$LAUNCHER_SRC" -newer "$LAUNCHER_OUT/.built" -type f)" ]; then
    say "kernel launcher: up to date"
  else
    say "kernel launcher: compiling environment/kernel/"
    rm -rf "$LAUNCHER_OUT" && mkdir -p "$LAUNCHER_OUT"
    if javac --release 17 -nowarn -cp "$RAPAIO_JAR" -d "$LAUNCHER_OUT" \
          $(find "$LAUNCHER_SRC" -name '*.java') >"$STATE/launcher.log" 2>&1; then
      cp "$LAUNCHER_SRC/logging.properties" "$LAUNCHER_OUT/" && touch "$LAUNCHER_OUT/.built"
      say "kernel launcher: compiled"
    else
      fail "javac of environment/kernel (see environment/.installed/launcher.log)"
    fi
  fi
fi

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
# The kernel JVM gets the offline DJL flag, quiet logging, the path of plotly.js and the kit's jars on its own
# classpath (ahead of the kernel jar, which bundles an older commons-codec): then notebook code and the libraries
# share one class loader, which DJL needs to find its engine through ServiceLoader. JShell's compiler gets the same
# jars (RJK_CLASSPATH) and the imports that notebooks use (RJK_INIT_SCRIPT: imports only, evaluated as one snippet).
if [ -s "$RAPAIO_JAR" ] && [ -f "$LAUNCHER_OUT/.built" ]; then
  mkdir -p "$KERNEL_DIR"
  /usr/bin/python3 - "$KERNEL_DIR/kernel.json" "$ENV_DIR/kernel/init.jsh" <<PY
import glob, json, os, sys
target, init_script = sys.argv[1], sys.argv[2]
root = "$ROOT"
# Every jar by name (JShell takes no wildcards); rewritten on every run, so it follows the build.
jars = sorted(glob.glob(root + "/experiments/target/icmlora-experiments-*.jar"))
jars += sorted(glob.glob("$KERNEL_LIB/*.jar"))
spec = {
    "argv": ["java",
             "-Dai.djl.offline=true",
             "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
             "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error",
             "-Dicmlora.plotly.js=$PLOTLY_JS",
             "-cp", os.pathsep.join(["$LAUNCHER_OUT"] + jars + ["$RAPAIO_JAR"]),
             "org.icmlora.kernel.KitKernelLauncher", "{connection_file}"],
    "display_name": "Java 17 (icmlora kit)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "RJK_CLASSPATH": ";".join(jars),
        "RJK_INIT_SCRIPT": init_script,
        "RJK_TIMEOUT_MILLIS": "-1",
    },
}
tmp = target + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=1)
os.replace(tmp, target)
PY
  [ $? -eq 0 ] && say "kernelspec icmlora: written to environment/jupyter/kernels/icmlora" \
               || fail "writing the kernelspec"
else
  fail "kernelspec icmlora not written (kernel jar or launcher missing)"
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
say "done in ${elapsed}s; use JUPYTER_PATH=$ENV_DIR/jupyter (kernel 'icmlora')"
