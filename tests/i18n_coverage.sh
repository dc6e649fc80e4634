#!/usr/bin/env bash
# Every message id marked N_() in the sources must be translated in both languages.
# usage: i18n_coverage.sh SOURCE_DIR
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t files < <(cd "$src" && find kiosk ui printer sync -name '*.cpp' -o -name '*.h' | sort)
(cd "$src" && xgettext --keyword= --keyword=N_ --keyword=NP_:1,2 --language=C++ --from-code=UTF-8 \
  --omit-header -o "$tmp/messages.pot" "${files[@]}")
count=$(grep -c '^msgid "[^"]' "$tmp/messages.pot" || true)
if [[ $count -lt 10 ]]; then
  echo "i18n: xgettext found only $count message ids; is N_() still the marker?" >&2
  exit 1
fi
fail=0
for lang in id en; do
  if ! msgcmp "$src/kiosk/po/$lang.po" "$tmp/messages.pot" 2>"$tmp/err"; then
    echo "i18n: $lang.po lacks translations:" >&2
    cat "$tmp/err" >&2
    fail=1
  fi
done
[[ $fail -eq 0 ]] && echo "i18n: $count message ids, translated in id and en"
exit $fail
