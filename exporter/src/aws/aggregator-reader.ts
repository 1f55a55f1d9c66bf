import {
  paginateDescribeAggregateComplianceByConfigRules,
  paginateGetAggregateComplianceDetailsByConfigRule,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import type { ComplianceType, EvaluationResult } from '../model';

export interface AggregateRuleCompliance {
  accountId: string;
  region: string;
  rule: string;
  compliance: ComplianceType;
  contributors: { capped: number; capExceeded: boolean } | undefined;
}

const seconds = (d: Date | undefined): number | undefined =>
  d === undefined ? undefined : d.getTime() / 1000;

/** Reads a Config aggregator: every account's and region's rule compliance, and noncompliant details. */
export class AggregatorReader {
  constructor(
    private readonly client: ConfigServiceClient,
    private readonly aggregator: string,
  ) {}

  /** One row per (rule, account, region) with results; 1,000 per page, empty pages with a token included. */
  async listCompliance(signal: AbortSignal): Promise<AggregateRuleCompliance[]> {
    const rows: AggregateRuleCompliance[] = [];
    const pages = paginateDescribeAggregateComplianceByConfigRules(
      { client: this.client, pageSize: 1000, stopOnSameToken: true },
      { ConfigurationAggregatorName: this.aggregator },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const r of page.AggregateComplianceByConfigRules ?? []) {
        if (!r.ConfigRuleName || !r.AccountId || !r.AwsRegion) continue;
        const count = r.Compliance?.ComplianceContributorCount;
        rows.push({
          accountId: r.AccountId,
          region: r.AwsRegion,
          rule: r.ConfigRuleName,
          compliance: (r.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA') as ComplianceType,
          contributors: count ? { capped: count.CappedCount ?? 0, capExceeded: count.CapExceeded ?? false } : undefined,
        });
      }
    }
    return rows;
  }

  /** Every NON_COMPLIANT result of one rule in one account and region, 100 per page. */
  async listNoncompliant(rule: string, accountId: string, region: string, signal: AbortSignal): Promise<EvaluationResult[]> {
    const results: EvaluationResult[] = [];
    const pages = paginateGetAggregateComplianceDetailsByConfigRule(
      { client: this.client, pageSize: 100, stopOnSameToken: true },
      { ConfigurationAggregatorName: this.aggregator, ConfigRuleName: rule, AccountId: accountId, AwsRegion: region, ComplianceType: 'NON_COMPLIANT' },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const r of page.AggregateEvaluationResults ?? []) {
        const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (!q?.ResourceType || !q.ResourceId) continue;
        results.push({
          resourceType: q.ResourceType,
          resourceId: q.ResourceId,
          compliance: 'NON_COMPLIANT',
          triggeredAt: seconds(r.EvaluationResultIdentifier?.OrderingTimestamp),
          evaluatedAt: seconds(r.ConfigRuleInvokedTime),
          recordedAt: seconds(r.ResultRecordedTime),
          annotation: r.Annotation,
        });
      }
    }
    return results;
  }
}
