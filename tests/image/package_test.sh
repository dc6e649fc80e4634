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
[[ -f $deb ]] || { ls "$tmp"; fail "no lapor-kiosk_${version}_amd64.deb"; }

depends=$(dpkg-deb -f "$deb" Depends)
for want in fonts-noto-core libgl1-mesa-dri libegl1 libgles2 libgbm1 systemd libsodium23 libsqlite3-0; do
    [[ $depends == *"$want"* ]] || fail "Depends lacks $want: $depends"
done
[[ $(dpkg-deb -f "$deb" Package) == lapor-kiosk && $(dpkg-deb -f "$deb" Architecture) == amd64 ]] ||
    fail "wrong Package/Architecture"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$tmp/files"
need=(/usr/bin/kioskctl /usr/share/lapor-kiosk/po/id.po /usr/share/lapor-kiosk/po/en.po
    /usr/share/lapor-kiosk/data/catalog.json /usr/lib/systemd/system/lapor-firstboot.service
    /usr/lib/systemd/system/lapor-doctor.service /usr/lib/systemd/system/lapor-doctor.timer /usr/share/doc/lapor-kiosk/config.md
    /usr/libexec/lapor-kiosk/firstboot /usr/lib/udev/rules.d/60-lapor-kiosk.rules
    /usr/lib/sysusers.d/lapor-kiosk.conf /usr/lib/tmpfiles.d/lapor-kiosk.conf)
[[ -n $kiosk ]] && need+=(/usr/bin/lapor-kiosk /usr/lib/systemd/system/lapor-kiosk.service)
[[ -n $sync ]] && need+=(/usr/bin/lapor-sync /usr/lib/systemd/system/lapor-sync.service)
for f in "${need[@]}"; do grep -qx "$f" "$tmp/files" || fail "the package lacks $f"; done
# The kiosk/ tree's share data exactly: every file of po/ and data/.
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
(cd "$src/kiosk" && find po data -type f) | while read -r f; do
    grep -qx "/usr/share/lapor-kiosk/$f" "$tmp/files" || fail "the package lacks share/$f"
done
grep -q lapor-lab "$tmp/files" && fail "the lab server must not be in the kiosk package"
[[ -z $kiosk ]] && echo "note: lapor-kiosk is not built yet: not in the package"
[[ -z $sync ]] && echo "note: lapor-sync is not built yet: not in the package"

dpkg-deb -e "$deb" "$tmp/control"
for s in postinst prerm postrm; do [[ -x $tmp/control/$s ]] || fail "no $s"; sh -n "$tmp/control/$s"; done
grep -q 'systemd-sysusers lapor-kiosk.conf' "$tmp/control/postinst" || fail "postinst makes no user"
grep -q '^u lapor-kiosk ' "$src/image/package/lapor-kiosk.sysusers" || fail "sysusers has no lapor-kiosk user"
grep -q '^u lapor-sync ' "$src/image/package/lapor-kiosk.sysusers" || fail "sysusers has no lapor-sync user"
echo "package: $(basename "$deb") $(du -k "$deb" | cut -f1) KiB, $(wc -l <"$tmp/files") entries; Depends: $depends"
