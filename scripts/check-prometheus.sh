#!/usr/bin/env bash
# Checks the Prometheus and Alertmanager provisioning; exits non-zero on the first failure.
#
#   scripts/check-prometheus.sh            everything (about 30 s)
#   scripts/check-prometheus.sh --no-e2e   without the Alertmanager + alert-sink run (about 15 s)
#
# Needs promtool, amtool and Alertmanager (Debian: apt-get install prometheus prometheus-alertmanager)
# and node (for scripts/alert-sink.js).
set -euo pipefail

cd "$(dirname "$0")/.."

E2E=1
for arg in "$@"; do
  case "$arg" in
    --no-e2e) E2E=0 ;;
    *) echo "check-prometheus: unknown argument $arg (usage: $0 [--no-e2e])" >&2; exit 2 ;;
  esac
done

PROM_DIR=provisioning/prometheus
AM_CONFIG=provisioning/alertmanager/alertmanager.yml
ALERTS=$PROM_DIR/rules/compliance-pulse.alerts.yml
RECORDING=$PROM_DIR/rules/compliance-pulse.recording.yml
DOCS=docs/alerts.md
RUNBOOK_BASE=https://github.com/compliance-pulse/compliance-pulse/blob/main/docs/alerts.md

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "check-prometheus: FAILED: $*" >&2; exit 1; }

for tool in promtool amtool node; do
  command -v "$tool" >/dev/null || fail "$tool not found (apt-get install -y prometheus prometheus-alertmanager; node >= 20)"
done

step "promtool check config $PROM_DIR/prometheus.yml (and the rule files it loads)"
promtool check config "$PROM_DIR/prometheus.yml"

step "promtool check rules --lint-fatal $RECORDING $ALERTS"
promtool check rules --lint=all --lint-fatal "$RECORDING" "$ALERTS"

