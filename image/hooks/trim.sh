#!/usr/bin/env bash
# mmdebstrap customize hook: leave out what a wired kiosk never loads, and say what each part
# saved. Kernel modules for cameras/TV, Wi-Fi and Bluetooth (no firmware, no wpa_supplicant,
# networkd matches wired links only), InfiniBand, ISDN and staging. GPU, sound (the kiosk speaks),
# input, USB, storage, wired network and file-system drivers all stay.
# Usage: trim.sh ROOT
set -euo pipefail
root=$1
say() { echo "trim: $*"; }
kdir=$(ls -d "$root"/usr/lib/modules/* | sort -V | tail -1)
kver=$(basename "$kdir")
before=$(du -sk "$kdir" | cut -f1)
for d in drivers/media drivers/net/wireless net/wireless net/mac80211 drivers/bluetooth \
    net/bluetooth drivers/infiniband drivers/isdn drivers/staging; do
    [[ -d $kdir/kernel/$d ]] || continue
    kb=$(du -sk "$kdir/kernel/$d" | cut -f1)
    rm -rf "${kdir:?}/kernel/$d"
    say "kernel/$d: $((kb / 1024)) MiB"
done
chroot "$root" depmod "$kver"
say "kernel modules $((before / 1024)) -> $(($(du -sk "$kdir" | cut -f1) / 1024)) MiB"
# Documentation, manuals and translations were never unpacked (dpkg path-exclude in
# build-image.sh); these are what the excluded paths would have taken:
say "not unpacked: /usr/share/doc (except copyright), man, info, locale, lintian"
rm -f "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
