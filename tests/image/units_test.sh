#!/usr/bin/env bash
# The systemd units as a kiosk runs them: `systemd-analyze verify` on copies whose ExecStart
# points at the built programs (the installed paths do not exist on a build machine), then
# `systemd-analyze security --offline=true` on both services, which must score 2.5 or better.
# Usage: units_test.sh SOURCE_DIR KIOSKCTL [LAPOR_KIOSK] [LAPOR_SYNC]
set -euo pipefail
src=$1 kioskctl=$2 kiosk=${3:-} sync=${4:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lapor-units-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

stand_in() {  # a program that is not built yet is verified against a stand-in, and says so
    if [[ -n $2 && -x $2 ]]; then echo "$2"; else
        echo "note: $1 is not built yet; its unit is verified with /bin/true as ExecStart" >&2
        echo /bin/true
    fi
}
declare -A exe=(
    [lapor-kiosk.service]=$(stand_in lapor-kiosk "$kiosk")
    [lapor-sync.service]=$(stand_in lapor-sync "$sync")
    [lapor-firstboot.service]=$src/image/firstboot/lapor-firstboot
    [lapor-doctor.service]=-$kioskctl
)
for unit in "${!exe[@]}"; do
    sed -E "s#^ExecStart=[^ ]+#ExecStart=${exe[$unit]}#" "$src/image/systemd/$unit" >"$tmp/$unit"
    grep -q "^ExecStart=${exe[$unit]}" "$tmp/$unit" || fail "$unit has no ExecStart to point"
done
[[ -x $kioskctl ]] || fail "kioskctl not built at $kioskctl"

cp "$src/image/systemd/lapor-doctor.timer" "$tmp/"
(cd "$tmp" && systemd-analyze verify --man=no ./*.service ./*.timer) >"$tmp/verify.log" 2>&1 ||
    { cat "$tmp/verify.log"; fail "systemd-analyze verify found problems (above)"; }
[[ -s $tmp/verify.log ]] && { cat "$tmp/verify.log"; fail "systemd-analyze verify warned"; }
echo "verify: ${!exe[*]} ok"

# The check can fail: a unit with a relative ExecStart must be refused.
mkdir "$tmp/broken"
sed -E 's#^ExecStart=.*#ExecStart=lapor-kiosk-relative#' "$tmp/lapor-kiosk.service" \
    >"$tmp/broken/lapor-kiosk.service"
if (cd "$tmp/broken" && systemd-analyze verify --man=no ./lapor-kiosk.service) >/dev/null 2>&1; then
    fail "systemd-analyze verify accepted a broken unit: the check above proves nothing"
fi

exposure() {  # prints the overall exposure level (0.0-10.0) of a unit file
    (cd "$(dirname "$1")" && systemd-analyze security --offline=true --no-pager "./$(basename "$1")") \
        2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p'
}
for unit in lapor-kiosk.service lapor-sync.service; do
    level=$(exposure "$tmp/$unit")
    [[ -n $level ]] || fail "no exposure level for $unit"
    awk -v l="$level" 'BEGIN { exit !(l <= 2.5) }' || fail "$unit exposure $level > 2.5"
    echo "security: $unit exposure $level (<= 2.5 required)"
done
printf '[Service]\nExecStart=/bin/true\n' >"$tmp/broken/bare.service"
bare=$(exposure "$tmp/broken/bare.service")
awk -v l="$bare" 'BEGIN { exit !(l > 2.5) }' || fail "a bare unit scored $bare: the score is not read right"

# What the kiosk relies on, stated in the unit (a change here must be deliberate).
k=$src/image/systemd/lapor-kiosk.service
for want in 'Type=notify' 'WatchdogSec=' 'Restart=always' 'RestartPreventExitStatus=' \
    'StartLimitAction=reboot' 'User=lapor-kiosk' 'Group=lapor' 'SupplementaryGroups=video render input lp' \
    'IPAddressDeny=any' 'UMask=0007' 'ReadWritePaths=/var/lib/lapor-kiosk' \
    'SDL_VIDEODRIVER=kmsdrm' 'SDL_RENDER_DRIVER=opengles2' 'TTYPath=/dev/tty1' \
    'DevicePolicy=closed' \
    'DeviceAllow=char-drm rw' 'DeviceAllow=char-input' 'DeviceAllow=/dev/tty1 rw' \
    'DeviceAllow=char-usb rw' 'DeviceAllow=char-ttyS rw' 'ProtectSystem=strict' 'NoNewPrivileges=yes'; do
    grep -qF "$want" "$k" || fail "lapor-kiosk.service lacks $want"
done
s=$src/image/systemd/lapor-sync.service
for want in 'After=network-online.target' 'Wants=network-online.target' 'User=lapor-sync' \
    'Group=lapor' 'ReadWritePaths=/var/lib/lapor-kiosk /run/lapor-kiosk' 'UMask=0007' \
    'ProtectSystem=strict' 'Restart=always' \
    'StartLimitIntervalSec=0'; do
    grep -qF "$want" "$s" || fail "lapor-sync.service lacks $want"
done
# One secret per service: two users; the UI has no IP address family at all; neither unit uses
# StateDirectory=/RuntimeDirectory= (two users would fight over the shared folder's owner).
grep -qx 'RestrictAddressFamilies=AF_UNIX AF_NETLINK' "$k" || fail "the UI may use more than AF_UNIX/AF_NETLINK"
for u in "$k" "$s"; do
    grep -q '^StateDirectory=\|^RuntimeDirectory=' "$u" && fail "$(basename "$u") re-owns the shared folder (StateDirectory=/RuntimeDirectory=)"
done
p=$src/image/package
grep -qx 'u lapor-kiosk -:lapor .*' "$p/lapor-kiosk.sysusers" || fail "sysusers: no lapor-kiosk user in group lapor"
grep -qx 'u lapor-sync -:lapor .*' "$p/lapor-kiosk.sysusers" || fail "sysusers: no lapor-sync user in group lapor"
grep -q '^m lapor-sync' "$p/lapor-kiosk.sysusers" && fail "sysusers: lapor-sync must not join device groups"
grep -qx 'd /var/lib/lapor-kiosk 3770 root lapor -' "$p/lapor-kiosk.tmpfiles" || fail "tmpfiles: data folder"
# The unit files' users exist in sysusers, and the doctor runs as the UI's user.
grep -qx 'User=lapor-kiosk' "$src/image/systemd/lapor-doctor.service" || fail "lapor-doctor.service user"

# udev rules: every line is `KEY op "value"` pairs separated by ", " (no udevadm verify in 252).
while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    rest=$line
    while [[ -n $rest ]]; do
        [[ $rest =~ ^[A-Z_]+(\{[A-Za-z_.]+\})?(==|!=|\+=|-=|:=|=)\"[^\"]*\"(,\ (.*))?$ ]] ||
            fail "60-lapor-kiosk.rules: cannot parse: $line"
        rest=${BASH_REMATCH[5]:-}
    done
done <"$src/image/udev/60-lapor-kiosk.rules"
grep -q 'KERNEL=="lp\[0-9\]\*", GROUP="lp"' "$src/image/udev/60-lapor-kiosk.rules" || fail "no USB printer rule"
grep -q 'ID_INPUT_TOUCHSCREEN}=="1"' "$src/image/udev/60-lapor-kiosk.rules" || fail "no touch rule"
# Printers by USB interface class 07, never by vendor: a vendor match would hand a printer maker's
# scanners and card readers to group lp.
grep -qF 'ENV{ID_USB_INTERFACES}=="*:07????:*", GROUP="lp"' "$src/image/udev/60-lapor-kiosk.rules" ||
    fail "no rule matching USB printer-class (07) interfaces"
if grep -v '^#' "$src/image/udev/60-lapor-kiosk.rules" | grep 'GROUP="lp"' | grep -q 'idVendor'; then
    fail "a udev rule gives a whole vendor's devices to group lp"
fi

# The node exporter drop-in: listens where [metrics] says, reads lapor-sync's textfile folder.
ne=$src/image/systemd/prometheus-node-exporter.service.d/50-lapor-kiosk.conf
grep -qx 'ExecStart=' "$ne" || fail "node exporter drop-in does not reset ExecStart"
grep -q 'metrics --exporter-args' "$ne" || fail "node exporter drop-in does not ask kioskctl for its address"
grep -q -- '--web.listen-address=127.0.0.1:9100' "$ne" || fail "node exporter fallback is not loopback-only"

# Console lockdown as the image applies it.
l=$src/image/lockdown
grep -qx 'NAutoVTs=0' "$l/logind.conf.d/50-lapor-kiosk.conf" || fail "NAutoVTs=0 missing"
grep -qx 'kernel.sysrq = 0' "$l/sysctl.d/50-lapor-kiosk.conf" || fail "kernel.sysrq = 0 missing"
# The shared store needs O_CREAT opens of the other service's files in its sticky folder, and the
# drop-in must come after procps' 99-protect-links.conf (fs.protected_regular = 2) to win.
shared=$l/sysctl.d/99-zz-lapor-shared-data.conf
grep -qx 'fs.protected_regular = 1' "$shared" || fail "fs.protected_regular = 1 missing"
[[ $(printf '%s\n' 99-protect-links.conf "$(basename "$shared")" | LC_ALL=C sort | tail -1) == "$(basename "$shared")" ]] ||
    fail "$(basename "$shared") does not sort after 99-protect-links.conf"
grep -qx 'PasswordAuthentication no' "$l/sshd_config.d/50-lapor-kiosk.conf" || fail "ssh passwords"
grep -qx 'Storage=persistent' "$l/journald.conf.d/50-lapor-kiosk.conf" || fail "journal not persistent"
grep -q '^SystemMaxUse=' "$l/journald.conf.d/50-lapor-kiosk.conf" || fail "journal not capped"
echo "units, udev rules and lockdown: ok"
