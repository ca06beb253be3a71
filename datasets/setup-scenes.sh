#!/usr/bin/env bash
# Detection data: the real Fashion-MNIST images (Debian package dataset-fashion-mnist, MIT licence) that the kit
# composes into detection scenes (org.icmlora.data.scenes). Idempotent: does nothing when the files are in place and
# match datasets/fashion-mnist.sha256.
#
# Result: datasets/raw/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz plus manifest.json (source
# package, version, SHA-256 and size of every file). Scenes are composed in Java from a seed, so nothing else is stored.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/raw/fashion-mnist"
expected="$here/fashion-mnist.sha256"
system_dir=/usr/share/datasets/fashion-mnist
package=dataset-fashion-mnist

verified() { [ -d "$target" ] && (cd "$target" && sha256sum --quiet -c "$expected" >/dev/null 2>&1); }

if verified && [ -f "$target/manifest.json" ]; then
  echo "fashion-mnist: already in place ($target)"
  exit 0
fi

mkdir -p "$target"
if [ -d "$system_dir" ] && (cd "$system_dir" && sha256sum --quiet -c "$expected" >/dev/null 2>&1); then
  echo "fashion-mnist: copying from the installed package ($system_dir)"
  cp "$system_dir"/*-ubyte.gz "$target/"
  version="$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || echo unknown)"
else
  echo "fashion-mnist: downloading the Debian package $package (no root install needed)"
  work="$(mktemp -d "$here/raw/.fashion-mnist.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && apt-get download "$package" >/dev/null 2>&1); then
    apt-get update >/dev/null
    (cd "$work" && apt-get download "$package" >/dev/null)
  fi
  deb="$(ls "$work"/*.deb)"
  version="$(dpkg-deb -f "$deb" Version)"
  dpkg-deb -x "$deb" "$work/extract"
  cp "$work/extract$system_dir"/*-ubyte.gz "$target/"
fi

if ! (cd "$target" && sha256sum --quiet -c "$expected"); then
  echo "fashion-mnist: checksums differ from $expected; the package changed upstream, check and update the file" >&2
  exit 1
fi

tmp="$target/manifest.json.tmp"
{
  echo "{"
  echo "  \"source\": \"Debian package $package $version (Zalando Research, MIT)\","
  echo "  \"files\": {"
  first=1
  while read -r sum name; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '    "%s": {"sha256": "%s", "bytes": %s}' "$name" "$sum" "$(stat -c %s "$target/$name")"
  done < "$expected"
  echo
  echo "  }"
  echo "}"
} > "$tmp"
mv "$tmp" "$target/manifest.json"
echo "fashion-mnist: ready in $target"
