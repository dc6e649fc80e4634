#!/usr/bin/env bash
# mmdebstrap customize hook: the package installs, purges cleanly and installs again, in a real
# Debian 12 root. Usage: package-check.sh ROOT /tmp/lapor-kiosk_VERSION_amd64.deb
#                                    /tmp/lapor-kiosk-appliance_VERSION_all.deb
set -euo pipefail
root=$1 deb=$2 app=$3
say() { echo "package-check: $*"; }
in_root() { chroot "$root" "$@"; }
export DEBIAN_FRONTEND=noninteractive

snapshot() { in_root find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log \) -prune -o -print | sort; }
in_root apt-get install -y -q "$deb" "$app" >/dev/null
# Depends pulled in Mesa, fonts etc.; what is left after the purge is compared with this state.
in_root apt-get purge -y -q lapor-kiosk-appliance lapor-kiosk >/dev/null
leftover=$(cd "$root" && ls -d etc/lapor-kiosk usr/share/lapor-kiosk usr/bin/kioskctl usr/lib/systemd/system/lapor-* \
    etc/systemd/system/*/lapor-* usr/lib/udev/rules.d/60-lapor-kiosk.rules 2>/dev/null || true)
[[ -z $leftover ]] || { say "FAIL the first purge left: $leftover"; exit 1; }
snapshot >"$root/tmp/before"
in_root apt-get install -y -q "$deb" "$app" >/dev/null
in_root dpkg -s lapor-kiosk-appliance | grep -q '^Status: install ok installed' || { say "FAIL not installed"; exit 1; }
# Two service users sharing the group lapor (docs/technician.md, "Files, owners and readers").
id=$(in_root id lapor-kiosk)
[[ $id == *video* && $id == *render* && $id == *input* && $id == *'(lp)'* && $id == *'(lapor)'* ]] ||
    { say "FAIL lapor-kiosk user: $id"; exit 1; }
sync_id=$(in_root id lapor-sync)
[[ $sync_id == *'(lapor)'* && $sync_id != *video* && $sync_id != *input* ]] || { say "FAIL lapor-sync user: $sync_id"; exit 1; }
[[ $(readlink "$root/etc/lapor-kiosk/kiosk.toml") == /var/lib/lapor-kiosk/config/kiosk.toml ]] ||
    { say "FAIL config link"; exit 1; }
for u in lapor-firstboot.service lapor-kiosk.service lapor-sync.service lapor-doctor.timer; do
    if [[ -e $root/usr/lib/systemd/system/$u ]]; then
        [[ $(in_root systemctl is-enabled "$u") == enabled ]] || { say "FAIL $u not enabled"; exit 1; }
        say "$u installed and enabled"
    else
        say "$u not in this package (its program is not built yet)"
    fi
done
say "installed: $(in_root dpkg -L lapor-kiosk lapor-kiosk-appliance | wc -l) paths; users: $id; $sync_id"
# Purge, then compare the whole file system with the state before the install.
in_root apt-get purge -y -q lapor-kiosk-appliance lapor-kiosk >"$root/tmp/purge.log" 2>&1
snapshot >"$root/tmp/after"
left=$(comm -13 "$root/tmp/before" "$root/tmp/after" | grep -v -e '^/var/lib/lapor-kiosk$' || true)
gone=$(comm -23 "$root/tmp/before" "$root/tmp/after" || true)
if [[ -n $left || -n $gone ]]; then
    say "FAIL purge left or removed files:"; echo "$left" "$gone" | head -20; exit 1
fi
say "purged cleanly (kept on purge, by design: /var/lib/lapor-kiosk and the service users)"
in_root apt-get install -y -q "$deb" "$app" >/dev/null
rm -f "$root"/tmp/before "$root"/tmp/after "$root"/tmp/purge.log
say "installed again for the image"
