import { SEVERITIES } from '../model';
import { exactNoncompliant, type RuleView, type TargetState } from '../poller/snapshots';

export type Emit = (labels: Record<string, string>, value: number) => void;

/** A gauge family whose series all belong to one target each, so that they can be rendered per target. */
export interface TargetFamily {
  name: string;
  help: string;
  emit(t: TargetState, add: Emit): void;
}

const forRules = (fn: (view: RuleView, base: Record<string, string>, t: TargetState) => void) => (t: TargetState) => {
  for (const view of t.config?.rules ?? []) fn(view, { account_id: t.target.accountId, region: t.target.region, rule: view.rule.name }, t);
};

/** Every AWS-derived gauge, read from a target's latest snapshots. */
export function targetFamilies(pollIntervalSeconds: number): TargetFamily[] {
  const cached = `Cached: refreshed by the background poller every ${pollIntervalSeconds}s.`;
  const rules = (name: string, help: string, fn: (view: RuleView, base: Record<string, string>, add: Emit, t: TargetState) => void): TargetFamily => ({
    name,
    help: `${help} ${cached}`,
    emit: (t, add) => forRules((view, base) => fn(view, base, add, t))(t),
  });
  return [
    rules('aws_config_rule_info', 'One series per AWS Config rule, value 1, carrying its Security Hub control, severity and remediation.', (view, base, add, t) => {
      const remediation = t.remediation?.configurations.get(view.rule.name);
      add(
        {
          ...base,
          source_identifier: view.rule.sourceIdentifier,
          control_id: view.classification.controlId,
          severity: view.classification.severity,
          remediation_runbook: remediation?.document ?? '',
          automatic: String(remediation?.automatic ?? false),
        },
        1,
      );
    }),
    rules('aws_config_rule_compliance', 'Rule-level compliance as AWS Config reports it, value 1 for the current state.', (view, base, add) => {
      add({ ...base, severity: view.classification.severity, compliance: view.compliance }, 1);
    }),
    rules('aws_config_rule_evaluations', 'Exact current evaluation results per rule, resource type and compliance (no 100 cap).', (view, base, add) => {
      if (view.details.kind !== 'ok') return;
      const labels = { ...base, control_id: view.classification.controlId, severity: view.classification.severity };
      for (const [resourceType, counts] of view.details.byResourceType) {
        if (counts.compliant > 0) add({ ...labels, resource_type: resourceType, compliance: 'COMPLIANT' }, counts.compliant);
        if (counts.noncompliant > 0) add({ ...labels, resource_type: resourceType, compliance: 'NON_COMPLIANT' }, counts.noncompliant);
      }
    }),
    rules(
      'aws_config_rule_evaluation_details_available',
      "1 when the rule's per-resource results can be read; 0 when AWS Config denies them (Security Hub service-linked rules).",
      (view, base, add) => {
        if (view.details.kind === 'ok' || view.details.kind === 'access_denied') add(base, view.details.kind === 'ok' ? 1 : 0);
      },
    ),
    rules(
      'aws_config_rule_results_stale_since_timestamp_seconds',
      "Present only while the rule's figures are the last known ones, not current: since when, and why (insufficient_data, not_listed, read_failed).",
      (view, base, add) => {
        if (view.stale) add({ ...base, reason: view.stale.reason }, view.stale.since);
      },
    ),
    rules(
      'aws_config_rule_noncompliant_resources',
      "Exact number of resources noncompliant with the rule (open findings), however it is known: counted from its results, read from an aggregator, or Config's own count below its cap. Absent when unknown.",
      (view, base, add) => {
        const count = exactNoncompliant(view);
        if (count !== undefined) add({ ...base, severity: view.classification.severity }, count);
      },
    ),
    // Config's capped count says something only where the exact count is not known: rules whose details
    // Config refuses. Elsewhere aws_config_rule_noncompliant_resources is exact.
    rules(
      'aws_config_rule_compliance_contributors',
      "AWS Config's own capped count of noncompliant resources (at most 100), for rules whose per-resource results Config refuses.",
      (view, base, add) => {
        if (view.details.kind === 'access_denied' && view.contributors) add({ ...base, severity: view.classification.severity }, view.contributors.capped);
      },
    ),
    rules(
      'aws_config_rule_compliance_contributors_cap_exceeded',
      "1 when AWS Config says such a rule's noncompliant resources exceed its cap (the exact number is then unknown).",
      (view, base, add) => {
        if (view.details.kind === 'access_denied' && view.contributors) add(base, view.contributors.capExceeded ? 1 : 0);
      },
    ),
    {
      name: 'aws_config_noncompliant_resources',
      help: `Distinct resources noncompliant with at least one rule of the severity (rules with readable details). ${cached}`,
      emit(t, add) {
        const resources = t.config?.resources;
        if (!resources) return;
        for (const severity of SEVERITIES) add({ account_id: t.target.accountId, region: t.target.region, severity }, resources.noncompliantBySeverity[severity]);
      },
    },
    rules('aws_config_oldest_open_finding_timestamp_seconds', "When the rule's oldest still-open finding was first seen NON_COMPLIANT.", (view, base, add) => {
      if (view.oldestOpenFinding !== undefined) add({ ...base, severity: view.classification.severity }, view.oldestOpenFinding);
    }),
    rules('aws_config_rule_last_evaluation_timestamp_seconds', 'Newest result recorded time of the rule.', (view, base, add) => {
      if (view.details.kind === 'ok' && view.details.lastRecordedAt !== undefined) add(base, view.details.lastRecordedAt);
    }),
    rules('aws_config_rule_last_successful_evaluation_timestamp_seconds', 'LastSuccessfulEvaluationTime of the rule (DescribeConfigRuleEvaluationStatus).', (view, base, add) => {
      if (view.status?.lastSuccessfulEvaluation !== undefined) add(base, view.status.lastSuccessfulEvaluation);
    }),
    rules('aws_config_rule_evaluation_failing', "1 when the rule's last evaluation failed after its last success.", (view, base, add) => {
      const s = view.status;
      if (!s) return;
      const failing = s.lastFailedEvaluation !== undefined && (s.lastSuccessfulEvaluation === undefined || s.lastFailedEvaluation > s.lastSuccessfulEvaluation);
      add(base, failing ? 1 : 0);
    }),
    rules('aws_config_rule_maximum_execution_frequency_seconds', 'Configured MaximumExecutionFrequency of periodic rules, in seconds.', (view, base, add) => {
      if (view.rule.periodSeconds !== undefined) add(base, view.rule.periodSeconds);
    }),
    {
      name: 'aws_config_conformance_pack_compliance_score_ratio',
      help: `Conformance pack compliance score (ListConformancePackComplianceScores) as a ratio. ${cached}`,
      emit(t, add) {
        for (const p of t.config?.conformancePacks ?? []) {
          if (p.score !== undefined) add({ account_id: t.target.accountId, region: t.target.region, conformance_pack: p.pack }, p.score);
        }
      },
    },
    {
      name: 'aws_config_remediations_in_progress',
      help: `Config remediation executions QUEUED or IN_PROGRESS right now. ${cached}`,
      emit(t, add) {
        for (const [rule, counts] of t.remediation?.inProgress ?? []) {
          for (const state of ['QUEUED', 'IN_PROGRESS'] as const) add({ account_id: t.target.accountId, region: t.target.region, rule, state }, counts[state]);
        }
      },
    },
    {
      name: 'aws_ssm_automation_executions_running',
      help: `SSM Automation executions not yet finished. ${cached}`,
      emit(t, add) {
        for (const r of t.ssm?.running ?? []) add({ account_id: t.target.accountId, region: t.target.region, document: r.document, status: r.status }, r.count);
      },
    },
  ];
}
