import type { Registry } from 'prom-client';
import { FAILURE_REASONS } from '../model';
import type { ExporterState } from '../poller/snapshots';
import type { CounterSeries, MetricTotals } from '../store/totals';
import { registerPersistedHistogram } from './persisted-histogram';
import { storedCounter } from './stored-counter';

/**
 * Registers the AWS-derived families kept by the store: counters and histograms that continue across
 * restarts. (The gauges, one set per target, are written by metrics/target-families.ts.)
 */
export function registerStoredMetrics(registry: Registry, state: ExporterState, totals: MetricTotals): void {
  // Counters appear at 0 as soon as their label set exists, so that increase() sees the first event too.
  const remediationLabels = () =>
    state.targets().flatMap((t) => {
      const severity = new Map(t.config?.rules.map((v) => [v.rule.name, v.classification.severity]) ?? []);
      return [...(t.remediation?.configurations.values() ?? [])].map((c) => ({
        account_id: t.target.accountId,
        region: t.target.region,
        rule: c.rule,
        severity: severity.get(c.rule) ?? 'UNKNOWN',
        runbook: c.document,
      }));
    });
  const automationDocuments = () =>
    totals.counterSeries('aws_ssm_automation_executions_total').map((s) => ({
      account_id: s.labels.account_id ?? '',
      region: s.labels.region ?? '',
      document: s.labels.document ?? '',
    }));
  const byReason = (labelSets: Record<string, string>[]) => labelSets.flatMap((labels) => FAILURE_REASONS.map((reason) => ({ ...labels, reason })));

  storedCounter(registry, 'aws_config_remediation_executions_total',
    'Finished AWS Config remediation executions (SUCCEEDED or FAILED), each counted once; kept across restarts.',
    ['account_id', 'region', 'rule', 'severity', 'runbook'], () => withZeros(totals.counterSeries('aws_config_remediation_executions_total'), remediationLabels()));
  storedCounter(registry, 'aws_config_remediation_execution_failures_total',
    'FAILED AWS Config remediation executions by classified reason; kept across restarts.',
    ['account_id', 'region', 'rule', 'severity', 'runbook', 'reason'],
    () => withZeros(totals.counterSeries('aws_config_remediation_execution_failures_total'), byReason(remediationLabels())));
  storedCounter(registry, 'aws_ssm_automation_executions_total',
    'Finished SSM Automation executions by terminal status, each counted once; kept across restarts.',
    ['account_id', 'region', 'document', 'status'], () => totals.counterSeries('aws_ssm_automation_executions_total'));
  storedCounter(registry, 'aws_ssm_automation_execution_failures_total',
    'Finished SSM Automation executions with a non-success status, by classified reason; kept across restarts.',
    ['account_id', 'region', 'document', 'reason'],
    () => withZeros(totals.counterSeries('aws_ssm_automation_execution_failures_total'), byReason(automationDocuments())));

  registerPersistedHistogram(registry, 'aws_config_remediation_duration_seconds',
    'Invocation to last update of finished AWS Config remediation executions; kept across restarts.', totals);
  registerPersistedHistogram(registry, 'aws_config_time_to_remediate_seconds',
    'First seen NON_COMPLIANT to seen COMPLIANT again or gone, per (rule, resource); kept across restarts.', totals);
  registerPersistedHistogram(registry, 'aws_ssm_automation_execution_duration_seconds',
    'Start to end of finished SSM Automation executions; kept across restarts.', totals);
}

/** The stored series plus a 0 for every expected label set that has none yet. */
function withZeros(stored: CounterSeries[], expected: Record<string, string>[]): CounterSeries[] {
  const key = (labels: Record<string, string>) => JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
  const known = new Set(stored.map((s) => key(s.labels)));
  const zeros: CounterSeries[] = [];
  for (const labels of expected) {
    const k = key(labels);
    if (known.has(k)) continue;
    known.add(k);
    zeros.push({ labels, value: 0 });
  }
  return [...stored, ...zeros];
}
