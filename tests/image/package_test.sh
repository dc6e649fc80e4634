#!/usr/bin/env bash
# Packs this build with CPack into a scratch folder and inspects the .deb: file name, control
# fields (Depends with fonts and Mesa), maintainer scripts, and the files it installs. Installing
# and purging it in a real Debian root happens in `make image` (image/build-image.sh).
# Usage: package_test.sh BUILD_DIR [LAPOR_KIOSK] [LAPOR_SYNC]
set -euo pipefail
build=$1 kiosk=${2:-} sync=${3:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lapor-pkg-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A development build reads data from the source tree; the pre-build check refuses it unless told.
if cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/refused" -D CPACK_OUTPUT_FILE_PREFIX="$tmp/refused" >"$tmp/refused.log" 2>&1; then
    fail "cpack packed a development build without complaint (LAPOR_SHARE_DIR check missing)"
fi
grep -q 'make package' "$tmp/refused.log" || { cat "$tmp/refused.log"; fail "no reason given"; }
LAPOR_PACKAGE_ANY_SHARE_DIR=1 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" -D CPACK_OUTPUT_FILE_PREFIX="$tmp" \
    >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack failed"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")/\1/p' "$build/CPackConfig.cmake")
deb=$tmp/lapor-kiosk_${version}_amd64.deb
app=$tmp/lapor-kiosk-appliance_${version}_all.deb
[[ -f $deb && -f $app ]] || { ls "$tmp"; fail "expected lapor-kiosk_${version}_amd64.deb and lapor-kiosk-appliance_${version}_all.deb"; }
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")

# ---- the version: one place (project(VERSION)), the changelog agrees, the programs say it.
[[ $(dpkg-parsechangelog -l "$src/image/package/changelog" -S Version) == "$version" ]] ||
    fail "image/package/changelog's top entry is not $version (project(VERSION) in CMakeLists.txt)"

# ---- control fields
depends=$(dpkg-deb -f "$deb" Depends)
for want in fonts-noto-core libsodium23 libsqlite3-0 mtools; do
    [[ $depends == *"$want"* ]] || fail "lapor-kiosk Depends lacks $want: $depends"
done
app_depends=$(dpkg-deb -f "$app" Depends)
for want in "lapor-kiosk (= $version)" libgl1-mesa-dri libegl1 libgles2 libgbm1 systemd init-system-helpers; do
    [[ $app_depends == *"$want"* ]] || fail "lapor-kiosk-appliance Depends lacks $want: $app_depends"
done
[[ $(dpkg-deb -f "$deb" Package) == lapor-kiosk && $(dpkg-deb -f "$deb" Architecture) == amd64 ]] ||
    fail "wrong Package/Architecture"
[[ $(dpkg-deb -f "$app" Architecture) == all ]] || fail "the appliance package holds no binaries: Architecture all"

# ---- contents: programs in one package, everything that changes the machine in the other.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$tmp/files"
dpkg-deb -c "$app" | awk '{print $6}' | sed 's#^\./#/#' >"$tmp/app-files"
need=(/usr/bin/kioskctl /usr/share/lapor-kiosk/po/id.po /usr/share/lapor-kiosk/po/en.po
    /usr/share/lapor-kiosk/data/catalog.json /usr/share/doc/lapor-kiosk/config.md
    /usr/share/doc/lapor-kiosk/copyright /usr/share/doc/lapor-kiosk/changelog.gz
    /usr/share/man/man1/kioskctl.1.gz /usr/share/man/man5/kiosk.toml.5.gz)
[[ -n $kiosk ]] && need+=(/usr/bin/lapor-kiosk /usr/share/man/man1/lapor-kiosk.1.gz)
[[ -n $sync ]] && need+=(/usr/bin/lapor-sync /usr/share/man/man1/lapor-sync.1.gz)
for f in "${need[@]}"; do grep -qx "$f" "$tmp/files" || fail "lapor-kiosk lacks $f"; done
app_need=(/usr/lib/systemd/system/lapor-firstboot.service /usr/lib/systemd/system/lapor-doctor.service
    /usr/lib/systemd/system/lapor-doctor.timer /usr/libexec/lapor-kiosk/firstboot
    /usr/lib/udev/rules.d/60-lapor-kiosk.rules /usr/lib/sysusers.d/lapor-kiosk.conf
    /usr/lib/tmpfiles.d/lapor-kiosk.conf /usr/share/doc/lapor-kiosk-appliance/copyright
    /usr/share/doc/lapor-kiosk-appliance/changelog.gz
    /usr/lib/systemd/system/prometheus-node-exporter.service.d/50-lapor-kiosk.conf
    /usr/lib/sysctl.d/99-zz-lapor-shared-data.conf)
[[ -n $kiosk ]] && app_need+=(/usr/lib/systemd/system/lapor-kiosk.service)
[[ -n $sync ]] && app_need+=(/usr/lib/systemd/system/lapor-sync.service)
for f in "${app_need[@]}"; do grep -qx "$f" "$tmp/app-files" || fail "lapor-kiosk-appliance lacks $f"; done
if grep -E '^/usr/lib/(systemd|udev|sysusers\.d|tmpfiles\.d|sysctl\.d)/|^/etc/' "$tmp/files" | grep -v '/$'; then
    fail "lapor-kiosk holds appliance parts (above): a workstation install would change the machine"
fi
grep -q '^/usr/bin/' "$tmp/app-files" && fail "the appliance package holds programs"
# Every program in /usr/bin has a man page, and answers --version with the project's version.
for p in $(grep '^/usr/bin/.' "$tmp/files"); do
    grep -qx "/usr/share/man/man1/$(basename "$p").1.gz" "$tmp/files" || fail "no man page for $p"
done
for exe in "$build/ctl/kioskctl" "$sync" "$kiosk" "$build/sync/lab/lapor-lab" "$build/printer/lapor-vprinter"; do
    [[ -n $exe && -x $exe ]] || continue
    out=$("$exe" --version) || fail "$exe --version failed"
    [[ $out == "$(basename "$exe") (LAPOR! Kiosk) $version" ]] || fail "$exe --version says: $out"
done
# The share data exactly: every file of kiosk/po and kiosk/data.
(cd "$src/kiosk" && find po data -type f) | while read -r f; do
    grep -qx "/usr/share/lapor-kiosk/$f" "$tmp/files" || fail "the package lacks share/$f"
done
grep -q lapor-lab "$tmp/files" && fail "the lab server must not be in the kiosk package"
[[ -z $kiosk ]] && echo "note: lapor-kiosk is not built yet: not in the package"
[[ -z $sync ]] && echo "note: lapor-sync is not built yet: not in the package"

dpkg-deb -e "$app" "$tmp/control"
for s in postinst prerm postrm; do [[ -x $tmp/control/$s ]] || fail "no $s"; sh -n "$tmp/control/$s"; done
grep -q 'systemd-sysusers .*lapor-kiosk.conf' "$tmp/control/postinst" || fail "postinst makes no user"
grep -q '^u lapor-kiosk ' "$src/image/package/lapor-kiosk.sysusers" || fail "sysusers has no lapor-kiosk user"
grep -q '^u lapor-sync ' "$src/image/package/lapor-kiosk.sysusers" || fail "sysusers has no lapor-sync user"
echo "packages: $(basename "$deb") $(du -k "$deb" | cut -f1) KiB, $(wc -l <"$tmp/files") entries;" \
    "$(basename "$app") $(wc -l <"$tmp/app-files") entries"

# ---- lintian: no errors and no warnings (each one is fixed, or overridden with its reason in
# image/package/<package>.lintian-overrides).
if ! lintian --fail-on error,warning --tag-display-limit 0 "$deb" "$app" >"$tmp/lintian.log" 2>&1; then
    cat "$tmp/lintian.log"; fail "lintian found errors or warnings (above)"
fi
grep -E '^[EW]:' "$tmp/lintian.log" && fail "lintian printed errors or warnings"
echo "lintian: no errors, no warnings$(grep -c '^[IN]:' "$tmp/lintian.log" | sed 's/^0$//; s/.\+/; & info tags/')"
# Every override carries its reason on the comment line above it.
for o in "$src"/image/package/*.lintian-overrides; do
    awk -v f="$o" '/^[^#[:space:]]/ && prev !~ /^#/ { print f ": override without a reason: " $0; bad = 1 }
                   { prev = $0 } END { exit bad }' "$o" || fail "lintian override without a reason"
done
# The check can fail: a package without a copyright file is refused.
mkdir -p "$tmp/bad/DEBIAN" "$tmp/bad/usr/share/doc/lapor-broken"
printf 'Package: lapor-broken\nVersion: 1\nArchitecture: all\nMaintainer: A <a@b.example>\nDescription: broken\n x\n' >"$tmp/bad/DEBIAN/control"
dpkg-deb -b --root-owner-group "$tmp/bad" "$tmp/bad.deb" >/dev/null
lintian --fail-on error,warning "$tmp/bad.deb" >/dev/null 2>&1 && fail "lintian passed a package without copyright: the check proves nothing"

# ---- installs into scratch roots (dpkg --root; the maintainer scripts run with DPKG_ROOT).
new_root() {
    mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/etc" "$1/usr/bin"
    : >"$1/var/lib/dpkg/status"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
    for g in root:0 lp:7 dialout:20 video:44 input:105 render:106; do
        printf '%s:x:%s:\n' "${g%%:*}" "${g##*:}" >>"$1/etc/group"
    done
}
dpkg_in() {
    local root=$1; shift
    dpkg --root="$root" --force-not-root --force-script-chrootless --force-depends --no-triggers \
        --log=/dev/null "$@" >>"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg $* failed"; }
}
wants() { [[ -L $1/etc/systemd/system/$2/$3 ]]; }

# A staff workstation: the programs only. Nothing enabled, no user, no udev rules.
ws=$tmp/workstation
new_root "$ws"
dpkg_in "$ws" -i "$deb"
[[ -x $ws/usr/bin/kioskctl ]] || fail "workstation: no kioskctl"
[[ -e $ws/etc/systemd || -e $ws/usr/lib/udev ]] && fail "workstation: the programs package changed systemd or udev"
grep -q '^lapor-' "$ws/etc/passwd" && fail "workstation: the programs package made a user"
echo "workstation: lapor-kiosk alone installs programs only (no units, no user, no udev rules)"

# A kiosk: both packages. First install enables every unit.
k=$tmp/kiosk
new_root "$k"
dpkg_in "$k" -i "$deb" "$app"
units=(lapor-firstboot.service lapor-doctor.timer)
[[ -n $kiosk ]] && units+=(lapor-kiosk.service)
[[ -n $sync ]] && units+=(lapor-sync.service)
for u in "${units[@]}"; do
    target=multi-user.target.wants
    [[ $u == *.timer ]] && target=timers.target.wants
    wants "$k" "$target" "$u" || fail "first install did not enable $u"
done
grep -q '^lapor-kiosk:' "$k/etc/passwd" || fail "no lapor-kiosk user after the first install"
grep -q '^lapor-sync:' "$k/etc/passwd" || fail "no lapor-sync user after the first install"
grep -q '^lapor:' "$k/etc/group" || fail "no lapor group after the first install"
id_groups=$(awk -F: '$4 ~ /(^|,)lapor-kiosk(,|$)/ {print $1}' "$k/etc/group" | sort | tr '\n' ' ')
[[ $id_groups == *dialout* && $id_groups == *lp* ]] || fail "lapor-kiosk is not in lp and dialout: $id_groups"
sync_groups=$(awk -F: '$4 ~ /(^|,)lapor-sync(,|$)/ {print $1}' "$k/etc/group" | tr '\n' ' ')
[[ -z $sync_groups ]] || fail "lapor-sync joined device groups: $sync_groups"
echo "kiosk: first install enabled ${units[*]}; lapor-kiosk in groups $id_groups"

# The administrator disables the upload worker and the boot check; an upgrade keeps that.
systemctl --root="$k" disable lapor-doctor.timer >/dev/null 2>&1
[[ -n $sync ]] && systemctl --root="$k" disable lapor-sync.service >/dev/null 2>&1
dpkg_in "$k" -i "$deb" "$app"
wants "$k" timers.target.wants lapor-doctor.timer && fail "the upgrade re-enabled lapor-doctor.timer"
[[ -n $sync ]] && wants "$k" multi-user.target.wants lapor-sync.service && fail "the upgrade re-enabled lapor-sync.service"
wants "$k" multi-user.target.wants lapor-firstboot.service || fail "the upgrade disabled lapor-firstboot.service"
[[ -n $kiosk ]] && { wants "$k" multi-user.target.wants lapor-kiosk.service || fail "the upgrade disabled lapor-kiosk.service"; }
echo "upgrade: disabled units stay disabled, enabled ones stay enabled"

# Remove and purge leave no enable links, masks or config link behind; /var/lib/lapor-kiosk stays.
dpkg_in "$k" -r lapor-kiosk-appliance
dpkg_in "$k" -P lapor-kiosk-appliance lapor-kiosk
left=$(cd "$k" && find etc/systemd etc/lapor-kiosk var/lib/systemd/deb-systemd-helper-enabled \
    var/lib/systemd/deb-systemd-helper-masked -name '*lapor*' 2>/dev/null || true)
[[ -z $left ]] || fail "purge left: $left"
echo "purge: no units, links or masks left"

# Restart on upgrade, nothing started on a first install: the postinst on a running systemd, with
# the tools it calls replaced by recorders (the only way to see its calls without booting).
fake=$tmp/fake
mkdir -p "$fake/bin" "$fake/run/systemd/system"
for t in deb-systemd-helper deb-systemd-invoke systemctl systemd-sysusers systemd-tmpfiles udevadm; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$t" "$fake" >"$fake/bin/$t"
    chmod +x "$fake/bin/$t"
done
sed "s#^systemd_run=.*#systemd_run=$fake/run/systemd/system#" "$tmp/control/postinst" >"$fake/postinst"
grep -q "systemd_run=$fake" "$fake/postinst" || fail "postinst has no systemd_run= line to point"
(unset DPKG_ROOT; PATH=$fake/bin:$PATH sh "$fake/postinst" configure "")
grep -E 'deb-systemd-invoke (start|restart|try-restart)' "$fake/calls" && fail "a first install started services"
: >"$fake/calls"
(unset DPKG_ROOT; PATH=$fake/bin:$PATH sh "$fake/postinst" configure 0.0.9)
grep -qx 'deb-systemd-invoke try-restart lapor-sync.service lapor-kiosk.service' "$fake/calls" ||
    { cat "$fake/calls"; fail "an upgrade does not try-restart the services"; }
grep -qx 'systemctl --system daemon-reload' "$fake/calls" || fail "no daemon-reload on upgrade"
echo "maintainer scripts: first install starts nothing; upgrade try-restarts lapor-sync and lapor-kiosk"
