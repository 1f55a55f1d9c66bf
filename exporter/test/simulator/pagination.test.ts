import {
  DescribeComplianceByConfigRuleCommand,
  GetComplianceDetailsByConfigRuleCommand,
  paginateDescribeComplianceByConfigRule,
  paginateDescribeConfigRuleEvaluationStatus,
  paginateDescribeConfigRules,
  paginateDescribeRemediationExecutionStatus,
  paginateGetComplianceDetailsByConfigRule,
  paginateListConformancePackComplianceScores,
} from '@aws-sdk/client-config-service';
import {
  paginateDescribeAutomationExecutions,
  paginateDescribeAutomationStepExecutions,
  paginateListDocuments,
} from '@aws-sdk/client-ssm';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { configClient, ssmClient, START } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MINUTE = 60_000;

async function collect<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<{ items: T[]; pages: number }> {
  const out: T[] = [];
  let count = 0;
  for await (const page of pages) {
    out.push(...(items(page) ?? []));
    count++;
  }
  return { items: out, pages: count };
}

function expectUnique(values: string[]): void {
  expect(new Set(values).size).toBe(values.length);
}

describe('pagination through the real SDK paginators', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'empty', startTime: START });
    const region = sim.world.region(ACCOUNT, REGION);
    for (let i = 1; i <= 60; i++)
      region.addRule({ name: `rule-${String(i).padStart(3, '0')}`, resourceTypes: ['AWS::S3::Bucket'] });
    region.addRule({ name: 'big-rule', resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::Instance'] });
    for (let i = 0; i < 300; i++) {
      region.setEvaluation('big-rule', {
        resourceType: i % 2 === 0 ? 'AWS::EC2::SecurityGroup' : 'AWS::EC2::Instance',
        resourceId: `res-${String(i).padStart(4, '0')}`,
        compliance: i < 250 ? 'NON_COMPLIANT' : i < 290 ? 'COMPLIANT' : 'NOT_APPLICABLE',
      });
    }
    region.setRemediationConfiguration({
      ruleName: 'big-rule',
      targetId: 'AWS-DisablePublicAccessForSecurityGroup',
      automatic: true,
      parameters: { GroupId: { resourceValue: 'RESOURCE_ID' } },
    });
    for (let i = 0; i < 230; i++) {
      region.addExecution({
        documentName: 'AWS-DisablePublicAccessForSecurityGroup',
        startTime: START.getTime() - (i + 1) * 7 * MINUTE,
        status: i % 5 === 0 ? 'Failed' : 'Success',
        remediation: {
          ruleName: 'big-rule',
          resourceType: 'AWS::EC2::SecurityGroup',
          resourceId: `res-${String(2 * i).padStart(4, '0')}`,
        },
      });
    }
    for (let i = 0; i < 45; i++)
      region.addConformancePack({
        name: `Pack-${String(i).padStart(2, '0')}`,
        ruleNames: ['big-rule', `rule-00${(i % 9) + 1}`],
      });
    for (let i = 0; i < 60; i++) {
      region.addDocument({
        name: `Doc-${String(i).padStart(2, '0')}`,
        owner: ACCOUNT,
        documentVersion: '1',
        description: 'test document',
        createdDate: START.getTime(),
        parameters: [],
        steps: [{ name: 'Run', action: 'aws:executeAwsApi' }],
        hash: 'a'.repeat(64),
      });
    }
  });

  afterAll(() => sim.close());

  it('DescribeConfigRules: 25 rules a page, each rule once', async () => {
    const { items, pages } = await collect(
      paginateDescribeConfigRules({ client: configClient(sim) }, {}),
      (p) => p.ConfigRules,
    );
    expect(items).toHaveLength(61);
    expect(pages).toBe(3);
    expectUnique(items.map((r) => r.ConfigRuleName ?? ''));
  });

  it('DescribeComplianceByConfigRule: 25 a page, with and without a compliance filter', async () => {
    const all = await collect(
      paginateDescribeComplianceByConfigRule({ client: configClient(sim) }, {}),
      (p) => p.ComplianceByConfigRules,
    );
    expect(all.items).toHaveLength(61);
    expect(all.pages).toBe(3);
    expectUnique(all.items.map((r) => r.ConfigRuleName ?? ''));
    const insufficient = await collect(
      paginateDescribeComplianceByConfigRule(
        { client: configClient(sim) },
        { ComplianceTypes: ['INSUFFICIENT_DATA'] },
      ),
      (p) => p.ComplianceByConfigRules,
    );
    expect(insufficient.items).toHaveLength(60);
  });

  it('GetComplianceDetailsByConfigRule: 250 noncompliant results over 3 pages of 100, while the summary is capped at 100', async () => {
    const client = configClient(sim);
    const { items, pages } = await collect(
      paginateGetComplianceDetailsByConfigRule(
        { client, pageSize: 100 },
        { ConfigRuleName: 'big-rule', ComplianceTypes: ['NON_COMPLIANT'] },
      ),
      (p) => p.EvaluationResults,
    );
    expect(items).toHaveLength(250);
    expect(pages).toBeGreaterThanOrEqual(3);
    expectUnique(items.map((e) => e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? ''));
    expect(items.every((e) => e.ComplianceType === 'NON_COMPLIANT')).toBe(true);

    const summary = await client.send(
      new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: ['big-rule'] }),
    );
    expect(summary.ComplianceByConfigRules?.[0]?.Compliance).toEqual({
      ComplianceType: 'NON_COMPLIANT',
      ComplianceContributorCount: { CappedCount: 100, CapExceeded: true },
    });
  });

  it('GetComplianceDetailsByConfigRule: the default page is 10, and both compliance types come together', async () => {
    const client = configClient(sim);
    const first = await client.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'big-rule' }),
    );
    expect(first.EvaluationResults).toHaveLength(10);
    const { items } = await collect(
      paginateGetComplianceDetailsByConfigRule(
        { client, pageSize: 100 },
        { ConfigRuleName: 'big-rule', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
      ),
      (p) => p.EvaluationResults,
    );
    expect(items).toHaveLength(290);
  });

  it('keyset cursors: results added or removed between pages never come twice', async () => {
    const client = configClient(sim);
    const region = sim.world.region(ACCOUNT, REGION);
    region.addRule({ name: 'moving-rule', resourceTypes: ['AWS::S3::Bucket'] });
    for (let i = 0; i < 30; i++) {
      region.setEvaluation('moving-rule', {
        resourceType: 'AWS::S3::Bucket',
        resourceId: `b-${String(i * 10).padStart(4, '0')}`,
        compliance: 'NON_COMPLIANT',
      });
    }
    const seen: string[] = [];
    const first = await client.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: 'moving-rule',
        ComplianceTypes: ['NON_COMPLIANT'],
        Limit: 10,
      }),
    );
    seen.push(
      ...(first.EvaluationResults ?? []).map(
        (e) => e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? '',
      ),
    );
    // Before the cursor (missed, like AWS), after it (served), and one removed ahead (never served).
    region.setEvaluation('moving-rule', {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b-0005',
      compliance: 'NON_COMPLIANT',
    });
    region.setEvaluation('moving-rule', {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b-0255',
      compliance: 'NON_COMPLIANT',
    });
    region.removeEvaluation('moving-rule', 'AWS::S3::Bucket', 'b-0200');
    // Re-recording a served result must not serve it again either.
    region.setEvaluation('moving-rule', {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b-0000',
      compliance: 'NON_COMPLIANT',
    });
    let token = first.NextToken;
    while (token) {
      const page = await client.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: 'moving-rule',
          ComplianceTypes: ['NON_COMPLIANT'],
          Limit: 10,
          NextToken: token,
        }),
      );
      seen.push(
        ...(page.EvaluationResults ?? []).map(
          (e) => e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? '',
        ),
      );
      token = page.NextToken;
    }
    expectUnique(seen);
    expect(seen).toContain('b-0255');
    expect(seen).not.toContain('b-0200');
    expect(seen).not.toContain('b-0005');
    expect(seen).toHaveLength(30);
  });

  it('DescribeConfigRuleEvaluationStatus: Limit 50', async () => {
    const { items, pages } = await collect(
      paginateDescribeConfigRuleEvaluationStatus({ client: configClient(sim), pageSize: 50 }, {}),
      (p) => p.ConfigRulesEvaluationStatus,
    );
    expect(pages).toBe(2);
    expectUnique(items.map((s) => s.ConfigRuleName ?? ''));
    expect(items.length).toBe(sim.world.region(ACCOUNT, REGION).rules().length);
  });

  it('DescribeRemediationExecutionStatus: 100 a page by default, the latest status per resource', async () => {
    const { items, pages } = await collect(
      paginateDescribeRemediationExecutionStatus(
        { client: configClient(sim) },
        { ConfigRuleName: 'big-rule' },
      ),
      (p) => p.RemediationExecutionStatuses,
    );
    expect(items).toHaveLength(230);
    expect(pages).toBe(3);
    expectUnique(items.map((s) => `${s.ResourceKey?.resourceType}/${s.ResourceKey?.resourceId}`));
  });

  it('ListConformancePackComplianceScores: at most 20 a page', async () => {
    const { items, pages } = await collect(
      paginateListConformancePackComplianceScores(
        { client: configClient(sim), pageSize: 20 },
        { SortBy: 'SCORE', SortOrder: 'DESCENDING' },
      ),
      (p) => p.ConformancePackComplianceScores,
    );
    expect(items).toHaveLength(45);
    expect(pages).toBe(3);
    expectUnique(items.map((s) => s.ConformancePackName ?? ''));
    expect(items.every((s) => s.Score === 'INSUFFICIENT_DATA' || !Number.isNaN(Number(s.Score)))).toBe(true);
  });

  it('DescribeAutomationExecutions: newest first, 50 a page, each execution once; filters narrow it', async () => {
    const client = ssmClient(sim);
    const all = await collect(
      paginateDescribeAutomationExecutions({ client, pageSize: 50 }, {}),
      (p) => p.AutomationExecutionMetadataList,
    );
    expect(all.items).toHaveLength(230);
    expect(all.pages).toBe(5);
    expectUnique(all.items.map((e) => e.AutomationExecutionId ?? ''));
    const starts = all.items.map((e) => e.ExecutionStartTime?.getTime() ?? 0);
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);

    const after = new Date(START.getTime() - 100 * 7 * MINUTE).toISOString().replace('.000Z', 'Z');
    const failedRecent = await collect(
      paginateDescribeAutomationExecutions(
        { client, pageSize: 7 },
        {
          Filters: [
            { Key: 'ExecutionStatus', Values: ['Failed', 'TimedOut'] },
            { Key: 'StartTimeAfter', Values: [after] },
            { Key: 'DocumentNamePrefix', Values: ['AWS-DisablePublic'] },
          ],
        },
      ),
      (p) => p.AutomationExecutionMetadataList,
    );
    expect(failedRecent.items).toHaveLength(20);
    expect(failedRecent.pages).toBe(3);
    expect(failedRecent.items.every((e) => e.AutomationExecutionStatus === 'Failed')).toBe(true);
  });

  it('DescribeAutomationStepExecutions and ListDocuments page too', async () => {
    const client = ssmClient(sim);
    const id = sim.truth.automationExecutions(ACCOUNT, REGION)[0]?.executionId ?? '';
    const steps = await collect(
      paginateDescribeAutomationStepExecutions({ client, pageSize: 1 }, { AutomationExecutionId: id }),
      (p) => p.StepExecutions,
    );
    expect(steps.items.length).toBeGreaterThan(0);
    expectUnique(steps.items.map((s) => s.StepExecutionId ?? ''));
    const docs = await collect(
      paginateListDocuments({ client, pageSize: 25 }, {}),
      (p) => p.DocumentIdentifiers,
    );
    expect(docs.items).toHaveLength(60);
    expect(docs.pages).toBe(3);
  });
});
