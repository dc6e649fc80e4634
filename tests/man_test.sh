#!/usr/bin/env bash
# The man pages made at build time: each renders without groff warnings, names its program's
# version, and kiosk.toml(5) (made from docs/config.md) lists every key of config.md's tables.
# usage: man_test.sh SOURCE_DIR MAN_BUILD_DIR VERSION
set -euo pipefail
src=$1 dir=$2 version=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
pages=(kioskctl.1 lapor-kiosk.1 lapor-sync.1 lapor-lab.1 lapor-vprinter.1 kiosk.toml.5)
for p in "${pages[@]}"; do
    [[ -s $dir/$p.gz ]] || fail "no $p.gz in $dir"
    warnings=$(zcat "$dir/$p.gz" | LC_ALL=C.UTF-8 MANWIDTH=80 groff -k -man -Tutf8 -ww -z 2>&1 || true)
    [[ -z $warnings ]] || fail "$p: groff warns: $warnings"
    zcat "$dir/$p.gz" | grep -q "LAPOR! Kiosk $version" || fail "$p does not name version $version"
done
# Every key of every [table] in docs/config.md reaches kiosk.toml(5).
text=$(zcat "$dir/kiosk.toml.5.gz" | groff -k -man -Tutf8 2>/dev/null | sed 's/.\x08//g')
keys=$(awk '/^### `\[/ { t = 1; next } /^## / { t = 0 } t && /^\| `[a-z_]+` \|/ { split($0, c, "`"); print c[2] }' "$src/docs/config.md")
[[ $(wc -l <<<"$keys") -ge 25 ]] || fail "found only $(wc -l <<<"$keys") keys in docs/config.md"
for k in $keys; do grep -qw -- "$k" <<<"$text" || fail "kiosk.toml(5) lacks the key $k"; done
echo "man: ${#pages[@]} pages render cleanly; kiosk.toml(5) has all $(wc -l <<<"$keys") keys of docs/config.md"
