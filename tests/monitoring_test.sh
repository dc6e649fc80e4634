#!/usr/bin/env bash
# The alert rules (promtool check + test rules, and a broken copy must fail its tests), and
# `promtool check metrics` on what `kioskctl metrics` prints for a real store (a demo kiosk).
# usage: monitoring_test.sh SOURCE_DIR KIOSKCTL
set -euo pipefail
src=$1 kioskctl=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lapor-monitoring-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cp "$src/monitoring/lapor-kiosk.rules.yml" "$src/monitoring/lapor-kiosk.rules.test.yml" "$tmp/"
promtool check rules "$tmp/lapor-kiosk.rules.yml" >/dev/null || fail "promtool check rules"
(cd "$tmp" && promtool test rules lapor-kiosk.rules.test.yml) >"$tmp/rules.log" 2>&1 ||
    { cat "$tmp/rules.log"; fail "promtool test rules"; }
echo "rules: $(grep -c '^      - alert:' "$tmp/lapor-kiosk.rules.yml") alerts, promtool test rules passed"
# The tests can fail: a backlog threshold of 2 hours instead of 1 must break them.
sed -i 's/lapor_oldest_unsent_age_seconds > 3600/lapor_oldest_unsent_age_seconds > 7200/' "$tmp/lapor-kiosk.rules.yml"
(cd "$tmp" && promtool test rules lapor-kiosk.rules.test.yml) >/dev/null 2>&1 &&
    fail "the rule tests passed with a wrong threshold: they prove nothing"

# A real store: the demo kiosk (3 queued sample reports).
"$kioskctl" demo --no-services --dir "$tmp/demo" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; fail "demo"; }
"$kioskctl" --config "$tmp/demo/kiosk.toml" metrics >"$tmp/metrics.prom" 2>"$tmp/metrics.err" ||
    { cat "$tmp/metrics.err"; fail "kioskctl metrics failed"; }
lint=$(promtool check metrics <"$tmp/metrics.prom" 2>&1) || { echo "$lint"; fail "promtool check metrics"; }
[[ -z $lint ]] || { echo "$lint"; fail "promtool check metrics found problems"; }
for want in 'lapor_reports{state="queued"} 3' 'lapor_reports{state="accepted"} 0' \
    'lapor_upload_attempts_total{outcome="failed"} 0' 'lapor_enrollment_state{state="enrolled"} 0' \
    'lapor_citizen_sessions_total{outcome="started"} 0' 'lapor_printer_paper_near_end 0' \
    "lapor_build_info{version=\"$("$kioskctl" --version | awk '{print $NF}')\",slot=\"none\"} 1"; do
    grep -qxF "$want" "$tmp/metrics.prom" || { cat "$tmp/metrics.prom"; fail "no line: $want"; }
done
for name in lapor_oldest_unsent_age_seconds lapor_last_upload_success_timestamp_seconds \
    lapor_disk_free_bytes lapor_disk_size_bytes lapor_database_size_bytes lapor_rollbacks_total \
    lapor_metrics_timestamp_seconds; do
    grep -q "^$name " "$tmp/metrics.prom" || fail "no $name"
done
grep -qx 'lapor_rollbacks_total 0' "$tmp/metrics.prom" || fail "lapor_rollbacks_total is not 0 on a fresh kiosk"
# The A/B update's state file counts rollbacks (kioskctl update --booted writes it).
mkdir -p "$tmp/update"
printf '{"phase": "rolled_back", "rollbacks": 2}\n' >"$tmp/update/state.json"
printf '[update]\nstate_dir = "%s"\n' "$tmp/update" >>"$tmp/demo/kiosk.toml"
"$kioskctl" --config "$tmp/demo/kiosk.toml" metrics | grep -qx 'lapor_rollbacks_total 2' ||
    fail "lapor_rollbacks_total does not follow the update state file"
age=$(awk '$1 == "lapor_oldest_unsent_age_seconds" {print $2}' "$tmp/metrics.prom")
[[ $age -ge 0 && $age -lt 86400 ]] || fail "oldest unsent age $age is not plausible"
[[ $("$kioskctl" --config "$tmp/demo/kiosk.toml" metrics --exporter-args) == \
    "--web.listen-address=127.0.0.1:9100 --collector.textfile.directory=$tmp/demo/metrics" ]] ||
    fail "metrics --exporter-args: $("$kioskctl" --config "$tmp/demo/kiosk.toml" metrics --exporter-args)"
echo "metrics: promtool check metrics clean on a demo store ($(grep -vc '^#' "$tmp/metrics.prom") samples)"
