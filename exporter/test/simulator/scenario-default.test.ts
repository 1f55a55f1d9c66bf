import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeComplianceByConfigRuleCommand,
  DescribeRemediationConfigurationsCommand,
  paginateDescribeConfigRuleEvaluationStatus,
  paginateDescribeConfigRules,
  paginateDescribeRemediationExecutionStatus,
  paginateGetComplianceDetailsByConfigRule,
  paginateListConformancePackComplianceScores,
  type ConfigRule,
  type RemediationConfiguration,
  type RemediationExecutionStatus,
} from '@aws-sdk/client-config-service';
import {
  DescribeDocumentCommand,
  GetAutomationExecutionCommand,
  paginateDescribeAutomationExecutions,
  type AutomationExecutionMetadata,
} from '@aws-sdk/client-ssm';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { configClient, ssmClient, START } from './helpers';

const ACCOUNT = '123456789012';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ConfigRemediationAutomationRole';
const DAY = 86_400_000;
const FREQUENCY_MS: Record<string, number> = {
  One_Hour: 3_600_000,
  Three_Hours: 3 * 3_600_000,
  Six_Hours: 6 * 3_600_000,
  Twelve_Hours: 12 * 3_600_000,
  TwentyFour_Hours: 24 * 3_600_000,
};

/** The Security Hub catalog, read the way the exporter reads it (rule name and source identifier columns). */
function controlledRules(): { names: Set<string>; runbooks: Map<string, string[]> } {
  const text = readFileSync(join(__dirname, '..', '..', 'data', 'security-hub-controls.csv'), 'utf8');
  const names = new Set<string>();
  const runbooks = new Map<string, string[]>();
  for (const line of text.split('\n').slice(1)) {
    const [rule, , control] = line.split(',');
    if (!rule || !control) continue;
    names.add(rule);
    const listed = line.match(/(AWS-[\w-]+|AWSConfigRemediation-[\w-]+)/g) ?? [];
    runbooks.set(rule, [...(runbooks.get(rule) ?? []), ...listed]);
  }
  return { names, runbooks };
}

async function allRules(sim: RunningSimulator, region: string): Promise<ConfigRule[]> {
  const out: ConfigRule[] = [];
  for await (const page of paginateDescribeConfigRules({ client: configClient(sim, { region }) }, {}))
    out.push(...(page.ConfigRules ?? []));
  return out;
}

async function allExecutions(
  sim: RunningSimulator,
  region: string,
  prefix?: string,
): Promise<AutomationExecutionMetadata[]> {
  const out: AutomationExecutionMetadata[] = [];
  const input = prefix ? { Filters: [{ Key: 'DocumentNamePrefix' as const, Values: [prefix] }] } : {};
  for await (const page of paginateDescribeAutomationExecutions(
    { client: ssmClient(sim, { region }) },
    input,
  )) {
    out.push(...(page.AutomationExecutionMetadataList ?? []));
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );
}

