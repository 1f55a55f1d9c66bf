import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { COLLECTING } from '../src/promql';
import { wallScreen } from '../src/wall-screen';
import { asJson, panelsOf, targetsOf } from './dashboard-json';
import { RECORDING_RULES } from './promql';

/**
 * The wall screen's own expressions, evaluated by promtool against the real recording rules and made-up exporter
 * series: a number while its source is fresh, nothing (the panel's red "STALE") from the moment the recording rule
 * calls it stale, "no runs" for fresh data without remediations, and +Inf (NEVER POLLED) for a source that never
 * succeeded. Numbers over a window only once Prometheus has the whole window, "collecting" (COLLECTING minus the
 * minutes it has) before: a fresh Prometheus never shows a clean day it has not seen.
 */

const panels = panelsOf(asJson(wallScreen().build()));
function expressionOf(title: string): string {
  const panel = panels.find((candidate) => candidate.title === title);
  if (!panel) {
    throw new Error(`no wall-screen panel titled "${title}"`);
  }
  // The variables at "All".
  return String(targetsOf(panel)[0]!.expr).replaceAll('$account_id', '.*').replaceAll('$region', '.*');
}

const target = 'account_id="111111111111", region="eu-west-1"';
const series = (name: string, labels: string, values: string) =>
  `      - series: '${name}{${target}${labels}}'\n        values: '${values}'`;
const expect_ = (title: string, minute: number, samples: string) =>
  [
    `      - expr: ${JSON.stringify(expressionOf(title))}`,
    `        eval_time: ${minute}m`,
    `        exp_samples: ${samples}`,
  ].join('\n');

const collectingFor = (minutes: number) => COLLECTING - minutes;

// Config polls succeed every minute until minute 10, then fail: 15 minutes after the last success (minute 25) the data
// is stale. The remediation source stays fresh; SSM never polled successfully. Prometheus is 20 minutes old.
const freshPrometheus = `rule_files:
  - ${RECORDING_RULES}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
${series('compliance_pulse_last_successful_poll_timestamp_seconds', ', source="config"', '0+60x10 600x30')}
${series('compliance_pulse_poll_success', ', source="config"', '1x10 0x30')}
${series('compliance_pulse_last_successful_poll_timestamp_seconds', ', source="remediation"', '0+60x40')}
${series('compliance_pulse_poll_success', ', source="remediation"', '1x40')}
${series('compliance_pulse_poll_success', ', source="ssm"', '0x40')}
${series('aws_config_rule_noncompliant_resources', ', rule="s3-bucket-public-read-prohibited", severity="CRITICAL"', '7x40')}
${series('aws_config_rule_noncompliant_resources', ', rule="restricted-common-ports", severity="CRITICAL"', '5x40')}
${series('aws_config_remediation_executions_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb"', '0x40')}
${series('aws_config_remediation_execution_failures_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb", reason="access_denied"', '0x40')}
    promql_expr_test:
${expect_('Open findings: Critical', 20, "[{ labels: '{}', value: 12 }]")}
${expect_('Open findings: Critical', 25, '[]')}
${expect_('Open findings: Informational', 20, "[{ labels: '{}', value: 0 }]")}
${expect_('Open findings: Informational', 25, '[]')}
${expect_('Remediation success, last 24 h', 20, `[{ labels: '{}', value: ${collectingFor(20)} }]`)}
${expect_('Data age: oldest poll source', 20, "[{ labels: '{}', value: .inf }]")}
  # Fresh remediation data with 4 executions, 1 of them failed (access denied), at minute 5: 20 minutes are not a day.
  - interval: 1m
    input_series:
${series('compliance_pulse_last_successful_poll_timestamp_seconds', ', source="remediation"', '0+60x40')}
${series('compliance_pulse_poll_success', ', source="remediation"', '1x40')}
${series('aws_config_remediation_executions_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb"', '0x4 4x35')}
${series('aws_config_remediation_execution_failures_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb", reason="access_denied"', '0x4 1x35')}
${series('aws_config_remediation_execution_failures_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb", reason="timeout"', '0x40')}
    promql_expr_test:
${expect_('Remediation success, last 24 h', 20, `[{ labels: '{}', value: ${collectingFor(20)} }]`)}
${expect_('Remediation success, last 7 days', 20, `[{ labels: '{}', value: ${collectingFor(20)} }]`)}
${expect_('Failed remediations, last 24 h', 20, `[{ labels: '{}', value: ${collectingFor(20)} }]`)}
${expect_('Failed remediations in the last 24 h, by reason', 20, `[{ labels: '{reason="all reasons"}', value: ${collectingFor(20)} }]`)}
`;

// Eight days of hourly samples: 4 remediations an hour, 1 of them failing (access denied). Every window is covered.
const coveredPrometheus = `rule_files:
  - ${RECORDING_RULES}
evaluation_interval: 1h
tests:
  - interval: 1h
    input_series:
${series('compliance_pulse_last_successful_poll_timestamp_seconds', ', source="remediation"', '0+3600x192')}
${series('compliance_pulse_poll_success', ', source="remediation"', '1x192')}
${series('aws_config_remediation_executions_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb"', '0+4x192')}
${series('aws_config_remediation_execution_failures_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb", reason="access_denied"', '0+1x192')}
${series('aws_config_remediation_execution_failures_total', ', rule="restricted-ssh", severity="HIGH", runbook="rb", reason="timeout"', '0x192')}
    promql_expr_test:
${expect_('Remediation success, last 24 h', 8 * 24 * 60, "[{ labels: '{}', value: 0.75 }]")}
${expect_('Remediation success, last 7 days', 8 * 24 * 60, "[{ labels: '{}', value: 0.75 }]")}
${expect_('Failed remediations, last 24 h', 8 * 24 * 60, "[{ labels: '{}', value: 24 }]")}
${expect_('Failed remediations in the last 24 h, by reason', 8 * 24 * 60, '[{ labels: \'{reason="access_denied"}\', value: 24 }, { labels: \'{reason="timeout"}\', value: 0 }]')}
${expect_('Top 10 rules by failed remediations, last 24 h', 8 * 24 * 60, '[{ labels: \'{rule="restricted-ssh"}\', value: 24 }]')}
`;

function promtoolTest(name: string, unitTest: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'dashboards-staleness-'));
  try {
    const file = join(dir, `${name}.test.yml`);
    writeFileSync(file, unitTest);
    try {
      execFileSync('promtool', ['test', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string };
      throw new Error(`promtool test rules failed:\n${stdout}${stderr}\n--- ${file}\n${unitTest}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('wall-screen expressions, evaluated by promtool', () => {
  beforeAll(() => {
    if (spawnSync('promtool', ['--version']).error) {
      throw new Error('promtool not found: install it (Debian: apt-get install prometheus) to run this test');
    }
  });

  it('show numbers while fresh, nothing once stale, +Inf for a source never polled, "collecting" for 20 minutes of a day', () => {
    promtoolTest('fresh-prometheus', freshPrometheus);
  });

  it('show the numbers of a window once Prometheus has all of it', () => {
    promtoolTest('covered-prometheus', coveredPrometheus);
  });
});
