import {
  DescribeRemediationConfigurationsCommand,
  paginateDescribeComplianceByConfigRule,
  paginateDescribeConfigRuleEvaluationStatus,
  paginateDescribeConfigRules,
  paginateDescribeRemediationExecutionStatus,
  paginateGetComplianceDetailsByConfigRule,
  paginateListConformancePackComplianceScores,
  type ConfigRule as SdkConfigRule,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import type {
  ComplianceType,
  ConfigRule,
  ConformancePackScore,
  EvaluationResult,
  RemediationConfiguration,
  RemediationExecution,
  RemediationState,
  RuleCompliance,
  RuleEvaluationStatus,
} from '../model';
import { hasErrorCode } from './errors';

const FREQUENCY_SECONDS: Record<string, number> = {
  One_Hour: 3600,
  Three_Hours: 3 * 3600,
  Six_Hours: 6 * 3600,
  Twelve_Hours: 12 * 3600,
  TwentyFour_Hours: 24 * 3600,
};

const seconds = (d: Date | undefined): number | undefined => (d === undefined ? undefined : d.getTime() / 1000);

export type EvaluationResultsAnswer =
  | { kind: 'ok'; results: EvaluationResult[] }
  /** Config refuses per-resource results (Security Hub's service-linked rules). */
  | { kind: 'access_denied' }
  /** The rule was deleted between listing and reading. */
  | { kind: 'no_such_rule' };

/** Reads AWS Config for one account and region, page by page, and answers in domain types. */
export class ConfigReader {
  constructor(private readonly client: ConfigServiceClient) {}

  async listRules(signal: AbortSignal): Promise<ConfigRule[]> {
    const rules: ConfigRule[] = [];
    for await (const page of paginateDescribeConfigRules({ client: this.client, stopOnSameToken: true }, {}, { abortSignal: signal })) {
      for (const rule of page.ConfigRules ?? []) rules.push(toRule(rule));
    }
    return rules;
  }

  async listCompliance(signal: AbortSignal): Promise<RuleCompliance[]> {
    const answer: RuleCompliance[] = [];
    const pages = paginateDescribeComplianceByConfigRule({ client: this.client, stopOnSameToken: true }, {}, { abortSignal: signal });
    for await (const page of pages) {
      for (const item of page.ComplianceByConfigRules ?? []) {
        if (!item.ConfigRuleName) continue;
        const count = item.Compliance?.ComplianceContributorCount;
        answer.push({
          rule: item.ConfigRuleName,
          compliance: (item.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA') as ComplianceType,
          contributors: count ? { capped: count.CappedCount ?? 0, capExceeded: count.CapExceeded ?? false } : undefined,
        });
      }
    }
    return answer;
  }

  async listEvaluationStatus(signal: AbortSignal): Promise<RuleEvaluationStatus[]> {
    const answer: RuleEvaluationStatus[] = [];
    const pages = paginateDescribeConfigRuleEvaluationStatus(
      { client: this.client, pageSize: 50, stopOnSameToken: true },
      {},
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const s of page.ConfigRulesEvaluationStatus ?? []) {
        if (!s.ConfigRuleName) continue;
        answer.push({
          rule: s.ConfigRuleName,
          ruleId: s.ConfigRuleId,
          lastSuccessfulEvaluation: seconds(s.LastSuccessfulEvaluationTime),
          lastFailedEvaluation: seconds(s.LastFailedEvaluationTime),
          lastErrorCode: s.LastErrorCode,
        });
      }
    }
    return answer;
  }

  /** Every COMPLIANT and NON_COMPLIANT result of a rule: exact, however many (100 per page). */
  async getEvaluationResults(rule: string, signal: AbortSignal): Promise<EvaluationResultsAnswer> {
    const results: EvaluationResult[] = [];
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client: this.client, pageSize: 100, stopOnSameToken: true },
      { ConfigRuleName: rule, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
      { abortSignal: signal },
    );
    try {
      for await (const page of pages) {
        for (const r of page.EvaluationResults ?? []) {
          const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
          if (!q?.ResourceType || !q.ResourceId) continue;
          if (r.ComplianceType !== 'COMPLIANT' && r.ComplianceType !== 'NON_COMPLIANT') continue;
          results.push({
            resourceType: q.ResourceType,
            resourceId: q.ResourceId,
            compliance: r.ComplianceType,
            triggeredAt: seconds(r.EvaluationResultIdentifier?.OrderingTimestamp),
            evaluatedAt: seconds(r.ConfigRuleInvokedTime),
            recordedAt: seconds(r.ResultRecordedTime),
            annotation: r.Annotation,
          });
        }
      }
    } catch (err) {
      if (hasErrorCode(err, 'AccessDeniedException')) return { kind: 'access_denied' };
      if (hasErrorCode(err, 'NoSuchConfigRuleException')) return { kind: 'no_such_rule' };
      throw err;
    }
    return { kind: 'ok', results };
  }

  async listRemediationConfigurations(rules: readonly string[], signal: AbortSignal): Promise<RemediationConfiguration[]> {
    const answer: RemediationConfiguration[] = [];
    // The API takes at most 25 rule names per call and does not paginate.
    for (let i = 0; i < rules.length; i += 25) {
      const batch = rules.slice(i, i + 25);
      const out = await this.client.send(new DescribeRemediationConfigurationsCommand({ ConfigRuleNames: batch }), { abortSignal: signal });
      for (const c of out.RemediationConfigurations ?? []) {
        if (!c.ConfigRuleName || !c.TargetId) continue;
        const resourceParameter = Object.entries(c.Parameters ?? {}).find(([, v]) => v.ResourceValue?.Value === 'RESOURCE_ID')?.[0];
        answer.push({ rule: c.ConfigRuleName, document: c.TargetId, automatic: c.Automatic ?? false, resourceParameter });
      }
    }
    return answer;
  }

  async listRemediationExecutions(rule: string, signal: AbortSignal): Promise<RemediationExecution[]> {
    const answer: RemediationExecution[] = [];
    const pages = paginateDescribeRemediationExecutionStatus(
      { client: this.client, pageSize: 100, stopOnSameToken: true },
      { ConfigRuleName: rule },
      { abortSignal: signal },
    );
    try {
      for await (const page of pages) {
        for (const s of page.RemediationExecutionStatuses ?? []) {
          const key = s.ResourceKey;
          if (!key?.resourceType || !key.resourceId || !s.State || !s.InvocationTime) continue;
          answer.push({
            rule,
            resourceType: key.resourceType,
            resourceId: key.resourceId,
            state: s.State as RemediationState,
            invokedAt: seconds(s.InvocationTime) ?? 0,
            updatedAt: seconds(s.LastUpdatedTime ?? s.InvocationTime) ?? 0,
            errorMessage: s.StepDetails?.find((step) => step.State === 'FAILED')?.ErrorMessage,
          });
        }
      }
    } catch (err) {
      if (hasErrorCode(err, 'NoSuchRemediationConfigurationException', 'NoSuchConfigRuleException')) return [];
      throw err;
    }
    return answer;
  }

  async listConformancePackScores(signal: AbortSignal): Promise<ConformancePackScore[]> {
    const answer: ConformancePackScore[] = [];
    const pages = paginateListConformancePackComplianceScores(
      { client: this.client, pageSize: 20, stopOnSameToken: true },
      {},
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const s of page.ConformancePackComplianceScores ?? []) {
        if (!s.ConformancePackName) continue;
        const percent = s.Score === undefined ? NaN : Number.parseFloat(s.Score);
        answer.push({ pack: s.ConformancePackName, score: Number.isFinite(percent) ? percent / 100 : undefined });
      }
    }
    return answer;
  }
}

function toRule(rule: SdkConfigRule): ConfigRule {
  const scheduled = rule.Source?.SourceDetails?.find((d) => d.MessageType === 'ScheduledNotification');
  const frequency = rule.MaximumExecutionFrequency ?? scheduled?.MaximumExecutionFrequency;
  return {
    name: rule.ConfigRuleName ?? '',
    id: rule.ConfigRuleId ?? '',
    arn: rule.ConfigRuleArn ?? '',
    sourceOwner: rule.Source?.Owner ?? '',
    sourceIdentifier: rule.Source?.SourceIdentifier ?? '',
    createdBy: rule.CreatedBy,
    inputParameters: rule.InputParameters,
    periodSeconds: frequency === undefined ? undefined : FREQUENCY_SECONDS[frequency],
    state: rule.ConfigRuleState ?? 'ACTIVE',
  };
}
