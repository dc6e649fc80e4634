#!/usr/bin/env bash
# image/update/lapor-boot (RAUC's backend over systemd-boot boot counting) on a folder ESP:
# the first entry, an install into slot B (kernel, initrd, entry on trial with the running
# entry's options), mark good (blessed), a failed trial (marked bad, A is primary again),
# tries used up by systemd-boot (+0-3), and refusals.
# Usage: boot_entries_test.sh SOURCE_DIR
set -euo pipefail
src=$1
tool=$src/image/update/lapor-boot
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lapor-boot-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LAPOR_ESP=$tmp/esp LAPOR_PROC_CMDLINE=$tmp/cmdline
E=$LAPOR_ESP/loader/entries
mkdir -p "$E" "$LAPOR_ESP/a"
for s in a b; do  # what RAUC wrote into each slot
    mkdir -p "$tmp/slot-$s/boot" "$tmp/slot-$s/usr/lib/lapor-kiosk"
    echo "kernel $s" >"$tmp/slot-$s/boot/vmlinuz-6.1.0-1-amd64"
    echo "initrd $s" >"$tmp/slot-$s/boot/initrd.img-6.1.0-1-amd64"
done
echo 1.0 >"$tmp/slot-a/usr/lib/lapor-kiosk/image-version"
echo 1.1 >"$tmp/slot-b/usr/lib/lapor-kiosk/image-version"
export LAPOR_SLOT_ROOT_a=$tmp/slot-a LAPOR_SLOT_ROOT_b=$tmp/slot-b

# The image's first entry, as build-image.sh writes it; the boot test's extra option.
"$tool" entry a 1.0 "$("$tool" cmdline a) systemd.journald.forward_to_console=1" >"$E/lapor-1-a.conf"
"$tool" cmdline a | grep -q 'root=/dev/disk/by-partlabel/rootfs.0 rootfstype=erofs ro rauc.slot=a' ||
    fail "cmdline a: $("$tool" cmdline a)"
echo "BOOT_IMAGE=/a/vmlinuz root=/dev/disk/by-partlabel/rootfs.0 rauc.slot=a quiet" >"$tmp/cmdline"
[[ $("$tool" get-current) == a ]] || fail "get-current"
[[ $("$tool" get-primary) == a ]] || fail "get-primary with one entry"
[[ $("$tool" get-state a) == good && $("$tool" get-state b) == bad ]] || fail "get-state before install"

# RAUC installed slot B and makes it primary: on trial with 3 tries, A's options, B's root.
"$tool" set-primary b 2>/dev/null
[[ -f $E/lapor-2-b+3.conf ]] || fail "no lapor-2-b+3.conf: $(ls "$E")"
[[ $(cat "$LAPOR_ESP/b/vmlinuz") == "kernel b" && $(cat "$LAPOR_ESP/b/initrd.img") == "initrd b" ]] ||
    fail "slot b's kernel/initrd not copied"
grep -q '^options root=/dev/disk/by-partlabel/rootfs.1 rootfstype=erofs ro rauc.slot=b .*forward_to_console=1' "$E/lapor-2-b+3.conf" ||
    fail "b's options: $(grep options "$E/lapor-2-b+3.conf")"
grep -q '^title LAPOR! Kiosk 1.1 (slot b)' "$E/lapor-2-b+3.conf" || fail "b's title"
[[ $("$tool" get-primary) == b ]] || fail "b is not primary after set-primary"

# systemd-boot counted one try (renamed +2-1) and B booted; health ok: mark good = blessed.
mv "$E/lapor-2-b+3.conf" "$E/lapor-2-b+2-1.conf"
echo "root=/dev/disk/by-partlabel/rootfs.1 rauc.slot=b" >"$tmp/cmdline"
"$tool" list | grep -q '^2 b 2 lapor-2-b+2-1.conf$' || fail "list: $("$tool" list)"
"$tool" set-state b good 2>/dev/null
[[ -f $E/lapor-2-b.conf ]] || fail "b not blessed: $(ls "$E")"
[[ $("$tool" get-primary) == b ]] || fail "b not primary once good"

# The next update goes to A (generation 3); it fails its health check: marked bad, B boots.
"$tool" set-primary a 2>/dev/null
[[ -f $E/lapor-3-a+3.conf && ! -f $E/lapor-1-a.conf ]] || fail "a's new entry: $(ls "$E")"
grep -q 'rauc.slot=a' "$E/lapor-3-a+3.conf" || fail "a's options"
[[ $("$tool" get-primary) == a ]] || fail "a not primary after install"
"$tool" set-state a bad 2>/dev/null
[[ -f $E/lapor-3-a+0.conf ]] || fail "a not marked bad: $(ls "$E")"
[[ $("$tool" get-primary) == b && $("$tool" get-state a) == bad ]] || fail "b not primary after a failed"

# A slot that never came up: systemd-boot used all tries (+0-3); the other is primary.
"$tool" set-primary a 2>/dev/null
mv "$E/lapor-4-a+3.conf" "$E/lapor-4-a+0-3.conf"
[[ $("$tool" get-primary) == b && $("$tool" get-state a) == bad ]] || fail "tries used up: $("$tool" list)"

# RAUC marks the slot it will write bad first: a slot with no entry yet is left alone.
rm -f "$E"/lapor-*-a*.conf
"$tool" set-state a bad 2>/dev/null || fail "set-state bad refused for a slot without an entry"
[[ -z $(ls "$E" | grep -- '-a') && $("$tool" get-primary) == b ]] || fail "after set-state bad with no entry: $(ls "$E")"
"$tool" set-state a good 2>/dev/null && fail "set-state good accepted for a slot without an entry"

# Refusals.
"$tool" set-primary c 2>/dev/null && fail "slot c accepted"
"$tool" set-state b maybe 2>/dev/null && fail "state maybe accepted"
LAPOR_SLOT_ROOT_b=$tmp/empty "$tool" set-primary b 2>/dev/null && fail "a slot without a kernel accepted"
"$tool" frobnicate 2>/dev/null && fail "unknown command accepted"
echo "lapor-boot: first entry, install, bless, mark bad, tries used up, refusals: ok"
