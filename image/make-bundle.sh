#!/usr/bin/env bash
# `make bundle`: the signed RAUC bundle of the root file system `make image` built, and an update
# folder to publish (manifest.json + the bundle) for kiosks whose [update] url points at it.
#
#   image/make-bundle.sh OUTDIR   -> OUTDIR/lapor-kiosk-<version>.raucb, OUTDIR/update/
#
# Signed with the development key from image/dev-keys.sh unless LAPOR_RAUC_KEY and
# LAPOR_RAUC_CERT name an organisation's own (the image must trust that certificate:
# LAPOR_RAUC_CERT at `make image` too). A kiosk installs only bundles its keyring trusts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out=$(cd "${1:?usage: make-bundle.sh OUTDIR}" && pwd)
[[ -f $out/root.img && -f $out/version ]] || { echo "make-bundle: no $out/root.img; run make image first" >&2; exit 3; }
"$here/install-tools.sh"
start=$(date +%s)
version=$(cat "$out/version")
key=${LAPOR_RAUC_KEY:-$out/keys/dev-key.pem}
cert=${LAPOR_RAUC_CERT:-$out/keys/dev-cert.pem}
[[ -f $key && -f $cert ]] || { echo "make-bundle: no signing key ($key, $cert)" >&2; exit 3; }
compatible=$(sed -n 's/^compatible=//p' "$here/update/system.conf")
# The store schema of the programs in this root: a kiosk refuses the bundle before installing
# when a rollback could not read the database afterwards (kiosk/update_policy.h).
store_version=$(sed -n 's/^inline constexpr int store_schema_version = \([0-9]*\);/\1/p' "$src/kiosk/store.h")
[[ -n $store_version ]] || { echo "make-bundle: cannot read store_schema_version from kiosk/store.h" >&2; exit 1; }

work=$out/bundle-work
rm -rf "$work"
mkdir -p "$work"
ln "$out/root.img" "$work/root.img" 2>/dev/null || cp "$out/root.img" "$work/root.img"
cat >"$work/manifest.raucm" <<MANIFEST
[update]
compatible=$compatible
version=$version
description=LAPOR! Kiosk $version store_version=$store_version
build=$(date -u +%Y%m%dT%H%M%SZ)

[bundle]
format=verity

[image.rootfs]
filename=root.img
MANIFEST
bundle=$out/lapor-kiosk-$version.raucb
rm -f "$bundle"
rauc bundle --cert="$cert" --key="$key" "$work" "$bundle" >"$out/bundle.log" 2>&1 ||
    { cat "$out/bundle.log"; echo "make-bundle: rauc bundle failed" >&2; exit 1; }
rm -rf "$work"
rauc info --keyring="$cert" "$bundle" >/dev/null 2>>"$out/bundle.log" ||
    { echo "make-bundle: the new bundle does not verify against $cert" >&2; exit 1; }

# The update folder: what a web server publishes at [update] url.
mkdir -p "$out/update"
cp "$bundle" "$out/update/"
size=$(stat -c %s "$bundle")
sha=$(sha256sum "$bundle" | cut -d' ' -f1)
cat >"$out/update/manifest.json.new" <<JSON
{"format": 1, "compatible": "$compatible", "version": "$version",
 "bundle": "$(basename "$bundle")", "size": $size, "sha256": "$sha", "store_version": $store_version}
JSON
mv "$out/update/manifest.json.new" "$out/update/manifest.json"
echo "bundle: $bundle ($((size / 1000000)) MB, version $version, store schema $store_version, signed by $(openssl x509 -in "$cert" -noout -subject | sed 's/^subject=//'))"
echo "update folder: $out/update (manifest.json + bundle; publish both, manifest.json last); $(($(date +%s) - start)) s"
