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

# The Grafana dashboard (monitoring/lapor-kiosk.dashboard.json): well formed, every panel placed
# without overlap, every metric it names documented and (unless documented as conditional) in a
# real store's output, every query valid PromQL, and the fleet panels right on the demo kiosk.
dash="$src/monitoring/lapor-kiosk.dashboard.json"
jq -e '.panels | length > 0' "$dash" >/dev/null || fail "dashboard: not JSON or no panels"
bad=$(jq -r '.panels[] | select((.title // "") == "" or (.targets | length) == 0
        or any(.targets[]; (.expr // "") == "" or .datasource.uid != "${DS}")) | .id' "$dash")
[[ -z $bad ]] || fail "dashboard: panels without a title, a query or the \${DS} data source: $bad"
[[ $(jq '[.panels[].id] | length == (unique | length)' "$dash") == true ]] || fail "dashboard: duplicate panel ids"
overlap=$(jq -r '[.panels[] | {id, g: .gridPos}] as $p | [range(0; $p | length) as $i |
    range($i + 1; $p | length) as $j | $p[$i].g as $a | $p[$j].g as $b |
    select($a.x < $b.x + $b.w and $b.x < $a.x + $a.w and $a.y < $b.y + $b.h and $b.y < $a.y + $a.h)
    | "\($p[$i].id)/\($p[$j].id)"] | join(" ")' "$dash")
[[ -z $overlap ]] || fail "dashboard: panels overlap: $overlap"
[[ $(jq '[.panels[].gridPos | select(.x + .w > 24)] | length' "$dash") == 0 ]] || fail "dashboard: a panel is wider than the 24-column grid"
documented=$(grep '^| `lapor_' "$src/docs/technician.md" | cut -d'|' -f2 | grep -o 'lapor_[a-z_]*')
jq -r '.panels[].targets[].expr' "$dash" | grep -o 'lapor_[a-z_]*' | sort -u >"$tmp/dash-metrics"
while read -r m; do
    grep -qx "$m" <<<"$documented" || fail "dashboard: $m is not in docs/technician.md's metrics table"
    # Only the UI's start-up time is written later (after the UI's first start), not by the demo.
    [[ $m == lapor_ui_first_frame_seconds ]] || grep -q "^# TYPE $m " "$tmp/metrics.prom" ||
        fail "dashboard: $m is not in kioskctl metrics' output"
done <"$tmp/dash-metrics"
# Grafana's variables, as Grafana expands them for "All": then each query as a recording rule.
jq -r '.panels[] | .id as $id | .targets[] | "panel_\($id)_\(.refId)\t\(.expr)"' "$dash" |
    sed -e 's/\$instance/.*/g' -e 's/\$__rate_interval/5m/g' >"$tmp/dash-exprs"
{
    echo 'groups:'
    echo '  - name: dashboard'
    echo '    rules:'
    while IFS=$'\t' read -r name expr; do
        printf "      - record: %s\n        expr: '%s'\n" "$name" "${expr//\'/\'\'}"
    done <"$tmp/dash-exprs"
} >"$tmp/dashboard.rules.yml"
promtool check rules "$tmp/dashboard.rules.yml" >"$tmp/dash-check.log" 2>&1 ||
    { cat "$tmp/dash-check.log"; fail "dashboard: a query is not valid PromQL"; }
# The demo kiosk's real metrics as one scraped instance, and the fleet panels evaluated on it.
panel_id() { jq -r --arg t "$1" '.panels[] | select(.title == $t) | .id' "$dash"; }
{
    echo 'rule_files: [dashboard.rules.yml]'
    echo 'evaluation_interval: 1m'
    echo 'tests:'
    echo '  - interval: 1m'
    echo '    input_series:'
    echo "      - series: 'up{job=\"lapor-kiosk\",instance=\"kiosk-demo\"}'"
    echo "        values: '1x10'"
    grep -v '^#' "$tmp/metrics.prom" | while read -r series value; do
        [[ $series == *"{"* ]] || series="$series{}"
        series="${series%\}},instance=\"kiosk-demo\",job=\"lapor-kiosk\"}"
        series="${series/\{,/\{}"
        printf "      - series: '%s'\n        values: '%sx10'\n" "$series" "$value"
    done
    echo '    promql_expr_test:'
    for want in "Kiosks answering:1" "Kiosks not answering:0" "Reports waiting:3" "Reports held:0" \
        "Rollbacks (24 h):0"; do
        printf "      - expr: panel_%s_A\n        eval_time: 5m\n        exp_samples:\n" "$(panel_id "${want%:*}")"
        printf "          - labels: 'panel_%s_A'\n            value: %s\n" "$(panel_id "${want%:*}")" "${want##*:}"
    done
} >"$tmp/dashboard.test.yml"
(cd "$tmp" && promtool test rules dashboard.test.yml) >"$tmp/dash-test.log" 2>&1 ||
    { cat "$tmp/dash-test.log"; fail "dashboard: the fleet panels are wrong on the demo kiosk"; }
echo "dashboard: $(jq '.panels | length' "$dash") panels, $(wc -l <"$tmp/dash-exprs") queries valid, fleet panels right on the demo kiosk"
