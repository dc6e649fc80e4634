#!/usr/bin/env bash
# The development update-signing key: made once per build folder, never committed (build/ is
# ignored). An organisation signs with its own key instead: LAPOR_RAUC_KEY and LAPOR_RAUC_CERT
# for make-bundle.sh, LAPOR_RAUC_CERT for build-image.sh (docs/technician.md, "Your own key").
#   image/dev-keys.sh KEYDIR   -> KEYDIR/dev-key.pem (0600), KEYDIR/dev-cert.pem
set -euo pipefail
dir=${1:?usage: dev-keys.sh KEYDIR}
mkdir -p "$dir"
chmod 0700 "$dir"
if [[ ! -f $dir/dev-key.pem || ! -f $dir/dev-cert.pem ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
        -subj "/O=LAPOR! Kiosk development/CN=update signing (development only, $(hostname))" \
        -keyout "$dir/dev-key.pem" -out "$dir/dev-cert.pem" 2>/dev/null
    chmod 0600 "$dir/dev-key.pem"
    echo "dev-keys: made a development signing key in $dir (not for kiosks in the field)"
fi
echo "$dir/dev-cert.pem"