describe('the default scenario', () => {
  describe.each([1, 2, 3, 42, 2026])(
    'seed %i: the first 60 rules hold every required kind of rule',
    (seed) => {
      let sim: RunningSimulator;
      beforeAll(async () => {
        sim = await startSimulator({ scenario: 'default', seed, startTime: START });
      });
      afterAll(() => sim.close());

      it.each(['us-east-1', 'ap-northeast-2'])('%s', async (region) => {
        const client = configClient(sim, { region });
        const rules = await allRules(sim, region);
        expect(rules.length).toBeGreaterThanOrEqual(60);
        expect(rules.length).toBeLessThanOrEqual(90);
        const first = rules.slice(0, 60);
        const names = first.map((r) => r.ConfigRuleName ?? '');

        // More than 100 noncompliant resources: Config caps the count, the details page through all of them.
        const compliance = (
          await Promise.all(
            chunks(names, 25).map((batch) =>
              client.send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: batch })),
            ),
          )
        ).flatMap((a) => a.ComplianceByConfigRules ?? []);
        const capped = compliance.filter((c) => c.Compliance?.ComplianceContributorCount?.CapExceeded);
        expect(capped.map((c) => c.ConfigRuleName)).toContain('restricted-common-ports');
        let open = 0;
        for await (const page of paginateGetComplianceDetailsByConfigRule(
          { client, pageSize: 100 },
          { ConfigRuleName: 'restricted-common-ports', ComplianceTypes: ['NON_COMPLIANT'] },
        )) {
          open += page.EvaluationResults?.length ?? 0;
        }
        expect(open).toBeGreaterThan(100);
        expect(open).toBe(sim.truth.noncompliantCount(ACCOUNT, region, 'restricted-common-ports'));

        // Security Hub's service-linked copies.
        const serviceLinked = first.filter((r) => r.CreatedBy === 'securityhub.amazonaws.com');
        expect(serviceLinked.length).toBeGreaterThanOrEqual(3);
        for (const rule of serviceLinked) {
          expect(rule.ConfigRuleName).toMatch(/^securityhub-.+-[0-9a-f]{8}$/);
          expect(rule.RuleEvaluationVisibility).toBe('INTERNAL');
        }
        expect(names.some((n) => /^securityhub-s3-bucket-public-read-prohibited-[0-9a-f]{8}$/.test(n))).toBe(
          true,
        );

        // Customer-named copies of managed rules, and rules no Security Hub control covers.
        const copy = first.find((r) => r.ConfigRuleName === 'my-team-s3-public-read');
        expect(copy?.Source).toEqual({ Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED' });
        const catalog = controlledRules();
        const uncontrolled = first.filter((r) => !r.CreatedBy && !catalog.names.has(r.ConfigRuleName ?? ''));
        expect(uncontrolled.map((r) => r.ConfigRuleName)).toContain('required-tags');

        // required-tags evaluates several resource types.
        const types = new Set<string>();
        for await (const page of paginateGetComplianceDetailsByConfigRule(
          { client, pageSize: 100 },
          { ConfigRuleName: 'required-tags', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
        )) {
          for (const e of page.EvaluationResults ?? [])
            types.add(e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceType ?? '');
        }
        expect([...types].sort()).toEqual(
          [
            'AWS::EC2::Instance',
            'AWS::EC2::SecurityGroup',
            'AWS::EC2::Volume',
            'AWS::RDS::DBInstance',
            'AWS::S3::Bucket',
          ].sort(),
        );

        // Periodic rules.
        expect(first.filter((r) => r.MaximumExecutionFrequency).length).toBeGreaterThanOrEqual(3);

        // Remediation, on rules with a runbook in the catalog, with execution history.
        const configs: RemediationConfiguration[] = (
          await Promise.all(
            chunks(names, 25).map((batch) =>
              client.send(new DescribeRemediationConfigurationsCommand({ ConfigRuleNames: batch })),
            ),
          )
        ).flatMap((a) => a.RemediationConfigurations ?? []);
        const ports = configs.find((c) => c.ConfigRuleName === 'restricted-common-ports');
        expect(ports).toMatchObject({
          TargetType: 'SSM_DOCUMENT',
          TargetId: 'Custom-DisablePublicAccessForSecurityGroup',
          Automatic: true,
          Parameters: {
            GroupId: { ResourceValue: { Value: 'RESOURCE_ID' } },
            AutomationAssumeRole: { StaticValue: { Values: [ROLE_ARN] } },
          },
        });
        for (const config of configs) {
          const source =
            first.find((r) => r.ConfigRuleName === config.ConfigRuleName)?.Source?.SourceIdentifier ?? '';
          const managedName =
            [...catalog.runbooks.keys()].find((k) => k.toUpperCase().replace(/-/g, '_') === source) ??
            config.ConfigRuleName ??
            '';
          const listed =
            catalog.runbooks.get(config.ConfigRuleName ?? '') ?? catalog.runbooks.get(managedName) ?? [];
          const runbook = (config.TargetId ?? '').replace(/^Custom-/, 'AWS-');
          expect(listed).toContain(runbook);
        }
        const statuses: RemediationExecutionStatus[] = [];
        for await (const page of paginateDescribeRemediationExecutionStatus(
          { client },
          { ConfigRuleName: 'restricted-common-ports' },
        )) {
          statuses.push(...(page.RemediationExecutionStatuses ?? []));
        }
        expect(statuses.length).toBeGreaterThan(10);
      });
    },
  );

  describe('seed 1 in detail', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ scenario: 'default', seed: 1, startTime: START });
    });
    afterAll(() => sim.close());

    it.each(['us-east-1', 'ap-northeast-2'])(
      "%s: Config's remediation status is the latest SSM execution of the same document and resource",
      async (region) => {
        const client = configClient(sim, { region });
        const configs =
          (
            await client.send(
              new DescribeRemediationConfigurationsCommand({
                ConfigRuleNames: (await allRules(sim, region))
                  .slice(0, 25)
                  .map((r) => r.ConfigRuleName ?? ''),
              }),
            )
          ).RemediationConfigurations ?? [];
        expect(configs.length).toBeGreaterThanOrEqual(5);
        const stateOf: Record<string, string> = {
          Pending: 'QUEUED',
          InProgress: 'IN_PROGRESS',
          Success: 'SUCCEEDED',
          Failed: 'FAILED',
          TimedOut: 'FAILED',
          Cancelled: 'FAILED',
        };
        let checked = 0;
        for (const config of configs) {
          const resourceParameter =
            Object.keys(config.Parameters ?? {}).find((p) => config.Parameters?.[p]?.ResourceValue) ?? '';
          const executions = await allExecutions(sim, region, config.TargetId);
          const detailed = new Map<string, string | undefined>();
          const statuses: RemediationExecutionStatus[] = [];
          for await (const page of paginateDescribeRemediationExecutionStatus(
            { client },
            { ConfigRuleName: config.ConfigRuleName },
          )) {
            statuses.push(...(page.RemediationExecutionStatuses ?? []));
          }
          for (const status of statuses) {
            const match = executions.find(
              (e) =>
                e.ExecutionStartTime?.getTime() === status.InvocationTime?.getTime() &&
                e.DocumentName === config.TargetId,
            );
            expect(match).toBeDefined();
            if (!match) continue;
            expect(stateOf[match.AutomationExecutionStatus ?? '']).toBe(status.State);
            if (match.ExecutionEndTime)
              expect(match.ExecutionEndTime.getTime()).toBe(status.LastUpdatedTime?.getTime());
            if (!detailed.has(match.AutomationExecutionId ?? '') && detailed.size < 3) {
              const full = await ssmClient(sim, { region }).send(
                new GetAutomationExecutionCommand({ AutomationExecutionId: match.AutomationExecutionId }),
              );
              expect(full.AutomationExecution?.Parameters?.[resourceParameter]).toEqual([
                status.ResourceKey?.resourceId,
              ]);
              expect(full.AutomationExecution?.StepExecutions?.map((s) => s.StepName)).toEqual(
                status.StepDetails?.map((d) => d.Name),
              );
              detailed.set(match.AutomationExecutionId ?? '', status.State);
            }
            // The truth agrees: a resource whose latest remediation succeeded is no longer noncompliant.
            const evaluation = sim.world
              .region(ACCOUNT, region)
              .evaluationStore(config.ConfigRuleName ?? '')
              ?.get(status.ResourceKey?.resourceType ?? '', status.ResourceKey?.resourceId ?? '');
            if (status.State === 'SUCCEEDED') expect(evaluation?.compliance).not.toBe('NON_COMPLIANT');
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(30);
      },
    );

    it.each(['us-east-1', 'ap-northeast-2'])(
      '%s: 30 days of SSM history with realistic outcomes',
      async (region) => {
        const executions = await allExecutions(sim, region);
        const now = START.getTime();
        const starts = executions.map((e) => e.ExecutionStartTime?.getTime() ?? 0);
        expect(Math.min(...starts)).toBeGreaterThanOrEqual(now - 30 * DAY);
        expect(Math.min(...starts)).toBeLessThan(now - 28 * DAY);
        const finished = executions.filter((e) => e.ExecutionEndTime);
        const durations = finished.map(
          (e) => (e.ExecutionEndTime?.getTime() ?? 0) - (e.ExecutionStartTime?.getTime() ?? 0),
        );
        expect(Math.min(...durations)).toBeGreaterThanOrEqual(1_000);
        expect(Math.max(...durations)).toBeLessThan(15 * 60_000);
        const byStatus = (status: string) => executions.filter((e) => e.AutomationExecutionStatus === status);
        expect(byStatus('Success').length / executions.length).toBeGreaterThan(0.6);
        for (const status of ['Failed', 'TimedOut', 'Cancelled'])
          expect(byStatus(status).length).toBeGreaterThan(0);

        const messages = byStatus('Failed').map((e) => e.FailureMessage ?? '');
        expect(
          messages.some((m) =>
            m.includes('is not authorized to perform: ec2:RevokeSecurityGroupIngress on resource'),
          ),
        ).toBe(true);
        expect(messages.some((m) => m.includes('Rate exceeded'))).toBe(true);
        expect(
          messages.some((m) =>
            /\((InvalidGroup\.NotFound|DBInstanceNotFound|NoSuchBucket|NotFoundException)\)/.test(m),
          ),
        ).toBe(true);
        expect(
          messages.some((m) =>
            /\((InvalidPermission\.NotFound|InvalidParameter\w*|InvalidRequest)\)/.test(m),
          ),
        ).toBe(true);

        const ssm = ssmClient(sim, { region });
        const denied = byStatus('Failed').find((e) =>
          e.FailureMessage?.includes('ec2:RevokeSecurityGroupIngress'),
        );
        const deniedDetail = await ssm.send(
          new GetAutomationExecutionCommand({ AutomationExecutionId: denied?.AutomationExecutionId }),
        );
        const failedStep = deniedDetail.AutomationExecution?.StepExecutions?.find(
          (s) => s.StepStatus === 'Failed',
        );
        expect(failedStep?.FailureDetails?.FailureType).toBe('Permission');
        const throttled = byStatus('Failed').find((e) => e.FailureMessage?.includes('Rate exceeded'));
        const throttledDetail = await ssm.send(
          new GetAutomationExecutionCommand({ AutomationExecutionId: throttled?.AutomationExecutionId }),
        );
        expect(
          throttledDetail.AutomationExecution?.StepExecutions?.find((s) => s.StepStatus === 'Failed')
            ?.FailureDetails?.FailureType,
        ).toBe('Throttling');

        // Runs crossing midnight UTC and midnight in Seoul (15:00 UTC), within minutes.
        const crosses = (hourUtc: number) =>
          finished.some((e) => {
            const start = e.ExecutionStartTime?.getTime() ?? 0;
            const end = e.ExecutionEndTime?.getTime() ?? 0;
            const boundary = Math.floor(end / DAY) * DAY + hourUtc * 3_600_000;
            const candidates = [boundary, boundary - DAY];
            return end - start < 10 * 60_000 && candidates.some((b) => start < b && end > b);
          });
        expect(crosses(0)).toBe(true);
        expect(crosses(15)).toBe(true);

        // The tagging runbook runs by EventBridge, not by a Config remediation.
        const tagging = executions.filter((e) => e.DocumentName === 'Custom-AutoTagResources');
        expect(tagging.length).toBeGreaterThan(300);
        expect(tagging.every((e) => e.ExecutedBy?.includes('EventBridge'))).toBe(true);
      },
    );

    it('the custom security-group runbook: document and steps', async () => {
      const ssm = ssmClient(sim);
      const document = (
        await ssm.send(new DescribeDocumentCommand({ Name: 'Custom-DisablePublicAccessForSecurityGroup' }))
      ).Document;
      expect(document).toMatchObject({
        Owner: ACCOUNT,
        DocumentType: 'Automation',
        Status: 'Active',
        SchemaVersion: '0.3',
      });
      expect(document?.Parameters?.map((p) => p.Name)).toEqual(['GroupId', 'AutomationAssumeRole']);
      const owned = (
        await ssm.send(new DescribeDocumentCommand({ Name: 'AWS-DisablePublicAccessForSecurityGroup' }))
      ).Document;
      expect(owned?.Owner).toBe('Amazon');
      const run = (await allExecutions(sim, 'us-east-1', 'Custom-DisablePublicAccessForSecurityGroup')).find(
        (e) => e.AutomationExecutionStatus === 'Success',
      );
      const detail = await ssm.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: run?.AutomationExecutionId }),
      );
      expect(detail.AutomationExecution?.StepExecutions?.map((s) => s.StepName)).toEqual([
        'DisableSSHFromIpV4',
        'DisableSSHFromIpV6',
        'DisableRDPFromIpV4',
        'DisableRDPFromIpV6',
        'DisableMYSQLFromIpV4',
        'DisableMYSQLFromIpV6',
      ]);
      expect(detail.AutomationExecution?.Parameters?.['AutomationAssumeRole']).toEqual([ROLE_ARN]);
    });

    it('a stale periodic rule, a failing rule, and conformance-pack scores', async () => {
      const client = configClient(sim);
      const rules = await allRules(sim, 'us-east-1');
      const statuses = [];
      for await (const page of paginateDescribeConfigRuleEvaluationStatus({ client }, {}))
        statuses.push(...(page.ConfigRulesEvaluationStatus ?? []));
      const stale = statuses.filter((s) => {
        const frequency = rules.find((r) => r.ConfigRuleName === s.ConfigRuleName)?.MaximumExecutionFrequency;
        return (
          frequency &&
          START.getTime() - (s.LastSuccessfulEvaluationTime?.getTime() ?? 0) >
            (FREQUENCY_MS[frequency] ?? Infinity)
        );
      });
      expect(stale.map((s) => s.ConfigRuleName)).toEqual(['iam-password-policy']);
      const failing = statuses.filter(
        (s) =>
          (s.LastFailedEvaluationTime?.getTime() ?? 0) > (s.LastSuccessfulEvaluationTime?.getTime() ?? 0),
      );
      expect(failing).toHaveLength(1);
      expect(failing[0]?.LastErrorCode).toBeDefined();
      expect(failing[0]?.LastErrorMessage).toBeDefined();

      const scores = [];
      for await (const page of paginateListConformancePackComplianceScores({ client }, {}))
        scores.push(...(page.ConformancePackComplianceScores ?? []));
      expect(scores.length).toBeGreaterThanOrEqual(2);
      expect(scores.some((s) => s.Score === 'INSUFFICIENT_DATA')).toBe(true);
      const numeric = scores.filter((s) => s.Score !== 'INSUFFICIENT_DATA').map((s) => Number(s.Score));
      expect(numeric.length).toBeGreaterThanOrEqual(2);
      expect(numeric.every((n) => n >= 0 && n <= 100)).toBe(true);
    });
  });

  it('same seed and start time give identical answers; another seed does not', async () => {
    const dump = async (sim: RunningSimulator): Promise<string> => {
      const strip = (value: unknown): unknown =>
        JSON.parse(
          JSON.stringify(value, (key, v: unknown) =>
            key === '$metadata' || key === 'NextToken' ? undefined : v,
          ),
        );
      const parts: unknown[] = [];
      for (const region of sim.regions) {
        const rules = await allRules(sim, region);
        parts.push(strip(rules));
        for (const rule of rules.filter((r) => !r.CreatedBy).slice(0, 12)) {
          for await (const page of paginateGetComplianceDetailsByConfigRule(
            { client: configClient(sim, { region }), pageSize: 100 },
            { ConfigRuleName: rule.ConfigRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
          )) {
            parts.push(strip(page.EvaluationResults));
          }
        }
        for await (const page of paginateDescribeRemediationExecutionStatus(
          { client: configClient(sim, { region }) },
          { ConfigRuleName: 'restricted-common-ports' },
        )) {
          parts.push(strip(page.RemediationExecutionStatuses));
        }
        parts.push(strip(await allExecutions(sim, region)));
      }
      return JSON.stringify(parts);
    };
    const [a, b, c] = await Promise.all([
      startSimulator({ scenario: 'default', seed: 11, startTime: START }),
      startSimulator({ scenario: 'default', seed: 11, startTime: START }),
      startSimulator({ scenario: 'default', seed: 12, startTime: START }),
    ]);
    try {
      const [da, db, dc] = [await dump(a), await dump(b), await dump(c)];
      expect(da.length).toBeGreaterThan(100_000);
      expect(db).toBe(da);
      expect(dc).not.toBe(da);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
