import { detailsHidden } from './config-service/common';
import type { ComplianceCounts } from './world/evaluation-store';
import { remediationStateOf, type RemediationStatusView } from './world/execution-view';
import type {
  AutomationStatus,
  ComplianceType,
  EvaluationCompliance,
  FailureType,
  FinalStatus,
} from './world/types';
import type { World } from './world/world';

/** Ground truth computed from the world, independent of the wire: what the exporter should arrive at. */
export interface EvaluationCounts {
  readonly total: ComplianceCounts;
  readonly byRule: Readonly<Record<string, ComplianceCounts>>;
  readonly byResourceType: Readonly<Record<string, ComplianceCounts>>;
}

export interface AutomationExecutionSummary {
  readonly executionId: string;
  readonly documentName: string;
  readonly status: AutomationStatus;
  readonly startTime: Date;
  readonly endTime?: Date;
  readonly executedBy: string;
  readonly trigger: 'config-remediation' | 'eventbridge' | 'manual';
  /** For Config remediations: the rule and resource. */
  readonly ruleName?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly failureMessage?: string;
  /** FailureDetails.FailureType of the failing step. */
  readonly failureType?: FailureType;
}

export interface FinishedRemediation extends AutomationExecutionSummary {
  readonly status: FinalStatus;
  readonly endTime: Date;
  readonly state: 'SUCCEEDED' | 'FAILED';
}

export interface NoncompliantResource {
  readonly resourceType: string;
  readonly resourceId: string;
  /** Rules that find it NON_COMPLIANT. */
  readonly rules: readonly string[];
}

export interface ResourceIdentifier {
  readonly resourceType: string;
  readonly resourceId: string;
}

/** One rule as a checker should find it right now. */
export interface RuleState {
  readonly ruleName: string;
  /** Changes when the rule is deleted and re-created with the same name. */
  readonly configRuleId: string;
  readonly configRuleArn: string;
  /** The rule-level state, exactly as DescribeComplianceByConfigRule reports it now. */
  readonly compliance: ComplianceType;
  /** A service-linked rule (e.g. Security Hub's): GetComplianceDetailsByConfigRule is denied for it. */
  readonly serviceLinked: boolean;
  /** Resources with a NON_COMPLIANT result, sorted by (resource type, resource id). */
  readonly nonCompliantResources: readonly ResourceIdentifier[];
  /** Resources with a COMPLIANT result, sorted the same way. NOT_APPLICABLE results are in neither list. */
  readonly compliantResources: readonly ResourceIdentifier[];
}

export interface RegionSummary {
  readonly accountId: string;
  readonly region: string;
  readonly rules: number;
  readonly rulesNonCompliant: number;
  readonly evaluations: number;
  readonly nonCompliantResults: number;
}

export interface Truth {
  /** Exact NON_COMPLIANT results of a rule (no cap). */
  noncompliantCount(accountId: string, region: string, ruleName: string): number;
  /** The rule-level state Config reports, per rule. */
  ruleCompliance(accountId: string, region: string): Record<string, ComplianceType>;
  /** Every rule of the region in DescribeConfigRules order, with its id, compliance and resources. */
  ruleStates(accountId: string, region: string): RuleState[];
  evaluationCounts(accountId: string, region: string): EvaluationCounts;
  /**
   * Distinct NON_COMPLIANT resources. By default only from rules whose details can be read (not
   * Security Hub's service-linked ones), as the exporter sees them.
   */
  noncompliantResources(
    accountId: string,
    region: string,
    options?: { includeServiceLinked?: boolean },
  ): NoncompliantResource[];
  /** Visible SSM Automation executions (last 30 days), newest first. */
  automationExecutions(accountId: string, region: string): AutomationExecutionSummary[];
  /** Finished executions of runbooks that a remediation configuration of the region targets. */
  finishedRemediations(accountId: string, region: string): FinishedRemediation[];
  /** Config's remediation status per (rule, resource), as DescribeRemediationExecutionStatus reports it. */
  remediationStatuses(accountId: string, region: string, ruleName: string): RemediationStatusView[];
  /** Per account and region totals; planned regions of the large presets are counted without building them. */
  summary(): RegionSummary[];
}

