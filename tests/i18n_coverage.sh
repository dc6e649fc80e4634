#!/usr/bin/env bash
# Every message id marked N_() in the sources must be translated in every installed language:
# each kiosk/po/<code>.po (drafts too; a language is offered only when kiosk.toml lists it).
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
langs=()
for po in "$src"/kiosk/po/*.po; do
  lang=$(basename "$po" .po)
  [[ $lang =~ ^[a-z]{2,3}$ ]] || continue
  langs+=("$lang")
  if ! msgcmp "$po" "$tmp/messages.pot" 2>"$tmp/err"; then
    echo "i18n: $lang.po lacks translations:" >&2
    cat "$tmp/err" >&2
    fail=1
  fi
  if ! grep -q '^"X-Language-Name: ' "$po"; then
    echo "i18n: $lang.po has no X-Language-Name header (the language's name in itself)" >&2
    fail=1
  fi
done
for base in id en; do
  [[ " ${langs[*]} " == *" $base "* ]] || { echo "i18n: $base.po is missing" >&2; fail=1; }
done
[[ $fail -eq 0 ]] && echo "i18n: $count message ids, translated in ${langs[*]}"
exit $fail
