#!/usr/bin/env bash
# mmdebstrap customize hook: fleet updates and identity. RAUC's system config and the boot
# selection backend (image/update/), the health check and update timer, the hostname and data
# growth units (image/identity/). The version and the trusted certificate are stamped by
# build-image.sh after this (they change between builds of one root).
# Usage: update.sh ROOT IMAGE_DIR
set -euo pipefail
root=$1 img=$2
install -D -m 0644 "$img/update/system.conf" "$root/etc/rauc/system.conf"
install -D -m 0755 "$img/update/lapor-boot" "$root/usr/libexec/lapor-kiosk/lapor-boot"
install -D -m 0755 "$img/identity/lapor-growdata" "$root/usr/libexec/lapor-kiosk/growdata"
for u in update/lapor-health.service update/lapor-update.service update/lapor-update.timer \
    identity/lapor-identity.service identity/lapor-growdata.service; do
    install -m 0644 "$img/$u" "$root/etc/systemd/system/$(basename "$u")"
done
chroot "$root" systemctl enable lapor-health.service lapor-update.timer lapor-identity.service \
    lapor-growdata.service >/dev/null 2>&1
# Nothing on a read-only root to update with apt, nor to scrub or trim on a schedule.
chroot "$root" systemctl disable apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
    fstrim.timer >/dev/null 2>&1 || true
echo "update: RAUC (2 slots, lapor-boot backend), lapor-health, lapor-update.timer, lapor-identity, lapor-growdata enabled"
