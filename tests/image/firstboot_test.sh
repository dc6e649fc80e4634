#!/usr/bin/env bash
# lapor-firstboot's choice of the KIOSKCFG partition (--pick-device) with a fake blkid and a fake
# /sys: an internal KIOSKCFG partition and a USB stick with the same label -> the stick is used.
# Usage: firstboot_test.sh SOURCE_DIR
set -euo pipefail
src=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lapor-firstboot-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/bin" "$tmp/sys/class/block" "$tmp/sys/devices/pci0/ata1/block/sda/sda3" \
    "$tmp/sys/devices/pci0/usb1/1-1/block/sdb/sdb1" "$tmp/sys/devices/pci0/mmc/block/mmcblk0/mmcblk0p1"
touch "$tmp/sys/devices/pci0/ata1/block/sda/sda3/partition" \
    "$tmp/sys/devices/pci0/usb1/1-1/block/sdb/sdb1/partition"
echo 0 >"$tmp/sys/devices/pci0/ata1/block/sda/removable"
echo 0 >"$tmp/sys/devices/pci0/usb1/1-1/block/sdb/removable"  # many sticks say 0: USB path counts
echo 1 >"$tmp/sys/devices/pci0/mmc/block/mmcblk0/removable"
ln -s ../../devices/pci0/ata1/block/sda/sda3 "$tmp/sys/class/block/sda3"
ln -s ../../devices/pci0/usb1/1-1/block/sdb/sdb1 "$tmp/sys/class/block/sdb1"
ln -s ../../devices/pci0/mmc/block/mmcblk0 "$tmp/sys/class/block/mmcblk0"

pick() {  # the devices blkid lists, in order -> the device firstboot uses
    printf '#!/bin/sh\nprintf "%%s\\n" %s\n' "$*" >"$tmp/bin/blkid"
    chmod +x "$tmp/bin/blkid"
    PATH="$tmp/bin:$PATH" LAPOR_SYSFS="$tmp/sys" sh "$src/image/firstboot/lapor-firstboot" --pick-device
}
[[ $(pick /dev/sda3 /dev/sdb1) == /dev/sdb1 ]] || fail "internal first: the USB stick must win"
[[ $(pick /dev/sdb1 /dev/sda3) == /dev/sdb1 ]] || fail "USB first: the USB stick must win"
[[ $(pick /dev/sda3) == /dev/sda3 ]] || fail "only the internal partition: use it"
[[ $(pick /dev/sda3 /dev/mmcblk0) == /dev/mmcblk0 ]] || fail "a removable disk must win"
printf '#!/bin/sh\nexit 2\n' >"$tmp/bin/blkid"
[[ -z $(PATH="$tmp/bin:$PATH" LAPOR_SYSFS="$tmp/sys" sh "$src/image/firstboot/lapor-firstboot" --pick-device) ]] ||
    fail "no KIOSKCFG: nothing"
echo "firstboot device choice: ok"

# make image AUTHORITY=FILE.pub pins the key (image/hooks/trust.sh); a private key is refused.
kioskctl=$(dirname "$0")/../../build/dev/ctl/kioskctl
if [[ -n ${KIOSKCTL:-} ]]; then kioskctl=$KIOSKCTL; fi
"$kioskctl" authority-keygen --out "$tmp/auth" >/dev/null
sh_out=$("$src/image/hooks/trust.sh" "$tmp/root" "$tmp/auth/authority.pub")
cmp -s "$tmp/auth/authority.pub" "$tmp/root/etc/lapor-kiosk/authority.pub" || fail "authority not pinned"
[[ ! -e $tmp/root/etc/lapor-kiosk/accept-unsigned-bundles ]] || fail "not a lab image"
"$src/image/hooks/trust.sh" "$tmp/root" "$tmp/auth/authority.key" 2>/dev/null && fail "a private key was pinned"
"$src/image/hooks/trust.sh" "$tmp/root" "" 1 | grep -q 'LAB IMAGE' || fail "ACCEPT_UNSIGNED=1 not said"
[[ -e $tmp/root/etc/lapor-kiosk/accept-unsigned-bundles && ! -e $tmp/root/etc/lapor-kiosk/authority.pub ]] ||
    fail "lab image without a pinned key"
echo "image trust: ${sh_out}; lab image and private-key refusal ok"
