#!/usr/bin/env bash
# Builds the kiosk disk image (`make image`): Debian 12 with mmdebstrap, the lapor-kiosk package,
# lockdown, a compressed read-only root in slot A of two, without loop devices or KVM. Prints the
# image's figures (size, allocated, zstd) and the build time.
#
#   image/build-image.sh OUTDIR      -> OUTDIR/lapor-kiosk.img, root.img (the slot image the
#                                       update bundle carries), version, layout.txt, build.log
#
# Environment:
#   LAPOR_IMAGE_VERSION=V   the image version (default: the package version); bundles carry it
#   LAPOR_REUSE_ROOTFS=1    keep OUTDIR/rootfs from the last build (restamped with the version):
#                           the update test builds v1, v2 and v3 from one bootstrap
#   LAPOR_SKIP_ZSTD=1       do not measure the zstd-compressed size (the update test)
#   LAPOR_RAUC_CERT=PEM     the update-signing certificate the image trusts (default: the
#                           development key image/dev-keys.sh makes in OUTDIR/keys)
#
# Disk (GPT):  1 KIOSKESP  FAT32  systemd-boot, kernel + initrd per slot (/a, /b), loader entries
#              2 rootfs.0  slot A: the root file system (erofs, read-only)
#              3 rootfs.1  slot B: empty until the first update
#              4 KIOSKCFG  FAT    the provisioning bundle (kioskctl provision writes it)
#              5 LAPORDATA ext4   /data: store, identity, config, machine id, journal, ssh;
#                                 last on the disk, grown to fill it at first boot
# File systems are made from folders (mkfs.erofs, mke2fs -d, mkfs.vfat + mtools) and placed with
# dd. Needs root (ownership in the root file system) and the apt mirror (apt's configured one).
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
source "$here/layout.sh"

[[ $(id -u) -eq 0 ]] || { echo "build-image: run as root (ownership inside the image)" >&2; exit 3; }
"$here/install-tools.sh"

deb=$(ls -t "$src"/build/package/lapor-kiosk_*_amd64.deb 2>/dev/null | head -1 || true)
[[ -n $deb ]] || { echo "build-image: no package; run make package first" >&2; exit 3; }
# The appliance parts (units, first boot, udev, service user) are their own package.
app=$(ls -t "$src"/build/package/lapor-kiosk-appliance_*_all.deb 2>/dev/null | head -1 || true)
[[ -n $app ]] || { echo "build-image: no lapor-kiosk-appliance package; run make package first" >&2; exit 3; }
pkg_version=$(dpkg-deb -f "$deb" Version)
version=${LAPOR_IMAGE_VERSION:-$pkg_version}
[[ $version =~ ^[0-9A-Za-z.+~-]{1,40}$ ]] ||
    { echo "build-image: LAPOR_IMAGE_VERSION \"$version\" must be 1-40 of 0-9 A-Z a-z . + ~ -" >&2; exit 2; }

# The certificate the kiosk's RAUC keyring trusts (bundles signed with its key install).
"$here/dev-keys.sh" "$out/keys" >/dev/null
cert=${LAPOR_RAUC_CERT:-$out/keys/dev-cert.pem}
[[ -f $cert ]] || { echo "build-image: LAPOR_RAUC_CERT $cert does not exist" >&2; exit 3; }

rootfs=$out/rootfs
if [[ ${LAPOR_REUSE_ROOTFS:-} == 1 && -f $rootfs/usr/bin/kioskctl ]]; then
    step "reusing $rootfs (LAPOR_REUSE_ROOTFS=1)"
    # The update parts come from image/, not from the package: take this checkout's.
    "$here/hooks/update.sh" "$rootfs" "$here" | sed 's/^/  /'
