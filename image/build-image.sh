#!/usr/bin/env bash
# Builds the kiosk disk image (`make image`): Debian 12 with mmdebstrap, the lapor-kiosk package,
# lockdown, a read-only root, without loop devices or KVM. Prints the image size and build time.
#
#   image/build-image.sh OUTDIR      -> OUTDIR/lapor-kiosk.img (+ layout.txt, build.log)
#
# Disk (GPT):  1 ESP (FAT32, KIOSKESP: systemd-boot, kernel, initrd)
#              2 root (ext4, LAPORROOT, mounted read-only)
#              3 KIOSKCFG (FAT, the provisioning bundle; kioskctl provision writes it)
#              4 data (ext4, LAPORDATA, /data: /var/lib/lapor-kiosk, journal, timesync, ssh)
# File systems are made from folders (mke2fs -d, mkfs.vfat + mtools) and placed with dd.
# Needs root (ownership in the root file system) and the apt mirror (apt's configured one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:?usage: build-image.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$(date +%s)
log=$out/build.log
: >"$log"
step() { printf '[%4ds] %s\n' $(($(date +%s) - start)) "$*"; }

[[ $(id -u) -eq 0 ]] || { echo "build-image: run as root (ownership inside the image)" >&2; exit 3; }
"$here/install-tools.sh"

deb=$(ls -t "$src"/build/package/lapor-kiosk_*_amd64.deb 2>/dev/null | head -1 || true)
[[ -n $deb ]] || { echo "build-image: no package; run make package first" >&2; exit 3; }
# The appliance parts (units, first boot, udev, service user) are their own package.
app=$(ls -t "$src"/build/package/lapor-kiosk-appliance_*_all.deb 2>/dev/null | head -1 || true)
[[ -n $app ]] || { echo "build-image: no lapor-kiosk-appliance package; run make package first" >&2; exit 3; }

