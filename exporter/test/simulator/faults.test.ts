import {
  ConfigServiceServiceException,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
  DescribeRemediationExecutionStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import { DescribeAutomationExecutionsCommand, DescribeDocumentCommand } from '@aws-sdk/client-ssm';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { validateFault } from '../../simulator/faults';
import { configClient, errorOf, ssmClient, START, waitFor } from './helpers';

const ACCOUNT = '123456789012';

async function settle<T>(calls: Array<Promise<T>>): Promise<{ ok: number; errors: string[] }> {
  const results = await Promise.allSettled(calls);
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    errors: results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as Error).name),
  };
}

describe('faults, rate limits and the call log', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'empty', startTime: START, seed: 7 });
    for (const region of ['us-east-1', 'ap-northeast-2'])
      sim.world.region(ACCOUNT, region).addRule({ name: 'r1' });
  });

  afterEach(() => {
    sim.faults.clear();
    sim.calls.clear();
  });

  afterAll(() => sim.close());

  it("a burst of throttling is absorbed by the SDK's own retries", async () => {
    sim.faults.add({ kind: 'throttle', operation: 'DescribeConfigRules', times: 2 });
    const answer = await configClient(sim, { maxAttempts: 4 }).send(new DescribeConfigRulesCommand({}));
    expect(answer.$metadata.attempts).toBe(3);
    expect(answer.ConfigRules?.map((r) => r.ConfigRuleName)).toEqual(['r1']);
    const calls = sim.calls.entries();
    expect(calls.map((c) => [c.errorCode ?? 'ok', c.attempt])).toEqual([
      ['ThrottlingException', 1],
      ['ThrottlingException', 2],
      ['ok', 3],
    ]);
    expect(calls[0]).toMatchObject({
      service: 'config',
      operation: 'DescribeConfigRules',
      action: 'config:DescribeConfigRules',
      status: 400,
      accountId: ACCOUNT,
      region: 'us-east-1',
      maxAttempts: 4,
    });
  });

  it('throttling beyond the retries surfaces as ThrottlingException (unmodeled, base class, client fault)', async () => {
    sim.faults.add({ kind: 'throttle', times: 5 });
    const error = await errorOf(
      configClient(sim, { maxAttempts: 2 }).send(new DescribeConfigRulesCommand({})),
    );
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(error).toBeInstanceOf(ConfigServiceServiceException);
    expect(error.$metadata?.attempts).toBe(2);
  });

  it('5xx and dropped connections are retried; access denied is not', async () => {
    sim.faults.add({ kind: 'server-error', status: 503, operation: 'ssm:DescribeDocument', times: 1 });
    const afterServerError = await errorOf(
      ssmClient(sim, { maxAttempts: 2 }).send(new DescribeDocumentCommand({ Name: 'Missing-Doc' })),
    );
    expect(afterServerError.name).toBe('InvalidDocument');
    expect(sim.calls.entries().map((c) => c.status)).toEqual([503, 400]);

    sim.calls.clear();
    sim.faults.add({ kind: 'drop-connection', times: 1 });
    const afterDrop = await configClient(sim, { maxAttempts: 2 }).send(new DescribeConfigRulesCommand({}));
    expect(afterDrop.$metadata.attempts).toBe(2);
    expect(sim.calls.entries()[0]?.errorCode).toBe('ConnectionDropped');

    sim.faults.add({ kind: 'access-denied', operation: 'DescribeAutomationExecutions' });
    const denied = await errorOf(
      ssmClient(sim, { maxAttempts: 3 }).send(new DescribeAutomationExecutionsCommand({})),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('ssm:DescribeAutomationExecutions');
    expect(denied.$metadata?.attempts).toBe(1);
  });

  it('a malformed body fails deserialization; latency delays the answer', async () => {
    sim.faults.add({ kind: 'malformed-body', times: 1 });
    await expect(configClient(sim).send(new DescribeConfigRulesCommand({}))).rejects.toThrow();
    sim.faults.add({ kind: 'latency', ms: 150 });
    const started = Date.now();
    await configClient(sim).send(new DescribeConfigRulesCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sim.calls.entries()[1]?.durationMs).toBeGreaterThanOrEqual(140);
  });

  it('faults are scoped by account, region and operation', async () => {
    sim.faults.add({
      kind: 'throttle',
      region: 'ap-northeast-2',
      accountId: ACCOUNT,
      operation: ['DescribeConfigRules'],
    });
    await configClient(sim).send(new DescribeConfigRulesCommand({}));
    await ssmClient(sim, { region: 'ap-northeast-2' }).send(new DescribeAutomationExecutionsCommand({}));
    const error = await errorOf(
      configClient(sim, { region: 'ap-northeast-2' }).send(new DescribeConfigRulesCommand({})),
    );
    expect(error.name).toBe('ThrottlingException');
    sim.world.region('210987654321', 'ap-northeast-2').addRule({ name: 'other-account-rule' });
    const other = await configClient(sim, {
      region: 'ap-northeast-2',
      credentials: sim.credentials('210987654321'),
    }).send(new DescribeConfigRulesCommand({}));
    expect(other.ConfigRules?.map((r) => r.ConfigRuleName)).toEqual(['other-account-rule']);
  });

  it('a hang fault never answers: the SDK times out and retries, the call log records the hung attempt', async () => {
    const id = sim.faults.add({ kind: 'hang', operation: 'DescribeConfigRules', times: 1 });
    const answer = await configClient(sim, { maxAttempts: 2, requestTimeout: 500 }).send(
      new DescribeConfigRulesCommand({}),
    );
    expect(answer.$metadata.attempts).toBe(2);
    await waitFor(() => sim.calls.entries().length === 2, 'both attempts are logged');
    const hung = sim.calls.entries().find((c) => c.attempt === 1);
    expect(hung).toMatchObject({ errorCode: 'Hung', status: 0, faultId: id });
    expect(hung?.durationMs).toBeGreaterThanOrEqual(450);
    expect(sim.calls.entries().find((c) => c.attempt === 2)?.status).toBe(200);
  });

  it('a hung request stays open until close(), which destroys it and resolves promptly', async () => {
    const hanging = await startSimulator({ scenario: 'empty', startTime: START });
    hanging.faults.add({ kind: 'hang', times: 1 });
    const request = configClient(hanging).send(new DescribeConfigRulesCommand({}));
    const failure = errorOf(request);
    // The fault removes itself when it is applied: the request has arrived and hangs.
    await waitFor(() => hanging.faults.list().length === 0, 'the request arrives');
    const started = Date.now();
    await hanging.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await failure).message).toMatch(/socket hang up|ECONNRESET/);
    expect(hanging.calls.entries().map((c) => c.errorCode)).toEqual(['Hung']);
  });

  it('a fault scoped to a rule hits only requests that name that rule', async () => {
    const region = sim.world.region(ACCOUNT, 'us-east-1');
    region.addRule({ name: 'r2' });
    try {
      sim.faults.add({ kind: 'throttle', rule: 'r1' });
      const config = configClient(sim);
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          () => 'ok',
          (error: Error) => error.name,
        );
      expect(
        await Promise.all([
          outcome(config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'r1' }))),
          outcome(config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'r2' }))),
          outcome(config.send(new DescribeRemediationExecutionStatusCommand({ ConfigRuleName: 'r1' }))),
          outcome(config.send(new DescribeConfigRulesCommand({ ConfigRuleNames: ['r2', 'r1'] }))),
          outcome(config.send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: ['r2'] }))),
          outcome(config.send(new DescribeConfigRulesCommand({}))),
        ]),
      ).toEqual(['ThrottlingException', 'ok', 'ThrottlingException', 'ThrottlingException', 'ok', 'ok']);
      expect(() => validateFault({ kind: 'throttle', rule: 7 })).toThrow('fault rule must be a string');
      expect(validateFault({ kind: 'hang', rule: 'r1' })).toEqual({ kind: 'hang', rule: 'r1' });
    } finally {
      region.removeRule('r2');
    }
  });

  it('probabilistic faults follow the seed: same seed, same pattern', async () => {
    const pattern = async (target: RunningSimulator): Promise<string> => {
      target.faults.add({ kind: 'throttle', probability: 0.5 });
      let out = '';
      for (let i = 0; i < 40; i++) {
        out += await configClient(target)
          .send(new DescribeConfigRulesCommand({}))
          .then(
            () => '.',
            () => 'T',
          );
      }
      return out;
    };
    const twin = await startSimulator({ scenario: 'empty', startTime: START, seed: 7 });
    try {
      const a = await pattern(sim);
      const b = await pattern(twin);
      expect(a).toBe(b);
      expect(a).toContain('T');
      expect(a).toContain('.');
    } finally {
      await twin.close();
    }
  });

  it('the aws rate-limit preset throttles above the budget; off does not', async () => {
    const limited = await startSimulator({ scenario: 'empty', startTime: START, rateLimits: 'aws' });
    try {
      limited.world.region(ACCOUNT, 'us-east-1').addRule({ name: 'r1' });
      const ssm = await settle(
        Array.from({ length: 10 }, () =>
          ssmClient(limited).send(new DescribeAutomationExecutionsCommand({})),
        ),
      );
      expect(ssm.ok).toBeGreaterThanOrEqual(3);
      expect(ssm.ok).toBeLessThanOrEqual(4);
      expect(ssm.errors.every((name) => name === 'ThrottlingException')).toBe(true);
      const config = await settle(
        Array.from({ length: 16 }, () => configClient(limited).send(new DescribeConfigRulesCommand({}))),
      );
      expect(config.ok).toBeGreaterThanOrEqual(10);
      expect(config.ok).toBeLessThanOrEqual(11);
      // Budgets are per account, region and operation.
      const otherRegion = await settle(
        Array.from({ length: 3 }, () =>
          ssmClient(limited, { region: 'ap-northeast-2' }).send(new DescribeAutomationExecutionsCommand({})),
        ),
      );
      expect(otherRegion.ok).toBe(3);
    } finally {
      await limited.close();
    }
    const open = await settle(
      Array.from({ length: 20 }, () => ssmClient(sim).send(new DescribeAutomationExecutionsCommand({}))),
    );
    expect(open.ok).toBe(20);
  });

  it('a rate-limit fault gives one operation its own budget', async () => {
    sim.faults.add({ kind: 'rate-limit', operation: 'DescribeConfigRules', tps: 1, burst: 2 });
    const result = await settle(
      Array.from({ length: 5 }, () => configClient(sim).send(new DescribeConfigRulesCommand({}))),
    );
    expect(result.ok).toBe(2);
  });

  it('the HTTP control API adds faults and reads the call log', async () => {
    const added = await fetch(`${sim.endpoint}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'throttle', operation: 'DescribeConfigRules', times: 1 }),
    });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: string };
    expect(id).toMatch(/^fault-/);
    const before = sim.calls.lastSeq();
    await errorOf(configClient(sim).send(new DescribeConfigRulesCommand({})));
    await configClient(sim).send(new DescribeConfigRulesCommand({}));
    const log = (await (await fetch(`${sim.endpoint}/_simulator/calls?since=${before}`)).json()) as {
      entries: Array<{ errorCode?: string; faultId?: string; seq: number }>;
      lastSeq: number;
    };
    expect(log.entries.map((e) => e.errorCode ?? 'ok')).toEqual(['ThrottlingException', 'ok']);
    expect(log.entries[0]?.faultId).toBe(id);
    expect(log.lastSeq).toBe(before + 2);

    const bad = await fetch(`${sim.endpoint}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'explode' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('fault kind');
    expect((await fetch(`${sim.endpoint}/_simulator/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.faults.list()).toEqual([]);
  });
});