step "alert conventions: severity, summary, description, runbook_url, a section in $DOCS per alert"
# One alert block runs from "- alert:" to the next "- alert:"/"- name:" line. Prints one line per problem.
problems=$(awk -v base="$RUNBOOK_BASE" '
  function finish() {
    if (name == "") return
    if (!sev) print name ": labels.severity must be critical or warning"
    if (!summary) print name ": no summary annotation"
    if (!description) print name ": no description annotation"
    if (runbook != base "#" tolower(name)) print name ": runbook_url must be " base "#" tolower(name) " (is \"" runbook "\")"
  }
  /^ *- alert: / { finish(); name = $3; sev = summary = description = 0; runbook = ""; next }
  /^ *- name: / { finish(); name = ""; next }
  name != "" && /^ +severity: (critical|warning) *$/ { sev = 1 }
  name != "" && /^ +summary: / { summary = 1 }
  name != "" && /^ +description: / { description = 1 }
  name != "" && /^ +runbook_url: / { runbook = $2 }
  END { finish() }
' "$ALERTS")
[ -z "$problems" ] || fail "$(printf '\n%s' "$problems")"
alert_names=$(sed -n 's/^ *- alert: *//p' "$ALERTS" | sort -u)
for name in $alert_names; do
  grep -Eq "^#{2,4} $name\$" "$DOCS" || fail "$DOCS has no section \"### $name\" (the runbook_url anchor)"
done
for record in $(sed -n 's/^ *- record: *//p' "$RECORDING" | sort -u); do
  grep -Fq "\`$record\`" "$DOCS" || fail "$DOCS does not list the recording rule $record"
done
echo "$(echo "$alert_names" | wc -l) alerts documented, every recording rule listed"

step "promtool test rules $PROM_DIR/tests/*.test.yml"
promtool test rules "$PROM_DIR"/tests/*.test.yml

step "amtool check-config $AM_CONFIG"
amtool check-config "$AM_CONFIG"

step "Alertmanager routing: critical -> pager, warning -> ticket, anything else -> ticket"
route() { amtool config routes test --config.file="$AM_CONFIG" "$@" 2>/dev/null; }
[ "$(route severity=critical alertname=X)" = pager ] || fail "severity=critical is not routed to pager"
[ "$(route severity=warning alertname=X)" = ticket ] || fail "severity=warning is not routed to ticket"
[ "$(route alertname=X)" = ticket ] || fail "an alert without severity is not routed to ticket"
echo "routes OK"

if [ "$E2E" = 0 ]; then
  printf '\nAll Prometheus/Alertmanager checks passed (end-to-end run skipped).\n'
  exit 0
fi

step "end to end: Alertmanager with $AM_CONFIG delivering to scripts/alert-sink.js (routing, inhibition)"
ALERTMANAGER=$(command -v prometheus-alertmanager || command -v alertmanager || true)
[ -n "$ALERTMANAGER" ] || fail "no prometheus-alertmanager/alertmanager binary (or run with --no-e2e)"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

node scripts/alert-sink.js --port 0 --host 127.0.0.1 --out "$work/alerts.jsonl" >"$work/sink.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q 'listening on' "$work/sink.log" && break; sleep 0.1; done
sink_port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/sink.log")
[ -n "$sink_port" ] || fail "alert-sink did not start: $(cat "$work/sink.log")"

sed "s/alert-sink:9099/127.0.0.1:$sink_port/g" "$AM_CONFIG" >"$work/alertmanager.yml"
am_port=$(free_port)
"$ALERTMANAGER" --config.file="$work/alertmanager.yml" --storage.path="$work/am-data" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= >"$work/am.log" 2>&1 &
pids+=($!)
am_url="http://127.0.0.1:$am_port"
for _ in $(seq 100); do
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$am_url/-/ready" && break
  sleep 0.1
done

# 111111111111/eu-west-1 has stale remediation data: its AccessDenied must be muted, while its config-based
# CRITICAL finding and 222222222222's AccessDenied page, and DataStale itself opens a ticket.
add() { amtool alert add --alertmanager.url="$am_url" "$@" >/dev/null; }
add alertname=CompliancePulseDataStale severity=warning account_id=111111111111 region=eu-west-1 source=remediation
add alertname=AWSConfigRemediationAccessDenied severity=critical account_id=111111111111 region=eu-west-1 \
  source=remediation rule=restricted-ssh finding_severity=HIGH
add alertname=AWSConfigCriticalFindingOpenTooLong severity=critical account_id=111111111111 region=eu-west-1 \
  source=config rule=s3-bucket-public-read-prohibited finding_severity=CRITICAL
add alertname=AWSConfigRemediationAccessDenied severity=critical account_id=222222222222 region=eu-west-1 \
  source=remediation rule=restricted-ssh finding_severity=HIGH
echo "posted 4 alerts to Alertmanager on :$am_port, waiting for group_wait and delivery to the sink on :$sink_port"

if ! node - "http://127.0.0.1:$sink_port/alerts" <<'EOF'
const url = process.argv[2];
const want = {
  pager: [
    'AWSConfigCriticalFindingOpenTooLong/111111111111',
    'AWSConfigRemediationAccessDenied/222222222222',
  ],
  ticket: ['CompliancePulseDataStale/111111111111'],
};
const key = (a) => `${a.labels.alertname}/${a.labels.account_id}`;
const seen = () => fetch(url).then((r) => r.json()).then((payloads) => {
  const got = { pager: new Set(), ticket: new Set() };
  for (const p of payloads) for (const a of p.alerts) (got[p.receiver] ||= new Set()).add(key(a));
  return got;
});
const complete = (got) => Object.entries(want).every(([r, keys]) => keys.every((k) => got[r] && got[r].has(k)));
(async () => {
  const deadline = Date.now() + 45000;
  let got = await seen();
  while (!complete(got) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    got = await seen();
  }
  await new Promise((r) => setTimeout(r, 2000)); // anything that should have been muted would be here by now
  got = await seen();
  const show = (g) => JSON.stringify(Object.fromEntries(Object.entries(g).map(([r, s]) => [r, [...s].sort()])));
  const expected = Object.fromEntries(Object.entries(want).map(([r, k]) => [r, new Set(k)]));
  if (show(got) !== show(expected)) {
    console.error(`delivered ${show(got)}\nexpected  ${show(expected)}`);
    process.exit(1);
  }
  console.log(`delivered as expected: ${show(got)} (111111111111 AccessDenied muted by DataStale)`);
})().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
EOF
then
  cat "$work/am.log" >&2
  fail "end-to-end delivery through Alertmanager"
fi

printf '\nAll Prometheus/Alertmanager checks passed.\n'
