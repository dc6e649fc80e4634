#!/usr/bin/env bash
# Tools `make image` and `make image-test` need on the build machine (not needed by `make test`).
set -euo pipefail
tools=(mmdebstrap e2fsprogs dosfstools mtools fdisk qemu-system-x86 ovmf openssl socat imagemagick
    erofs-utils squashfs-tools zstd rauc)
missing=()
for p in "${tools[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) == installed ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "image tools: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