else
    # The Debian mirror apt already uses here (deb822 or one-line sources), else deb.debian.org.
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [[ -n $mirror ]] || mirror=$(awk '$1=="deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    step "mirror $mirror, package $(basename "$deb")"

    packages=(systemd systemd-sysv udev dbus kmod linux-image-amd64 initramfs-tools
        systemd-timesyncd systemd-resolved systemd-boot-efi openssh-server ca-certificates
        iproute2 e2fsprogs dosfstools fdisk util-linux procps less rauc rauc-service
        prometheus-node-exporter)
    # The package's own dependencies come with the bootstrap (the hooks then install it offline).
    deps=$( (dpkg-deb -f "$deb" Depends; echo ,; dpkg-deb -f "$app" Depends) | tr ',' '\n' |
        sed 's/|.*//; s/(.*)//; s/ //g' | grep -v -e '^$' -e '^lapor-kiosk$')
    packages+=($deps)
    cache=$out/apt-cache   # downloaded .debs kept between builds
    mkdir -p "$cache"
    rm -rf "$rootfs"
    # Documentation, manuals and other languages' messages are never read on a kiosk (the
    # copyright files and the kiosk's own guide stay), and the UI draws with two of Noto's 400
    # fonts (ui/fonts.cpp); dpkg skips the rest as it unpacks.
    trim=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
        --dpkgopt='path-include=/usr/share/doc/lapor-kiosk*/*'
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
        --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*'
        --dpkgopt='path-exclude=/usr/share/fonts/truetype/noto/*'
        --dpkgopt='path-include=/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf'
        --dpkgopt='path-include=/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf')
    step "mmdebstrap bookworm (log: $log)"
    mmdebstrap --variant=minbase --mode=root --skip=download/empty --include="$(IFS=,; echo "${packages[*]}")" \
        "${trim[@]}" \
        --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
        --setup-hook="sync-in $cache /var/cache/apt/archives/" \
        --essential-hook="$here/hooks/initramfs.sh \"\$1\" $here" \
        --customize-hook="copy-in $deb $app /tmp" \
        --customize-hook="$here/hooks/package-check.sh \"\$1\" /tmp/$(basename "$deb") /tmp/$(basename "$app")" \
        --customize-hook="$here/hooks/customize.sh \"\$1\" $here" \
        --customize-hook="$here/hooks/update.sh \"\$1\" $here" \
        --customize-hook="$here/hooks/trim.sh \"\$1\"" \
        --customize-hook="sync-out /var/cache/apt/archives $cache" \
        --customize-hook='rm -f "$1"/tmp/*.deb "$1"/var/cache/apt/archives/*.deb' \
        bookworm "$rootfs" "$mirror" >>"$log" 2>&1 || { tail -30 "$log"; echo "build-image: mmdebstrap failed (whole log: $log)" >&2; exit 1; }
    grep -E '^(package-check|customize|update|trim|initramfs):' "$log" | sed 's/^/  /'
    # The provisioning authority pinned in the image (make image AUTHORITY=FILE.pub; issue #10).
    "$here/hooks/trust.sh" "$rootfs" "${LAPOR_AUTHORITY:-}" "${LAPOR_ACCEPT_UNSIGNED:-}" | sed 's/^/  /'
fi

# mmdebstrap's clean-up removes dbus's machine-id link; dbus's tmpfiles line cannot make it on
# a read-only root.
ln -sfn /etc/machine-id "$rootfs/var/lib/dbus/machine-id"
# The version and the trusted update certificate, stamped into this build of the root.
install -D -m 0644 "$cert" "$rootfs/etc/rauc/keyring.pem"
install -d "$rootfs/usr/lib/lapor-kiosk"
echo "$version" >"$rootfs/usr/lib/lapor-kiosk/image-version"
echo "$version" >"$out/version"

# ---- the slot image: a compressed read-only file system (docs/decisions.md: erofs)
step "root file system: $(du -s --block-size=1M "$rootfs" | cut -f1) MiB in files"
rm -f "$out/root.img"
mkfs.erofs -zlz4hc,12 -T "$(date +%s)" "$out/root.img" "$rootfs" >>"$log" 2>&1 ||
    { tail -5 "$log"; echo "build-image: mkfs.erofs failed" >&2; exit 1; }
root_bytes=$(stat -c %s "$out/root.img")
(( root_bytes <= slot_mib * mib )) ||
    { echo "build-image: the root ($((root_bytes / mib)) MiB) does not fit a ${slot_mib} MiB slot" >&2; exit 1; }