# The Debian mirror apt already uses here (deb822 or one-line sources), else deb.debian.org.
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[[ -n $mirror ]] || mirror=$(awk '$1=="deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
step "mirror $mirror, package $(basename "$deb")"

packages=(systemd systemd-sysv udev dbus kmod linux-image-amd64 initramfs-tools
    systemd-timesyncd systemd-resolved systemd-boot-efi openssh-server ca-certificates
    iproute2 e2fsprogs dosfstools util-linux procps less prometheus-node-exporter)
# The package's own dependencies come with the bootstrap (the hooks then install it offline).
deps=$( (dpkg-deb -f "$deb" Depends; echo ,; dpkg-deb -f "$app" Depends) | tr ',' '\n' |
    sed 's/|.*//; s/(.*)//; s/ //g' | grep -v -e '^$' -e '^lapor-kiosk$')
packages+=($deps)
cache=$out/apt-cache   # downloaded .debs kept between builds
mkdir -p "$cache"
rootfs=$out/rootfs
rm -rf "$rootfs"
step "mmdebstrap bookworm (log: $log)"
mmdebstrap --variant=minbase --mode=root --skip=download/empty --include="$(IFS=,; echo "${packages[*]}")" \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
    --setup-hook="sync-in $cache /var/cache/apt/archives/" \
    --customize-hook="copy-in $deb $app /tmp" \
    --customize-hook="$here/hooks/package-check.sh \"\$1\" /tmp/$(basename "$deb") /tmp/$(basename "$app")" \
    --customize-hook="$here/hooks/customize.sh \"\$1\" $here" \
    --customize-hook="sync-out /var/cache/apt/archives $cache" \
    --customize-hook='rm -f "$1"/tmp/*.deb "$1"/var/cache/apt/archives/*.deb' \
    bookworm "$rootfs" "$mirror" >>"$log" 2>&1 || { tail -30 "$log"; echo "build-image: mmdebstrap failed (whole log: $log)" >&2; exit 1; }
grep -E '^(package-check|customize):' "$log" | sed 's/^/  /'
# The provisioning authority pinned in the image (make image AUTHORITY=FILE.pub; issue #10).
"$here/hooks/trust.sh" "$rootfs" "${LAPOR_AUTHORITY:-}" "${LAPOR_ACCEPT_UNSIGNED:-}" | sed 's/^/  /'

# ---- the partitions' contents
work=$out/parts
rm -rf "$work"
mkdir -p "$work/esp/EFI/BOOT" "$work/esp/loader/entries" "$work/data"
kernel=$(ls "$rootfs"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$rootfs"/boot/initrd.img-* | sort -V | tail -1)
cp "$kernel" "$work/esp/vmlinuz"
cp "$initrd" "$work/esp/initrd.img"
cp "$rootfs/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$work/esp/EFI/BOOT/BOOTX64.EFI"
cmdline="root=LABEL=LAPORROOT ro rootfstype=ext4 quiet loglevel=3 console=ttyS0,115200 console=tty0 vt.global_cursor_default=0 systemd.show_status=false"
printf 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\ndefault lapor-kiosk.conf\n' >"$work/esp/loader/loader.conf"
printf 'title LAPOR! Kiosk\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n' "$cmdline" \
    >"$work/esp/loader/entries/lapor-kiosk.conf"
echo "$cmdline" >"$out/cmdline.txt"

# The data partition starts with the folders the root's bind mounts need (image/lockdown/fstab).
lapor_gid=$(awk -F: '$1=="lapor"{print $3}' "$rootfs/etc/group")
journal_gid=$(awk -F: '$1=="systemd-journal"{print $3}' "$rootfs/etc/group")
install -d -m 3770 -o 0 -g "$lapor_gid" "$work/data/lapor-kiosk"  # as tmpfiles (docs/technician.md)
install -d -m 0700 "$work/data/ssh"
install -d -m 2755 -g "$journal_gid" "$work/data/journal"
cp -a "$rootfs/var/lib/systemd" "$work/data/systemd"

# ---- file systems from folders (no loop devices)
mib=$((1024 * 1024))
root_used=$(du -s --block-size=1M "$rootfs" | cut -f1)
root_mib=$(((root_used * 125 / 100 + 64 + 15) / 16 * 16))
esp_mib=256 cfg_mib=16 data_mib=512
step "root file system: ${root_used} MiB used, partition ${root_mib} MiB"
rm -f "$work"/*.img
mke2fs -q -t ext4 -L LAPORROOT -d "$rootfs" -E root_owner=0:0 "$work/root.img" "${root_mib}M"
mke2fs -q -t ext4 -L LAPORDATA -d "$work/data" -E root_owner=0:0 "$work/data.img" "${data_mib}M"
mkfs.vfat -F 32 -n KIOSKESP -C "$work/esp.img" $((esp_mib * 1024)) >/dev/null
mcopy -s -i "$work/esp.img" "$work/esp/EFI" "$work/esp/loader" "$work/esp/vmlinuz" "$work/esp/initrd.img" ::/
mkfs.vfat -n KIOSKCFG -C "$work/kioskcfg.img" $((cfg_mib * 1024)) >/dev/null

# ---- the disk: GPT with sfdisk on a plain file, partitions copied in with dd
img=$out/lapor-kiosk.img
rm -f "$img"
esp_start=1 root_start=$((1 + esp_mib)) cfg_start=$((1 + esp_mib + root_mib))
data_start=$((cfg_start + cfg_mib))
total=$((data_start + data_mib + 1))
truncate -s "${total}M" "$img"
sfdisk -q "$img" <<EOF
label: gpt
start=${esp_start}MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="KIOSKESP"
start=${root_start}MiB, size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="LAPORROOT"
start=${cfg_start}MiB, size=${cfg_mib}MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="KIOSKCFG"
start=${data_start}MiB, size=${data_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="LAPORDATA"
EOF
for p in esp:$esp_start root:$root_start kioskcfg:$cfg_start data:$data_start; do
    dd if="$work/${p%%:*}.img" of="$img" bs=1M seek="${p##*:}" conv=notrunc,sparse status=none
done
sfdisk -d "$img" >"$out/layout.txt"
echo "KIOSKCFG byte offset: $((cfg_start * mib))" >>"$out/layout.txt"
echo "$((cfg_start * mib))" >"$out/kioskcfg-offset"
rm -rf "$work"

elapsed=$(($(date +%s) - start))
size=$(stat -c %s "$img")
alloc=$(du -k "$img" | cut -f1)
step "done"
echo "image: $img"
echo "image size: $((size / mib)) MiB ($((alloc / 1024)) MiB allocated, sparse); build time: ${elapsed} s"
echo "provision it:  kioskctl provision ... --out $img@@$((cfg_start * mib))   (or flash, then --out /dev/sdX3)"
echo "flash it:      dd if=$img of=/dev/sdX bs=4M conv=fsync status=progress"
