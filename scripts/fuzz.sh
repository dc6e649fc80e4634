#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 600) in a scratch corpus seeded from the
# committed one, then merges what is new into tests/fuzz/corpus/<target>. Crashers are kept in
# build/fuzz/artifacts/ and make this script fail.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=($(ls tests/fuzz/corpus))
mkdir -p build/fuzz/artifacts
status=0
for t in "${targets[@]}"; do
  work=build/fuzz/work-$t
  mkdir -p "$work"
  cp -n tests/fuzz/corpus/$t/* "$work/" 2>/dev/null || true
  echo "fuzz: $t for ${seconds}s"
  if ! build/fuzz/tests/fuzz/fuzz_$t "$work" -max_total_time="$seconds" -max_len=8192 \
      -artifact_prefix=build/fuzz/artifacts/$t- -print_final_stats=1 2>build/fuzz/$t.log; then
    echo "fuzz: $t FOUND A CRASH, see build/fuzz/$t.log and build/fuzz/artifacts/" >&2
    status=1
  fi
  grep -E 'stat::number_of_executed_units|cov:' build/fuzz/$t.log | tail -2 || true
  build/fuzz/tests/fuzz/fuzz_$t -merge=1 tests/fuzz/corpus/$t "$work" 2>>build/fuzz/$t.log
  echo "fuzz: corpus $t now has $(ls tests/fuzz/corpus/$t | wc -l) inputs"
done
exit $status
