#!/usr/bin/env bash
# mmdebstrap essential hook (before the kernel is installed, so its initramfs includes these):
# mount /data from the initramfs (image/initramfs/).
# Usage: initramfs.sh ROOT IMAGE_DIR
set -euo pipefail
root=$1 img=$2
install -D -m 0755 "$img/initramfs/lapor-data" "$root/etc/initramfs-tools/scripts/local-bottom/lapor-data"
install -D -m 0755 "$img/initramfs/lapor-data-hook" "$root/etc/initramfs-tools/hooks/lapor-data"
echo "initramfs: /data mounted from the initramfs (machine id), e2fsck and erofs included"
