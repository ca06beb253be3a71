# Sourced by environment/setup.sh and the peer scripts: one way to make a project virtual environment.
#
#   ensure_venv DIR REQUIREMENTS LOG
#
# Makes DIR a virtual environment of the system Python holding the pinned packages of REQUIREMENTS, unless it already
# does. DIR/.icmlora-stamp records DIR's own path and a hash of REQUIREMENTS: a changed requirements file, or a copied
# or moved checkout (a venv's scripts hold absolute paths), rebuilds it from scratch. pip's output goes to LOG.
# Prints "present" or "installed"; returns non-zero (venv removed) when pip fails.

venv_python() {
  # Debian's own Python (its python3-venv package provides ensurepip); any python3 elsewhere.
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}

ensure_venv() {
  local dir=$1 requirements=$2 log=$3
  local want
  want="$dir $(sha256sum <"$requirements" | cut -c1-16)"
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.icmlora-stamp" 2>/dev/null)" = "$want" ]; then
    echo present
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$(dirname "$log")"
  if "$(venv_python)" -m venv "$dir" >"$log" 2>&1 \
      && "$dir/bin/python" -m pip install --disable-pip-version-check -r "$requirements" >>"$log" 2>&1; then
    echo "$want" >"$dir/.icmlora-stamp"
    echo installed
  else
    rm -rf "$dir"
    return 1
  fi
}
