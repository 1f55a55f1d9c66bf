import type { Registry } from 'prom-client';
import { FAILURE_REASONS, SEVERITIES } from '../model';
import { exactNoncompliant, type ExporterState } from '../poller/snapshots';
import type { CounterSeries, MetricTotals } from '../store/totals';
import { registerPersistedHistogram } from './persisted-histogram';
import { snapshotGauge, storedCounter } from './snapshot-gauge';

/** Registers every AWS-derived metric family. Values come from the latest snapshots and the store. */
export function registerAwsMetrics(registry: Registry, state: ExporterState, totals: MetricTotals, pollIntervalSeconds: number): void {
  const cached = `Cached: refreshed by the background poller every ${pollIntervalSeconds}s.`;
  const configRules = function* () {
    for (const t of state.targets()) {
      if (!t.config) continue;
      for (const view of t.config.rules) yield { t, view, base: { account_id: t.target.accountId, region: t.target.region, rule: view.rule.name } };
    }
  };

  snapshotGauge(registry, 'aws_config_rule_info', `One series per AWS Config rule, value 1, carrying its Security Hub control, severity and remediation. ${cached}`,
    ['account_id', 'region', 'rule', 'source_identifier', 'control_id', 'severity', 'remediation_runbook', 'automatic'], (set) => {
      for (const { t, view, base } of configRules()) {
        const remediation = t.remediation?.configurations.get(view.rule.name);
        set({
          ...base,
          source_identifier: view.rule.sourceIdentifier,
          control_id: view.classification.controlId,
          severity: view.classification.severity,
          remediation_runbook: remediation?.document ?? '',
          automatic: String(remediation?.automatic ?? false),
        }, 1);
      }
    });

  snapshotGauge(registry, 'aws_config_rule_compliance', `Rule-level compliance as AWS Config reports it, value 1 for the current state. ${cached}`,
    ['account_id', 'region', 'rule', 'severity', 'compliance'], (set) => {
      for (const { view, base } of configRules()) set({ ...base, severity: view.classification.severity, compliance: view.compliance }, 1);
    });

  snapshotGauge(registry, 'aws_config_rule_evaluations', `Exact current evaluation results per rule, resource type and compliance (no 100 cap). ${cached}`,
    ['account_id', 'region', 'rule', 'control_id', 'severity', 'resource_type', 'compliance'], (set) => {
      for (const { view, base } of configRules()) {
        if (view.details.kind !== 'ok') continue;
        const labels = { ...base, control_id: view.classification.controlId, severity: view.classification.severity };
        for (const [resourceType, counts] of view.details.byResourceType) {
          if (counts.compliant > 0) set({ ...labels, resource_type: resourceType, compliance: 'COMPLIANT' }, counts.compliant);
          if (counts.noncompliant > 0) set({ ...labels, resource_type: resourceType, compliance: 'NON_COMPLIANT' }, counts.noncompliant);
        }
      }
    });

  snapshotGauge(registry, 'aws_config_rule_evaluation_details_available',
    `1 when the rule's per-resource results can be read; 0 when AWS Config denies them (Security Hub service-linked rules). ${cached}`,
    ['account_id', 'region', 'rule'], (set) => {
      for (const { view, base } of configRules()) if (view.details.kind !== 'aggregate') set(base, view.details.kind === 'ok' ? 1 : 0);
    });

  snapshotGauge(registry, 'aws_config_rule_noncompliant_resources',
    `Exact number of resources noncompliant with the rule (open findings), however it is known: counted from its results, read from an aggregator, or Config's own count below its cap. Absent when unknown. ${cached}`,
    ['account_id', 'region', 'rule', 'severity'], (set) => {
      for (const { view, base } of configRules()) {
        const count = exactNoncompliant(view);
        if (count !== undefined) set({ ...base, severity: view.classification.severity }, count);
      }
    });

  // Config's capped count says something only where the exact count is not known: rules whose details
  // Config refuses. Elsewhere aws_config_rule_noncompliant_resources is exact, and at organisation scale
  // every series saved matters.
  const cappedOnly = function* () {
    for (const entry of configRules()) if (entry.view.details.kind === 'access_denied' && entry.view.contributors) yield { ...entry, contributors: entry.view.contributors };
  };
  snapshotGauge(registry, 'aws_config_rule_compliance_contributors',
    `AWS Config's own capped count of noncompliant resources (at most 100), for rules whose per-resource results Config refuses. ${cached}`,
    ['account_id', 'region', 'rule', 'severity'], (set) => {
      for (const { view, base, contributors } of cappedOnly()) set({ ...base, severity: view.classification.severity }, contributors.capped);
    });

  snapshotGauge(registry, 'aws_config_rule_compliance_contributors_cap_exceeded',
    `1 when AWS Config says such a rule's noncompliant resources exceed its cap (the exact number is then unknown). ${cached}`,
    ['account_id', 'region', 'rule'], (set) => {
      for (const { base, contributors } of cappedOnly()) set(base, contributors.capExceeded ? 1 : 0);
    });

  snapshotGauge(registry, 'aws_config_noncompliant_resources',
    `Distinct resources noncompliant with at least one rule of the severity (rules with readable details). ${cached}`,
    ['account_id', 'region', 'severity'], (set) => {
      for (const t of state.targets()) {
        const resources = t.config?.resources;
        if (!resources) continue;
        for (const severity of SEVERITIES) {
          set({ account_id: t.target.accountId, region: t.target.region, severity }, resources.noncompliantBySeverity[severity]);
        }
      }
    });

  snapshotGauge(registry, 'aws_config_oldest_open_finding_timestamp_seconds',
    `When the rule's oldest still-open finding was first seen NON_COMPLIANT. ${cached}`, ['account_id', 'region', 'rule', 'severity'], (set) => {
      for (const { view, base } of configRules()) {
        if (view.oldestOpenFinding !== undefined) set({ ...base, severity: view.classification.severity }, view.oldestOpenFinding);
      }
    });

  snapshotGauge(registry, 'aws_config_rule_last_evaluation_timestamp_seconds', `Newest result recorded time of the rule. ${cached}`,
    ['account_id', 'region', 'rule'], (set) => {
      for (const { view, base } of configRules()) {
        if (view.details.kind === 'ok' && view.details.lastRecordedAt !== undefined) set(base, view.details.lastRecordedAt);
      }
    });

  snapshotGauge(registry, 'aws_config_rule_last_successful_evaluation_timestamp_seconds',
    `LastSuccessfulEvaluationTime of the rule (DescribeConfigRuleEvaluationStatus). ${cached}`, ['account_id', 'region', 'rule'], (set) => {
      for (const { view, base } of configRules()) {
        if (view.status?.lastSuccessfulEvaluation !== undefined) set(base, view.status.lastSuccessfulEvaluation);
      }
    });

  snapshotGauge(registry, 'aws_config_rule_evaluation_failing',
    `1 when the rule's last evaluation failed after its last success. ${cached}`, ['account_id', 'region', 'rule'], (set) => {
      for (const { view, base } of configRules()) {
        const s = view.status;
        if (!s) continue;
        const failing = s.lastFailedEvaluation !== undefined && (s.lastSuccessfulEvaluation === undefined || s.lastFailedEvaluation > s.lastSuccessfulEvaluation);
        set(base, failing ? 1 : 0);
      }
    });

  snapshotGauge(registry, 'aws_config_rule_maximum_execution_frequency_seconds',
    `Configured MaximumExecutionFrequency of periodic rules, in seconds. ${cached}`, ['account_id', 'region', 'rule'], (set) => {
      for (const { view, base } of configRules()) if (view.rule.periodSeconds !== undefined) set(base, view.rule.periodSeconds);
    });

  snapshotGauge(registry, 'aws_config_conformance_pack_compliance_score_ratio',
    `Conformance pack compliance score (ListConformancePackComplianceScores) as a ratio. ${cached}`,
    ['account_id', 'region', 'conformance_pack'], (set) => {
      for (const t of state.targets()) {
        for (const p of t.config?.conformancePacks ?? []) {
          if (p.score !== undefined) set({ account_id: t.target.accountId, region: t.target.region, conformance_pack: p.pack }, p.score);
        }
      }
    });

  snapshotGauge(registry, 'aws_config_remediations_in_progress', `Config remediation executions QUEUED or IN_PROGRESS right now. ${cached}`,
    ['account_id', 'region', 'rule', 'state'], (set) => {
      for (const t of state.targets()) {
        for (const [rule, counts] of t.remediation?.inProgress ?? []) {
          for (const s of ['QUEUED', 'IN_PROGRESS'] as const) {
            set({ account_id: t.target.accountId, region: t.target.region, rule, state: s }, counts[s]);
          }
        }
      }
    });

  snapshotGauge(registry, 'aws_ssm_automation_executions_running', `SSM Automation executions not yet finished. ${cached}`,
    ['account_id', 'region', 'document', 'status'], (set) => {
      for (const t of state.targets()) {
        for (const r of t.ssm?.running ?? []) set({ account_id: t.target.accountId, region: t.target.region, document: r.document, status: r.status }, r.count);
      }
    });

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
