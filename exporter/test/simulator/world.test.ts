import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  DescribeRemediationExecutionStatusCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeAutomationExecutionsCommand,
  GetAutomationExecutionCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { startSimulator, startDemoAccount } from '../../simulator';
import { Clock } from '../../simulator/clock';
import { TokenCodec } from '../../simulator/pagination';
import { Random } from '../../simulator/random';
import { SortedArray } from '../../simulator/world/sorted';
import { projectExecution } from '../../simulator/world/execution-view';
import { planExecution } from '../../simulator/world/execution-planner';
import { configClient, errorOf, ssmClient, START } from './helpers';

const ACCOUNT = '123456789012';

describe('building blocks', () => {
  it('Random: same seed and names, same stream; different names, different streams', () => {
    const a = Random.derive(1, 'acct', 'us-east-1');
    const b = Random.derive(1, 'acct', 'us-east-1');
    const c = Random.derive(1, 'acct', 'eu-west-1');
    const draw = (r: Random) => [r.next(), r.int(1, 6), r.hex(8), r.uuid()];
    expect(draw(a)).toEqual(draw(b));
    expect(draw(a)).not.toEqual(draw(c));
    expect(Random.derive(3).uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('SortedArray: upsert, remove and bounds keep key order', () => {
    const sorted = new SortedArray<{ k: number; v: string }, number>(
      (i) => i.k,
      (x, y) => x - y,
    );
    for (const k of [5, 1, 9, 3]) sorted.upsert({ k, v: `v${k}` });
    sorted.upsert({ k: 3, v: 'replaced' });
    expect(sorted.view().map((i) => i.k)).toEqual([1, 3, 5, 9]);
    expect(sorted.find(3)?.v).toBe('replaced');
    expect(sorted.upperBound(3)).toBe(2);
    expect(sorted.lowerBound(4)).toBe(2);
    sorted.remove(5);
    expect(sorted.view().map((i) => i.k)).toEqual([1, 3, 9]);
  });

  it('TokenCodec: a token only opens for the binding it was made for', () => {
    const codec = new TokenCodec();
    const binding = {
      operation: 'Op',
      accountId: ACCOUNT,
      region: 'us-east-1',
      request: { Name: 'x', Limit: 5 },
    };
    const invalid = () => new Error('invalid') as never;
    const token = codec.encode(binding, ['a', 1]);
    expect(
      codec.decode(token, { ...binding, request: { Name: 'x', Limit: 50, NextToken: token } }, invalid),
    ).toEqual(['a', 1]);
    expect(() => codec.decode(token, { ...binding, region: 'eu-west-1' }, invalid)).toThrow('invalid');
    expect(() => codec.decode(token, { ...binding, request: { Name: 'y' } }, invalid)).toThrow('invalid');
    expect(() => new TokenCodec().decode(token, binding, invalid)).toThrow('invalid');
  });

  it('Clock: manual stands still, wall follows the real clock; both move on advance and set', () => {
    let real = 1_000;
    const manual = new Clock('manual', START, () => real);
    const wall = new Clock('wall', START, () => real);
    real += 5_000;
    expect(manual.now()).toEqual(START);
    expect(wall.now().getTime()).toBe(START.getTime() + 5_000);
    manual.advance(60_000);
    wall.set(new Date('2027-01-01T00:00:00Z'));
    expect(manual.now().getTime()).toBe(START.getTime() + 60_000);
    expect(wall.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(() => manual.advance(-1)).toThrow(RangeError);
  });

  it('an execution is a planned timeline; its view at any instant is consistent', () => {
    const record = planExecution(
      {
        documentName: 'Doc',
        document: {
          name: 'Doc',
          owner: ACCOUNT,
          documentVersion: '1',
          description: '',
          createdDate: 0,
          parameters: [],
          steps: [
            { name: 'A', action: 'aws:executeAwsApi' },
            { name: 'B', action: 'aws:executeAwsApi' },
            { name: 'C', action: 'aws:executeAwsApi' },
          ],
          hash: '',
        },
        startTime: 1_000_000,
        status: 'Failed',
        failedStep: 'B',
        failure: { message: 'boom', details: { stage: 'Invocation', type: 'Action' } },
        pendingMs: 2_000,
        durationMs: 9_000,
        executedBy: 'me',
        parameters: {},
        trigger: 'manual',
      },
      new Random(1),
    );
    expect(record.steps.map((s) => [s.name, s.status])).toEqual([
      ['A', 'Success'],
      ['B', 'Failed'],
    ]);
    expect(record.failureMessage).toContain('boom');
    expect(projectExecution(record, 1_001_000).status).toBe('Pending');
    const running = projectExecution(record, record.steps[1]?.startTime ?? 0);
    expect(running.status).toBe('InProgress');
    expect(running.currentStep?.name).toBe('B');
    expect(running.steps.map((s) => s.status)).toEqual(['Success', 'InProgress']);
    const done = projectExecution(record, record.endTime);
    expect(done.status).toBe('Failed');
    expect(done.endTime).toBe(1_000_000 + 2_000 + 9_000);
  });
});

describe('the world API', () => {
  it('moving an execution to a terminal state shows in SSM and in Config', async () => {
    const sim = await startSimulator({ scenario: 'empty', startTime: START });
    try {
      const region = sim.world.region(ACCOUNT, 'us-east-1');
      region.addRule({
        name: 'restricted-ssh',
        sourceIdentifier: 'INCOMING_SSH_DISABLED',
        resourceTypes: ['AWS::EC2::SecurityGroup'],
      });
      region.setEvaluation('restricted-ssh', {
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-1',
        compliance: 'NON_COMPLIANT',
      });
      region.setRemediationConfiguration({
        ruleName: 'restricted-ssh',
        targetId: 'AWS-DisablePublicAccessForSecurityGroup',
        automatic: true,
      });
      const run = region.addExecution({
        documentName: 'AWS-DisablePublicAccessForSecurityGroup',
        durationMs: 600_000,
        remediation: {
          ruleName: 'restricted-ssh',
          resourceType: 'AWS::EC2::SecurityGroup',
          resourceId: 'sg-1',
        },
      });
      sim.clock.advance(10_000);
      const ssm = ssmClient(sim);
      const config = configClient(sim);
      const stateNow = async () => [
        (await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: run.id })))
          .AutomationExecution?.AutomationExecutionStatus,
        (
          await config.send(
            new DescribeRemediationExecutionStatusCommand({ ConfigRuleName: 'restricted-ssh' }),
          )
        ).RemediationExecutionStatuses?.[0]?.State,
      ];
      expect(await stateNow()).toEqual(['InProgress', 'IN_PROGRESS']);
      region.finishExecution(run.id, 'Failed', {
        failure: {
          message: 'An error occurred (UnauthorizedOperation)',
          details: { stage: 'Invocation', type: 'Permission' },
        },
      });
      expect(await stateNow()).toEqual(['Failed', 'FAILED']);
      const detail = await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: run.id }));
      expect(detail.AutomationExecution?.ExecutionEndTime).toEqual(sim.clock.now());
      expect(detail.AutomationExecution?.FailureMessage).toContain('UnauthorizedOperation');
      expect(sim.truth.finishedRemediations(ACCOUNT, 'us-east-1')).toMatchObject([
        { executionId: run.id, state: 'FAILED', failureType: 'Permission' },
      ]);

      // A deleted resource loses its results in every rule.
      region.addRule({ name: 'required-tags' });
      region.setEvaluation('required-tags', {
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-1',
        compliance: 'COMPLIANT',
      });
      expect(region.removeResource('AWS::EC2::SecurityGroup', 'sg-1').sort()).toEqual([
        'required-tags',
        'restricted-ssh',
      ]);
      expect(sim.truth.evaluationCounts(ACCOUNT, 'us-east-1').total).toEqual({
        COMPLIANT: 0,
        NON_COMPLIANT: 0,
        NOT_APPLICABLE: 0,
      });
      const noRule = await errorOf(
        Promise.resolve().then(() =>
          region.setEvaluation('nope', { resourceType: 'T', resourceId: 'x', compliance: 'COMPLIANT' }),
        ),
      );
      expect(noRule.message).toContain('no rule nope');
    } finally {
      await sim.close();
    }
  });

  it('the HTTP control API moves the clock, ticks and reports the truth', async () => {
    const sim = await startSimulator({ scenario: 'default', live: true, clock: 'manual', startTime: START });
    try {
      const post = (path: string, body?: unknown) =>
        fetch(`${sim.endpoint}/_simulator/${path}`, {
          method: 'POST',
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      expect(await (await post('clock', { advanceMs: 60_000 })).json()).toEqual({
        now: '2026-11-29T03:01:00.000Z',
      });
      expect((await post('clock', { set: 'nonsense' })).status).toBe(400);
      const before = sim.calls.lastSeq();
      expect((await post('tick')).status).toBe(200);
      expect(sim.calls.lastSeq()).toBe(before);
      const health = (await (await fetch(`${sim.endpoint}/_simulator/health`)).json()) as Record<
        string,
        unknown
      >;
      expect(health).toMatchObject({
        status: 'ok',
        scenario: 'default',
        now: '2026-11-29T03:01:00.000Z',
        regions: ['us-east-1', 'ap-northeast-2'],
      });
      const truth = (await (
        await fetch(`${sim.endpoint}/_simulator/truth/region?account=${ACCOUNT}&region=us-east-1`)
      ).json()) as {
        ruleCompliance: Record<string, string>;
        finishedRemediations: { succeeded: number; failed: number };
      };
      expect(truth.ruleCompliance['restricted-common-ports']).toBe('NON_COMPLIANT');
      expect(truth.finishedRemediations.failed).toBeGreaterThan(10);
      const summary = (await (await fetch(`${sim.endpoint}/_simulator/truth/summary`)).json()) as {
        regions: unknown[];
      };
      expect(summary.regions).toHaveLength(2);
      expect((await fetch(`${sim.endpoint}/_simulator/nope`)).status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it('startDemoAccount: the default scenario, live, with AWS rate limits', async () => {
    const demo = await startDemoAccount({ seed: 3 });
    try {
      expect(demo.regions).toEqual(['us-east-1', 'ap-northeast-2']);
      const common = {
        region: 'us-east-1',
        endpoint: demo.endpoint,
        credentials: demo.credentials,
        maxAttempts: 1,
      };
      const rules = await new ConfigServiceClient(common).send(new DescribeConfigRulesCommand({}));
      expect(rules.ConfigRules).toHaveLength(25);
      const ssm = new SSMClient(common);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => ssm.send(new DescribeAutomationExecutionsCommand({}))),
      );
      expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(4);
    } finally {
      await demo.close();
    }
  });
});
