#!/usr/bin/env bash
# Pins the provisioning authority's public key in the image (read-only root), or marks a lab image
# that also accepts unsigned bundles. `make image AUTHORITY=FILE.pub [ACCEPT_UNSIGNED=1]`.
# Without AUTHORITY the image trusts the first signed bundle it installs (trust on first use;
# docs/technician.md). Usage: trust.sh ROOTFS [AUTHORITY_PUB] [ACCEPT_UNSIGNED]
set -euo pipefail
root=$1 authority=${2:-} unsigned=${3:-}
dir=$root/etc/lapor-kiosk
install -d -m 0755 "$dir"
rm -f "$dir/authority.pub" "$dir/accept-unsigned-bundles"
if [[ -n $authority ]]; then
    # One "ed25519 <base64 of 32 bytes>" line, as kioskctl authority-keygen writes it.
    key=$(grep -v '^#' "$authority" | grep -E '^ed25519 [A-Za-z0-9+/]{43}=$' || true)
    if [[ -z $key || $(grep -cv '^#\|^$' "$authority") -ne 1 ]]; then
        echo "trust: $authority is not an authority public key (kioskctl authority-keygen writes authority.pub)" >&2
        exit 2
    fi
    grep -q 'PRIVATE' "$authority" && { echo "trust: $authority is a PRIVATE key: give authority.pub" >&2; exit 2; }
    install -m 0644 "$authority" "$dir/authority.pub"
    echo "trust: pinned authority key ${key#ed25519 }"
else
    echo "trust: no AUTHORITY given: the kiosk will trust the first signed bundle it installs (trust on first use)"
fi
if [[ $unsigned == 1 ]]; then
    : >"$dir/accept-unsigned-bundles"
    echo "trust: LAB IMAGE: unsigned bundles are accepted (never ship this image)"
fi