step "slot image: $((root_bytes / mib)) MiB (erofs, lz4hc)"

# ---- the partitions' contents
work=$out/parts
rm -rf "$work"
mkdir -p "$work/esp/EFI/BOOT" "$work/esp/loader/entries" "$work/esp/a" "$work/data"
kernel=$(ls "$rootfs"/boot/vmlinuz-* | sort -V | tail -1)
initrd=$(ls "$rootfs"/boot/initrd.img-* | sort -V | tail -1)
cp "$kernel" "$work/esp/a/vmlinuz"
cp "$initrd" "$work/esp/a/initrd.img"
cp "$rootfs/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$work/esp/EFI/BOOT/BOOTX64.EFI"
printf 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\n' >"$work/esp/loader/loader.conf"
# Slot A's entry carries no boot counter: it is the known-good slot of a fresh image.
boot_entry a "$version" >"$work/esp/loader/entries/$(entry_name 1 a)"
cmdline_of a >"$out/cmdline.txt"

# The data partition starts with the folders the root's bind mounts need (image/lockdown/fstab).
lapor_gid=$(awk -F: '$1=="lapor"{print $3}' "$rootfs/etc/group")
journal_gid=$(awk -F: '$1=="systemd-journal"{print $3}' "$rootfs/etc/group")
install -d -m 3770 -o 0 -g "$lapor_gid" "$work/data/lapor-kiosk"  # as tmpfiles (docs/technician.md)
install -d -m 0700 "$work/data/ssh" "$work/data/rauc"
install -d -m 0755 "$work/data/update"
install -d -m 2755 -g "$journal_gid" "$work/data/journal"
cp -a "$rootfs/var/lib/systemd" "$work/data/systemd"

# ---- file systems from folders (no loop devices)
rm -f "$work"/*.img
mke2fs -q -t ext4 -L LAPORDATA -d "$work/data" -E root_owner=0:0 "$work/data.img" "${data_mib}M"
mkfs.vfat -F 32 -n KIOSKESP -C "$work/esp.img" $((esp_mib * 1024)) >/dev/null
mcopy -s -i "$work/esp.img" "$work/esp/EFI" "$work/esp/loader" "$work/esp/a" ::/
mkfs.vfat -n KIOSKCFG -C "$work/kioskcfg.img" $((cfg_mib * 1024)) >/dev/null

# ---- the disk: GPT with sfdisk on a plain file, partitions copied in with dd
img=$out/lapor-kiosk.img
rm -f "$img"
truncate -s "$((disk_mib))M" "$img"
gpt_script | sfdisk -q "$img"
for p in esp:$esp_start root:$slot_a_start kioskcfg:$cfg_start data:$data_start; do
    f=$work/${p%%:*}.img
    [[ ${p%%:*} == root ]] && f=$out/root.img
    dd if="$f" of="$img" bs=1M seek="${p##*:}" conv=notrunc,sparse status=none
done
sfdisk -d "$img" >"$out/layout.txt"
echo "KIOSKCFG byte offset: $((cfg_start * mib))" >>"$out/layout.txt"
echo "$((cfg_start * mib))" >"$out/kioskcfg-offset"
rm -rf "$work"

zsize=0
if [[ ${LAPOR_SKIP_ZSTD:-} != 1 ]]; then
    step "compressing a copy with zstd to measure it"
    zsize=$(zstd -q -T2 -3 -c "$img" | wc -c)
fi
elapsed=$(($(date +%s) - start))
size=$(stat -c %s "$img")
alloc=$(du -k "$img" | cut -f1)
step "done"
echo "image: $img (version $version)"
echo "image size: $((size / mib)) MiB ($((alloc / 1024)) MiB allocated, sparse; $((zsize / 1000000)) MB with zstd -3); slot image $((root_bytes / mib)) MiB; build time: ${elapsed} s"
echo "provision it:  kioskctl provision ... --out $img@@$((cfg_start * mib))   (or flash, then --out /dev/sdX4)"
echo "flash it:      dd if=$img of=/dev/sdX bs=4M conv=fsync status=progress"
