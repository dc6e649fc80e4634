#!/usr/bin/env bash
# The fleet units (image/update/, image/identity/) pass `systemd-analyze verify` with their
# programs pointed at this build, and state what the update flow relies on.
# Usage: update_units_test.sh SOURCE_DIR KIOSKCTL
set -euo pipefail
src=$1 kioskctl=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lapor-update-units-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $kioskctl ]] || fail "kioskctl not built at $kioskctl"
units=(update/lapor-health.service update/lapor-update.service update/lapor-update.timer
    identity/lapor-identity.service identity/lapor-growdata.service)
for u in "${units[@]}"; do
    sed -e "s#/usr/bin/kioskctl#$kioskctl#g" \
        -e "s#/usr/libexec/lapor-kiosk/growdata#$src/image/identity/lapor-growdata#" \
        "$src/image/$u" >"$tmp/$(basename "$u")"
done
(cd "$tmp" && systemd-analyze verify --man=no ./*.service ./*.timer) >"$tmp/verify.log" 2>&1 ||
    { cat "$tmp/verify.log"; fail "systemd-analyze verify found problems (above)"; }
[[ -s $tmp/verify.log ]] && { cat "$tmp/verify.log"; fail "systemd-analyze verify warned"; }
h=$src/image/update/lapor-health.service
for want in 'User=lapor' 'ExecStartPre=-+/usr/bin/kioskctl' 'update --booted' 'health --wait' \
    'ExecStopPost=+/usr/bin/kioskctl' 'update --health-result' 'After=lapor-firstboot.service lapor-kiosk.service lapor-sync.service'; do
    grep -qF -- "$want" "$h" || fail "lapor-health.service lacks $want"
done
grep -q '^RemainAfterExit=yes' "$h" && fail "lapor-health.service must not RemainAfterExit (ExecStopPost would wait for shutdown)"
grep -qF 'update --timer' "$src/image/update/lapor-update.service" || fail "lapor-update.service does not run update --timer"
grep -qF 'Before=network-pre.target' "$src/image/identity/lapor-identity.service" || fail "the hostname is set after the network starts"
for k in compatible=lapor-kiosk-amd64 bootloader=custom path=/etc/rauc/keyring.pem \
    bootloader-custom-backend=/usr/libexec/lapor-kiosk/lapor-boot \
    device=/dev/disk/by-partlabel/rootfs.0 device=/dev/disk/by-partlabel/rootfs.1 bootname=a bootname=b; do
    grep -qxF "$k" "$src/image/update/system.conf" || fail "system.conf lacks $k"
done
echo "verify: ${units[*]##*/} ok; RAUC system.conf has both slots, the keyring and the backend"