function emptyCounts(): ComplianceCounts {
  return { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
}

export function createTruth(world: World): Truth {
  const state = (accountId: string, region: string) => world.existingRegion(accountId, region);

  const automationExecutions = (accountId: string, region: string): AutomationExecutionSummary[] =>
    (state(accountId, region)?.executions() ?? []).map((view) => {
      const r = view.record;
      const failing = r.steps.find((s) => s.failure)?.failure;
      return {
        executionId: r.id,
        documentName: r.documentName,
        status: view.status,
        startTime: new Date(r.startTime),
        ...(view.endTime !== undefined ? { endTime: new Date(view.endTime) } : {}),
        executedBy: r.executedBy,
        trigger: r.trigger,
        ...(r.remediation
          ? {
              ruleName: r.remediation.ruleName,
              resourceType: r.remediation.resourceType,
              resourceId: r.remediation.resourceId,
            }
          : {}),
        ...(view.endTime !== undefined && r.failureMessage !== undefined
          ? { failureMessage: r.failureMessage }
          : {}),
        ...(view.endTime !== undefined && failing?.details ? { failureType: failing.details.type } : {}),
      };
    });

  return {
    noncompliantCount: (accountId, region, ruleName) =>
      state(accountId, region)?.evaluationStore(ruleName)?.countOf('NON_COMPLIANT') ?? 0,

    ruleCompliance(accountId, region) {
      const s = state(accountId, region);
      const out: Record<string, ComplianceType> = {};
      for (const rule of s?.rules() ?? [])
        out[rule.name] = s?.reportedCompliance(rule.name) ?? 'INSUFFICIENT_DATA';
      return out;
    },

    ruleStates(accountId, region) {
      const s = state(accountId, region);
      if (!s) return [];
      return s.rules().map((rule) => {
        const results = s.evaluations(rule.name);
        const resourcesWith = (compliance: EvaluationCompliance): ResourceIdentifier[] =>
          results
            .filter((e) => e.compliance === compliance)
            .map((e) => ({ resourceType: e.resourceType, resourceId: e.resourceId }));
        return {
          ruleName: rule.name,
          configRuleId: rule.id,
          configRuleArn: rule.arn,
          compliance: s.reportedCompliance(rule.name),
          serviceLinked: detailsHidden(rule),
          nonCompliantResources: resourcesWith('NON_COMPLIANT'),
          compliantResources: resourcesWith('COMPLIANT'),
        };
      });
    },

    evaluationCounts(accountId, region) {
      const s = state(accountId, region);
      const total = emptyCounts();
      const byRule: Record<string, ComplianceCounts> = {};
      const byResourceType: Record<string, ComplianceCounts> = {};
      for (const rule of s?.rules() ?? []) {
        const ruleCounts = emptyCounts();
        for (const e of s?.evaluations(rule.name) ?? []) {
          ruleCounts[e.compliance]++;
          total[e.compliance]++;
          const byType = (byResourceType[e.resourceType] ??= emptyCounts());
          byType[e.compliance]++;
        }
        byRule[rule.name] = ruleCounts;
      }
      return { total, byRule, byResourceType };
    },

    noncompliantResources(accountId, region, options = {}) {
      const s = state(accountId, region);
      const found = new Map<string, { resourceType: string; resourceId: string; rules: string[] }>();
      for (const rule of s?.rules() ?? []) {
        if (!options.includeServiceLinked && detailsHidden(rule)) continue;
        for (const e of s?.evaluations(rule.name) ?? []) {
          if (e.compliance !== 'NON_COMPLIANT') continue;
          const key = `${e.resourceType}\u0000${e.resourceId}`;
          const entry = found.get(key) ?? {
            resourceType: e.resourceType,
            resourceId: e.resourceId,
            rules: [],
          };
          entry.rules.push(rule.name);
          found.set(key, entry);
        }
      }
      return [...found.values()];
    },

    automationExecutions,

    finishedRemediations(accountId, region) {
      const targeted = new Set(
        state(accountId, region)
          ?.remediationConfigurations()
          .map((c) => c.targetId) ?? [],
      );
      return automationExecutions(accountId, region)
        .filter((e): e is FinishedRemediation => targeted.has(e.documentName) && e.endTime !== undefined)
        .map((e) => ({
          ...e,
          state: remediationStateOf(e.status) === 'SUCCEEDED' ? ('SUCCEEDED' as const) : ('FAILED' as const),
        }));
    },

    remediationStatuses: (accountId, region, ruleName) =>
      state(accountId, region)?.remediationStatuses(ruleName) ?? [],

    summary() {
      const out: RegionSummary[] = [];
      for (const accountId of world.accountIds()) {
        for (const region of world.regions(accountId)) {
          const summaries = world.ruleSummaries(accountId, region);
          out.push({
            accountId,
            region,
            rules: summaries.length,
            rulesNonCompliant: summaries.filter((s) => s.compliance === 'NON_COMPLIANT').length,
            evaluations: world.regionEvaluationCount(accountId, region),
            nonCompliantResults: summaries.reduce((sum, s) => sum + s.nonCompliantCount, 0),
          });
        }
      }
      return out;
    },
  };
}
