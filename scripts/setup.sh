#!/usr/bin/env bash
# Installs every Debian package the build and the tests need. Idempotent: when everything is
# present it installs nothing. Runs as root, or through sudo.
#   scripts/setup.sh           build + test dependencies
#   scripts/setup.sh --fuzz    also clang and libFuzzer's runtime (for `make fuzz`)
# The package names live in scripts/packages/<component> (every file but `fuzz`).
set -euo pipefail
here=$(dirname "$0")/packages

lists=()
for f in "$here"/*; do [[ $(basename "$f") == fuzz ]] || lists+=("$f"); done
[[ ${1:-} == --fuzz ]] && lists+=("$here/fuzz")
# shellcheck disable=SC2207
packages=($(sed 's/#.*//' "${lists[@]}"))

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "setup: these packages are missing and I am not root and have no sudo: ${missing[*]}" >&2
  echo "setup: run 'apt-get install ${missing[*]}' as root, then try again" >&2
  exit 3
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
