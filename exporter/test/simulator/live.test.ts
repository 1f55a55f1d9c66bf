import {
  DescribeRemediationExecutionStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type RemediationExecutionState,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import {
  AutomationExecutionNotFoundException,
  DescribeAutomationExecutionsCommand,
  GetAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { startSimulator } from '../../simulator';
import { configClient, errorOf, ssmClient, START, waitFor } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const DAY = 86_400_000;
const CONFIG_STATE: Record<string, RemediationExecutionState> = {
  Pending: 'QUEUED',
  InProgress: 'IN_PROGRESS',
  Success: 'SUCCEEDED',
  Failed: 'FAILED',
  TimedOut: 'FAILED',
  Cancelled: 'FAILED',
};

describe('live mode', () => {
  it('a remediation moves QUEUED → IN_PROGRESS → SUCCEEDED in Config and Pending → InProgress → Success in SSM, then the result turns COMPLIANT', async () => {
    const sim = await startSimulator({ scenario: 'default', live: true, clock: 'manual', startTime: START });
    try {
      const region = sim.world.region(ACCOUNT, REGION);
      const rule = 'restricted-ssh';
      const target = region.evaluations(rule).find((e) => e.compliance === 'COMPLIANT');
      if (!target) throw new Error('no compliant security group');
      const key = { resourceType: target.resourceType as ResourceType, resourceId: target.resourceId };
      const violatedAt = sim.clock.now().getTime();
      region.setEvaluation(rule, { ...key, compliance: 'NON_COMPLIANT' });
      const run = region.addExecution({
        documentName: 'AWS-DisablePublicAccessForSecurityGroup',
        status: 'Success',
        pendingMs: 3_000,
        durationMs: 12_000,
        parameters: { GroupId: [target.resourceId] },
        remediation: { ruleName: rule, ...key },
        fixes: { ruleName: rule, ...key },
      });

      const config = configClient(sim);
      const ssm = ssmClient(sim);
      const seen: string[] = [];
      for (let step = 0; step < 20; step++) {
        const status = (
          await config.send(
            new DescribeRemediationExecutionStatusCommand({ ConfigRuleName: rule, ResourceKeys: [key] }),
          )
        ).RemediationExecutionStatuses?.[0];
        const execution = (
          await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: run.id }))
        ).AutomationExecution;
        expect(status?.State).toBe(CONFIG_STATE[execution?.AutomationExecutionStatus ?? '']);
        expect(status?.InvocationTime?.getTime()).toBe(execution?.ExecutionStartTime?.getTime());
        if (seen[seen.length - 1] !== status?.State) seen.push(status?.State ?? '');
        sim.clock.advance(1_000);
        sim.tick();
      }
      expect(seen).toEqual(['QUEUED', 'IN_PROGRESS', 'SUCCEEDED']);
      const result = (
        await config.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: rule,
            ComplianceTypes: ['COMPLIANT'],
            Limit: 100,
          }),
        )
      ).EvaluationResults?.find(
        (e) => e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId === target.resourceId,
      );
      expect(result?.ResultRecordedTime?.getTime()).toBeGreaterThan(violatedAt);
      expect(result?.ResultRecordedTime?.getTime()).toBeGreaterThanOrEqual(run.endTime);
    } finally {
      await sim.close();
    }
  });

  it('three simulated minutes: violations, remediations, an access-denied failure, tagging, fixes and deletions', async () => {
    const sim = await startSimulator({ scenario: 'default', live: true, clock: 'manual', startTime: START });
    try {
      const region = sim.world.region(ACCOUNT, REGION);
      const before = sim.truth.evaluationCounts(ACCOUNT, REGION);
      const executionsBefore = new Set(
        sim.truth.automationExecutions(ACCOUNT, REGION).map((e) => e.executionId),
      );
      const statusBefore = new Map(
        region.rules().map((r) => [r.name, r.evaluationStatus.lastSuccessfulEvaluationTime]),
      );
      for (let i = 0; i < 90; i++) {
        sim.clock.advance(2_000);
        sim.tick();
      }
      const fresh = sim.truth
        .automationExecutions(ACCOUNT, REGION)
        .filter((e) => !executionsBefore.has(e.executionId));
      expect(fresh.length).toBeGreaterThan(5);
      const denied = fresh.filter(
        (e) => e.failureType === 'Permission' && e.failureMessage?.includes('ec2:RevokeSecurityGroupIngress'),
      );
      expect(denied.length).toBeGreaterThanOrEqual(2);
      expect(denied.every((e) => e.ruleName === 'restricted-common-ports')).toBe(true);
      expect(fresh.some((e) => e.documentName === 'Custom-AutoTagResources' && e.status === 'Success')).toBe(
        true,
      );
      expect(fresh.some((e) => e.trigger === 'config-remediation' && e.status === 'Success')).toBe(true);

      const after = sim.truth.evaluationCounts(ACCOUNT, REGION);
      expect(after).not.toEqual(before);
      const advanced = region
        .rules()
        .filter(
          (r) => (r.evaluationStatus.lastSuccessfulEvaluationTime ?? 0) > (statusBefore.get(r.name) ?? 0),
        );
      expect(advanced.length).toBeGreaterThan(3);
      // The stalled periodic rule stays stale.
      expect(advanced.map((r) => r.name)).not.toContain('iam-password-policy');
    } finally {
      await sim.close();
    }
  });

  it('a periodic rule whose frequency has passed records every result again: same compliance, new times', async () => {
    const sim = await startSimulator({ scenario: 'default', live: true, clock: 'manual', startTime: START });
    try {
      const region = sim.world.region(ACCOUNT, REGION);
      const config = configClient(sim);
      const periodic = region
        .rules()
        .filter((r) => r.maximumExecutionFrequency && !r.stalled && !r.createdBy);
      // Both kinds: periodic only, and periodic with change triggers (a resource scope).
      expect(periodic.some((r) => r.resourceTypes)).toBe(true);
      expect(periodic.some((r) => !r.resourceTypes)).toBe(true);
      const results = async (rule: string) =>
        (
          await config.send(
            new GetComplianceDetailsByConfigRuleCommand({
              ConfigRuleName: rule,
              ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
              Limit: 100,
            }),
          )
        ).EvaluationResults ?? [];
      const compliance = (list: Awaited<ReturnType<typeof results>>) =>
        list.map((e) => [
          e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId,
          e.ComplianceType,
        ]);
      const before = new Map<string, Awaited<ReturnType<typeof results>>>();
      for (const rule of periodic) before.set(rule.name, await results(rule.name));

      // Past every frequency (at most 24 hours); the one step's own random events touch none of these rules.
      sim.clock.advance(DAY + 60_000);
      sim.tick();
      const now = sim.clock.now().getTime();
      for (const rule of periodic) {
        const after = await results(rule.name);
        expect([rule.name, compliance(after)]).toEqual([rule.name, compliance(before.get(rule.name) ?? [])]);
        for (const e of after) {
          expect(e.ResultRecordedTime?.getTime()).toBe(now);
          expect(e.ConfigRuleInvokedTime?.getTime()).toBeLessThan(now);
          expect(e.ConfigRuleInvokedTime?.getTime()).toBeGreaterThan(now - 60_000);
          expect(e.EvaluationResultIdentifier?.OrderingTimestamp?.getTime()).toBeLessThan(
            e.ConfigRuleInvokedTime?.getTime() ?? 0,
          );
        }
        expect(rule.evaluationStatus.lastSuccessfulEvaluationTime).toBe(now);
      }
      expect(region.rule('iam-password-policy')?.evaluationStatus.lastSuccessfulEvaluationTime).toBeLessThan(
        now - DAY,
      );
    } finally {
      await sim.close();
    }
  });

  it('runs on a timer with the wall clock', async () => {
    const sim = await startSimulator({ scenario: 'default', live: true, tickMs: 20 });
    try {
      const ssm = ssmClient(sim);
      const newest = async () =>
        (await ssm.send(new DescribeAutomationExecutionsCommand({ MaxResults: 1 })))
          .AutomationExecutionMetadataList?.[0];
      const first = (await newest())?.AutomationExecutionId;
      await waitFor(
        async () => (await newest())?.AutomationExecutionId !== first,
        'a new execution appears',
        15_000,
      );
      expect(sim.clock.now().getTime()).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await sim.close();
    }
  });

  it('executions older than 30 days vanish from every answer', async () => {
    const sim = await startSimulator({ scenario: 'default', startTime: START });
    try {
      const ssm = ssmClient(sim);
      const region = sim.world.region(ACCOUNT, REGION);
      const remediations = sim.truth
        .automationExecutions(ACCOUNT, REGION)
        .filter((e) => e.ruleName === 'restricted-common-ports');
      const oldest = remediations[remediations.length - 1];
      if (!oldest?.resourceId) throw new Error('no remediation history');
      const latestForKey = region
        .remediationStatuses('restricted-common-ports')
        .find((s) => s.executionId === oldest.executionId);
      await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: oldest.executionId }));

      const age = START.getTime() - oldest.startTime.getTime();
      sim.clock.advance(30 * DAY - age + 1_000);
      const error = await errorOf(
        ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: oldest.executionId })),
      );
      expect(error).toBeInstanceOf(AutomationExecutionNotFoundException);
      const listed = [];
      let token: string | undefined;
      do {
        const page = await ssm.send(new DescribeAutomationExecutionsCommand({ NextToken: token }));
        listed.push(...(page.AutomationExecutionMetadataList ?? []));
        token = page.NextToken;
      } while (token);
      expect(listed.some((e) => e.AutomationExecutionId === oldest.executionId)).toBe(false);
      const cutoff = sim.clock.now().getTime() - 30 * DAY;
      expect(listed.every((e) => (e.ExecutionStartTime?.getTime() ?? 0) >= cutoff)).toBe(true);
      if (latestForKey) {
        const statuses = (
          await configClient(sim).send(
            new DescribeRemediationExecutionStatusCommand({
              ConfigRuleName: 'restricted-common-ports',
              ResourceKeys: [{ resourceType: 'AWS::EC2::SecurityGroup', resourceId: oldest.resourceId }],
            }),
          )
        ).RemediationExecutionStatuses;
        expect(statuses).toEqual([]);
      }
      // A tick drops them from memory too.
      const stored = region.executionRecords().length;
      sim.tick();
      for (let i = 0; i < 30; i++) sim.tick();
      expect(region.executionRecords().length).toBeLessThan(stored);
    } finally {
      await sim.close();
    }
  });

  it('is deterministic with a manual clock: same seed, same ticks, same world', async () => {
    const run = async (): Promise<string> => {
      const sim = await startSimulator({
        scenario: 'default',
        seed: 5,
        live: true,
        clock: 'manual',
        startTime: START,
      });
      try {
        for (let i = 0; i < 40; i++) {
          sim.clock.advance(2_000);
          sim.tick();
        }
        return JSON.stringify([
          sim.truth.evaluationCounts(ACCOUNT, REGION),
          sim.truth.automationExecutions(ACCOUNT, REGION).slice(0, 30),
        ]);
      } finally {
        await sim.close();
      }
    };
    expect(await run()).toBe(await run());
  });
});
