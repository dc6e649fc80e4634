#!/usr/bin/env bash
# `msgfmt --check` on every .po file in the repository; a warning counts as a failure (a missing
# header field or a plural entry that does not match Plural-Forms is a bug in the catalog).
# usage: po_check.sh SOURCE_DIR
set -euo pipefail
src=$1
mapfile -t pos < <(cd "$src" && git ls-files '*.po' 2>/dev/null || find . -name '*.po' -not -path './build/*')
[[ ${#pos[@]} -ge 2 ]] || { echo "po_check: found ${#pos[@]} .po files; expected id.po and en.po" >&2; exit 1; }
fail=0
for po in "${pos[@]}"; do
    if ! out=$(cd "$src" && msgfmt --check --statistics -o /dev/null "$po" 2>&1) ||
        grep -qiE 'warning|error' <<<"$out"; then
        echo "po_check: $po:" >&2
        echo "$out" >&2
        fail=1
    else
        echo "po_check: $po: $out"
    fi
done
# The check can fail: a plural entry with too few forms for its header is refused.
bad=$(mktemp)
trap 'rm -f "$bad"' EXIT
printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "a"\nmsgid_plural "a"\nmsgstr[0] "x"\n' >"$bad"
if msgfmt --check -o /dev/null "$bad" 2>/dev/null; then
    echo "po_check: msgfmt --check accepted a broken catalog: the check proves nothing" >&2
    fail=1
fi
exit $fail
