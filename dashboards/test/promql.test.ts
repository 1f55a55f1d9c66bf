import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { allDashboards } from '../src/dashboards';
import { asJson } from './dashboard-json';
import { documentedMetrics, metricNames, promExpressions, recordedMetrics, withoutVariables } from './promql';

const expressions = allDashboards().flatMap(({ dashboard }) => promExpressions(asJson(dashboard)));
const known = new Set([...documentedMetrics(), ...recordedMetrics()]);

describe('PromQL of the dashboards', () => {
  it('finds the expressions of all three dashboards', () => {
    expect(expressions.length).toBeGreaterThan(20);
  });

  it('uses only metrics of docs/metrics.md and recording rules of compliance-pulse.recording.yml', () => {
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !known.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('parses with promtool', () => {
    const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (promtool.error) {
      throw new Error(
        'promtool not found: install it (Debian: apt-get install prometheus) to check the dashboards PromQL',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'dashboards-promql-'));
    try {
      const rules = expressions
        .map(({ where, expr }, index) =>
          [
            `      # ${where}`,
            `      - record: dashboards:expression:${index}`,
            `        expr: ${JSON.stringify(withoutVariables(expr))}`,
          ].join('\n'),
        )
        .join('\n');
      const file = join(dir, 'dashboards.rules.yml');
      writeFileSync(file, `groups:\n  - name: dashboards\n    rules:\n${rules}\n`);
      try {
        execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const { stdout, stderr } = error as { stdout: string; stderr: string };
        throw new Error(
          `promtool rejected a dashboard expression (see the comment above dashboards:expression:N):\n${stdout}${stderr}\n${rules}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the metric name scanner', () => {
  it('finds selected metrics and skips functions, keywords, labels, strings and numbers', () => {
    expect(
      metricNames(
        'topk(10, sum by (rule) (aws_config_rule_evaluations{compliance="NON_COMPLIANT", rule=~"$rule"})) ' +
          'and on () (min(account_region_source:compliance_pulse_data_fresh:bool{source="config"}) == 1) ' +
          'or label_replace(vector(-1), "severity", "CRITICAL", "", "") + Inf > 1e12 ' +
          'or increase(made_up_metric_total[1d] offset -1d)',
      ).sort(),
    ).toEqual([
      'account_region_source:compliance_pulse_data_fresh:bool',
      'aws_config_rule_evaluations',
      'made_up_metric_total',
    ]);
  });

  it('knows histogram series and recording rules, and not a made-up name', () => {
    expect(known.has('aws_config_time_to_remediate_seconds_bucket')).toBe(true);
    expect(known.has('severity:aws_config_noncompliant_resources:sum')).toBe(true);
    expect(known.has('made_up_metric_total')).toBe(false);
  });
});
