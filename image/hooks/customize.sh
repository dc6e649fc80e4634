#!/usr/bin/env bash
# mmdebstrap customize hook: lockdown, read-only root layout, networking, time, journald.
# Usage: customize.sh ROOT IMAGE_DIR
set -euo pipefail
root=$1 img=$2
l=$img/lockdown
say() { echo "customize: $*"; }
in_root() { chroot "$root" "$@"; }

install -D -m 0644 "$l/logind.conf.d/50-lapor-kiosk.conf" "$root/etc/systemd/logind.conf.d/50-lapor-kiosk.conf"
install -D -m 0644 "$l/system.conf.d/50-lapor-kiosk.conf" "$root/etc/systemd/system.conf.d/50-lapor-kiosk.conf"
install -D -m 0644 "$l/sysctl.d/50-lapor-kiosk.conf" "$root/etc/sysctl.d/50-lapor-kiosk.conf"
install -D -m 0644 "$l/journald.conf.d/50-lapor-kiosk.conf" "$root/etc/systemd/journald.conf.d/50-lapor-kiosk.conf"
install -D -m 0644 "$l/sshd_config.d/50-lapor-kiosk.conf" "$root/etc/ssh/sshd_config.d/50-lapor-kiosk.conf"
install -D -m 0644 "$l/ssh.service.d/50-lapor-kiosk.conf" "$root/etc/systemd/system/ssh.service.d/50-lapor-kiosk.conf"
install -D -m 0644 "$l/network-wired.network" "$root/etc/systemd/network/20-wired.network"
install -m 0644 "$l/fstab" "$root/etc/fstab"
mkdir -p "$root/data" "$root/var/lib/lapor-ssh" "$root/boot/efi" "$root/var/log/journal" \
    "$root/var/lib/rauc" "$root/var/lib/lapor-update"

# No consoles to log in on, no Ctrl-Alt-Del reboot, no debug shell; root has no password.
in_root systemctl mask getty@.service autovt@.service serial-getty@.service console-getty.service \
    ctrl-alt-del.target debug-shell.service >/dev/null 2>&1
in_root usermod -p '!' root
# SSH host keys are made per kiosk at first boot (only with a technician key); none in the image.
rm -f "$root"/etc/ssh/ssh_host_*
in_root systemctl enable systemd-networkd.service systemd-resolved.service \
    systemd-timesyncd.service >/dev/null 2>&1
ln -sf /run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
# The machine id lives on the data partition (mounted by the initramfs): systemd creates it there
# at the first boot and every later boot and every slot reads the same one.
rm -f "$root/etc/machine-id"
ln -s /data/machine-id "$root/etc/machine-id"
# No logins to record, and /var/log/wtmp is on the read-only root.
in_root systemctl mask systemd-update-utmp.service systemd-update-utmp-runlevel.service >/dev/null 2>&1
# The hostname comes from the kiosk id at each boot (lapor-identity); until then "kiosk".
echo kiosk >"$root/etc/hostname"
# Nothing in the image that changes at run time needs apt's lists.
rm -rf "$root"/var/lib/apt/lists/*
say "lockdown: gettys, autovt, ctrl-alt-del, debug-shell masked; root locked; sysrq off; NAutoVTs=0"
say "enabled: $(in_root systemctl list-unit-files --state=enabled --no-legend 2>/dev/null | awk '{print $1}' | grep -E 'lapor|timesync|networkd|resolved|ssh' | tr '\n' ' ')"
