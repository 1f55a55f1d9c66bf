import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { RunningSimulator } from '../../simulator';
import { AGGREGATOR_NAME, MANAGEMENT_ACCOUNT_ID } from '../../simulator';
import { assumeRoleProvider, REFRESH_BEFORE_EXPIRY_MS } from '../../src/aws/assume-role';
import type { Exporter } from '../../src/exporter';
import { exporterFor, scrape, series, startSim, sum, tempStorePath, testConfig, type Sample } from './harness';

const EXTERNAL_ID = 'compliance-pulse-test';

/** A YAML configuration listing every account of the simulated organisation, read through its role. */
function organizationConfig(sim: RunningSimulator, overrides: Record<string, { external_id?: string }> = {}): string {
  const path = join(dirname(tempStorePath()), 'config.yaml');
  writeFileSync(
    path,
    stringify({
      aws: {
        regions: ['us-east-1'],
        aggregator: AGGREGATOR_NAME,
        external_id: EXTERNAL_ID,
        accounts: sim.accountIds.map((account_id) => ({ account_id, regions: sim.regions, ...overrides[account_id] })),
      },
    }),
  );
  return path;
}

describe('an organisation through a Config aggregator and assumed roles', () => {
  let sim: RunningSimulator;
  let exporter: Exporter | undefined;

  beforeEach(async () => {
    sim = await startSim({ scenario: 'organization', members: 2, externalId: EXTERNAL_ID });
  });

  afterEach(async () => {
    await exporter?.close();
    exporter = undefined;
    await sim.close();
  });

  it('equals the ground truth for every account, region and rule, with no request throttled', async () => {
    await sim.close();
    sim = await startSim({ scenario: 'organization', members: 2, externalId: EXTERNAL_ID, rateLimits: 'aws' });
    // A rule above Config's cap of 100 in a member account, so that the exact count must be paged through.
    const member = sim.accountIds.find((a) => a !== MANAGEMENT_ACCOUNT_ID) as string;
    const busy = sim.world.region(member, 'eu-west-1');
    const crowded = busy.rules()[0]?.name as string;
    for (let i = 0; i < 180; i++) busy.setEvaluation(crowded, { resourceType: 'AWS::S3::Bucket', resourceId: `crowded-bucket-${i}`, compliance: 'NON_COMPLIANT' });
    const flags = [`--config.file=${organizationConfig(sim)}`, '--aws.config-requests-per-second=4', '--aws.ssm-requests-per-second=2', '--ssm.lookback=2d'];
    exporter = exporterFor(sim, testConfig(sim, flags), MANAGEMENT_ACCOUNT_ID);
    await exporter.pollOnce();
    const samples = await scrape(exporter);
    let rules = 0;
    for (const accountId of sim.accountIds) {
      for (const region of sim.regions) {
        const where = { account_id: accountId, region };
        const compliance = sim.truth.ruleCompliance(accountId, region);
        for (const [rule, state] of Object.entries(compliance)) {
          if (state === 'INSUFFICIENT_DATA') continue; // the aggregator lists only rules with results
          rules++;
          expect([accountId, region, rule, series(samples, 'aws_config_rule_compliance', { ...where, rule }).map((s) => s.labels.compliance)]).toEqual([accountId, region, rule, [state]]);
          expect([accountId, region, rule, sum(samples, 'aws_config_rule_noncompliant_resources', { ...where, rule })]).toEqual([
            accountId,
            region,
            rule,
            sim.truth.noncompliantCount(accountId, region, rule),
          ]);
        }
        // Remediation and SSM history come from each account itself, through its role (two days of it here).
        const since = sim.clock.now().getTime() - 2 * 86_400_000;
        const finished = sim.truth.automationExecutions(accountId, region).filter((e) => e.endTime && e.startTime.getTime() >= since).length;
        expect([accountId, region, sum(samples, 'aws_ssm_automation_executions_total', where)]).toEqual([accountId, region, finished]);
        expect(series(samples, 'compliance_pulse_poll_success', where).map((s) => s.value)).toEqual([1, 1, 1]);
      }
    }
    expect(rules).toBeGreaterThan(1000);
    expect(sim.calls.entries().filter((c) => c.operation === 'GetAggregateComplianceDetailsByConfigRule').length).toBeGreaterThanOrEqual(2);
    // Exact beyond the cap: the crowded rule's row exceeded Config's 100 and was counted from its details.
    expect(sum(samples, 'aws_config_rule_noncompliant_resources', { account_id: member, region: 'eu-west-1', rule: crowded })).toBeGreaterThanOrEqual(180);
    expect(sim.calls.entries().filter((c) => c.errorCode === 'ThrottlingException')).toEqual([]);
    // No per-resource reads in member accounts: the aggregator replaces them.
    expect(sim.calls.entries().filter((c) => c.operation === 'GetComplianceDetailsByConfigRule')).toEqual([]);
    // One role assumption per account, reused for its four regions.
    expect(sim.calls.entries().filter((c) => c.action === 'sts:AssumeRole')).toHaveLength(sim.accountIds.length);

    // Least privilege: member accounts see only the read-only role policy's actions; the aggregator's
    // account and region also its own policy's.
    const actions = (file: string) =>
      new Set(
        (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', file), 'utf8')) as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action),
      );
    const readOnly = actions('iam-policy.json');
    const aggregator = actions('iam-policy-aggregator.json');
    const outside = sim.calls
      .entries()
      .filter((c) => !readOnly.has(c.action) && !(aggregator.has(c.action) && c.accountId === MANAGEMENT_ACCOUNT_ID && c.region === 'us-east-1'));
    expect(outside.map((c) => `${c.accountId}/${c.region} ${c.action}`)).toEqual([]);
  });

  it('a capped row whose details fail affects only that account and rule', async () => {
    const member = sim.accountIds.find((a) => a !== MANAGEMENT_ACCOUNT_ID) as string;
    const busy = sim.world.region(member, 'eu-west-1');
    const [failing, healthy] = busy.rules().map((r) => r.name) as [string, string];
    const crowd = (rule: string, from: number, to: number) => {
      for (let i = from; i < to; i++) busy.setEvaluation(rule, { resourceType: 'AWS::S3::Bucket', resourceId: `crowded-bucket-${i}`, compliance: 'NON_COMPLIANT' });
    };
    crowd(failing, 0, 150);
    crowd(healthy, 0, 150);
    // Above the cap a row shows no change (CappedCount stays 100): its exact count is read again at the full
    // refresh, made due at every poll here.
    const flags = [`--config.file=${organizationConfig(sim)}`, '--aws.max-attempts=2', '--ssm.lookback=2d', '--poll.full-refresh-interval=30s'];
    exporter = exporterFor(sim, testConfig(sim, flags), MANAGEMENT_ACCOUNT_ID);
    await exporter.pollOnce();
    const before = await scrape(exporter);
    const exact = (samples: Sample[], rule: string) => sum(samples, 'aws_config_rule_noncompliant_resources', { account_id: member, region: 'eu-west-1', rule });
    expect(exact(before, failing)).toBe(sim.truth.noncompliantCount(member, 'eu-west-1', failing));

    // Both rows grow; one rule's details now fail every attempt.
    sim.faults.add({ kind: 'server-error', status: 500, operation: 'GetAggregateComplianceDetailsByConfigRule', rule: failing });
    sim.clock.advance(60_000);
    crowd(failing, 150, 170);
    crowd(healthy, 150, 190);
    await exporter.pollOnce();
    const after = await scrape(exporter);
    expect(exact(after, healthy)).toBe(sim.truth.noncompliantCount(member, 'eu-west-1', healthy));
    expect(exact(after, failing)).toBe(exact(before, failing));
    const stale = series(after, 'aws_config_rule_results_stale_since_timestamp_seconds');
    expect(stale.map((s) => [s.labels.account_id, s.labels.region, s.labels.rule, s.labels.reason])).toEqual([[member, 'eu-west-1', failing, 'read_failed']]);
    expect(series(after, 'compliance_pulse_poll_success', { source: 'config' }).every((s) => s.value === 1)).toBe(true);

    sim.faults.clear();
    await exporter.pollOnce();
    const recovered = await scrape(exporter);
    expect(exact(recovered, failing)).toBe(sim.truth.noncompliantCount(member, 'eu-west-1', failing));
    expect(series(recovered, 'aws_config_rule_results_stale_since_timestamp_seconds')).toEqual([]);
  });

  it('isolates an account whose role cannot be assumed', async () => {
    const broken = sim.accountIds[1] as string;
    const config = testConfig(sim, [`--config.file=${organizationConfig(sim, { [broken]: { external_id: 'wrong-external-id' } })}`, '--aws.max-attempts=2']);
    exporter = exporterFor(sim, config, MANAGEMENT_ACCOUNT_ID);
    await exporter.pollOnce();
    const samples = await scrape(exporter);
    const status = (account: string, source: string) => series(samples, 'compliance_pulse_poll_success', { account_id: account, source }).map((s) => s.value);
    expect(status(broken, 'ssm')).toEqual([0, 0, 0, 0]);
    expect(status(broken, 'remediation')).toEqual([0, 0, 0, 0]);
    // Its Config data still arrives through the aggregator; the other accounts are untouched.
    expect(status(broken, 'config')).toEqual([1, 1, 1, 1]);
    for (const account of sim.accountIds.filter((a) => a !== broken)) expect(status(account, 'ssm')).toEqual([1, 1, 1, 1]);
    const failing = exporter.state.targets().find((t) => t.target.accountId === broken)?.status.ssm;
    expect(failing?.lastError).toContain('AccessDenied');
  });

  it('produces the same series from two exporters on the same targets (for deduplication)', async () => {
    const file = organizationConfig(sim);
    const a = exporterFor(sim, testConfig(sim, [`--config.file=${file}`]), MANAGEMENT_ACCOUNT_ID);
    const b = exporterFor(sim, testConfig(sim, [`--config.file=${file}`]), MANAGEMENT_ACCOUNT_ID);
    try {
      await a.pollOnce();
      await b.pollOnce();
      const aws = (samples: Sample[]) => samples.filter((s) => s.name.startsWith('aws_')).map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`).sort();
      const fromA = aws(await scrape(a));
      expect(fromA.length).toBeGreaterThan(400);
      expect(aws(await scrape(b))).toEqual(fromA);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('assumed-role credentials', () => {
  it('are cached, shared by concurrent callers, and renewed before they expire', async () => {
    const sim = await startSim({ scenario: 'organization', members: 1, externalId: EXTERNAL_ID });
    try {
      let now = Date.now();
      const member = sim.accountIds.find((a) => a !== MANAGEMENT_ACCOUNT_ID) as string;
      const calls = () => sim.calls.entries().filter((c) => c.action === 'sts:AssumeRole').length;
      const provider = assumeRoleProvider({
        roleArn: `arn:aws:iam::${member}:role/CompliancePulseReadOnly`,
        externalId: EXTERNAL_ID,
        region: 'us-east-1',
        connection: { endpoint: sim.endpoint, credentials: sim.credentials(MANAGEMENT_ACCOUNT_ID), maxAttempts: 1, requestTimeoutMs: 5000 },
        observer: { request: () => undefined, error: () => undefined },
        nowMs: () => now,
      });
      const [first, second] = await Promise.all([provider(), provider()]);
      expect(first).toBe(second);
      expect(first.accessKeyId).toContain(member);
      expect(calls()).toBe(1);
      now = first.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS - 1000;
      expect(await provider()).toBe(first);
      expect(calls()).toBe(1);
      now = first.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS + 1000;
      const renewed = await provider();
      expect(calls()).toBe(2);
      expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    } finally {
      await sim.close();
    }
  });
});

describe('change-driven polling', () => {
  it('re-reads nothing per rule when nothing changed, and only what changed', async () => {
    const sim = await startSim({ scenario: 'default', seed: 29 });
    const exporter = exporterFor(sim, testConfig(sim, ['--aws.region=us-east-1']));
    try {
      await exporter.pollOnce();
      const count = (since: number, operation: string) => sim.calls.since(since).filter((c) => c.operation === operation).length;
      let mark = sim.calls.lastSeq();
      await exporter.pollOnce();
      const region = sim.world.region('123456789012', 'us-east-1');
      // Statuses are re-read only for rules whose runbook still has a run going.
      const running = new Set(sim.truth.automationExecutions('123456789012', 'us-east-1').filter((e) => !e.endTime).map((e) => e.documentName));
      const expected = region.remediationConfigurations().filter((c) => running.has(c.targetId)).length;
      expect(count(mark, 'GetComplianceDetailsByConfigRule')).toBe(0);
      expect(count(mark, 'DescribeRemediationExecutionStatus')).toBe(expected);
      expect(expected).toBeLessThan(region.remediationConfigurations().length);
      expect(count(mark, 'DescribeConfigRules')).toBe(0);
      expect(count(mark, 'DescribeRemediationConfigurations')).toBe(0);
      expect(count(mark, 'DescribeComplianceByConfigRule')).toBeGreaterThan(0);

      // One rule gets a new violation: only that rule is re-read.
      const rule = region.rules().find((r) => !r.createdBy && region.remediationConfiguration(r.name) === undefined) as { name: string };
      sim.clock.advance(60_000);
      region.setEvaluation(rule.name, { resourceType: 'AWS::S3::Bucket', resourceId: 'brand-new-bucket', compliance: 'NON_COMPLIANT' });
      region.updateEvaluationStatus(rule.name, { lastSuccessfulEvaluationTime: sim.clock.now().getTime() });
      mark = sim.calls.lastSeq();
      await exporter.pollOnce();
      const details = sim.calls.since(mark).filter((c) => c.operation === 'GetComplianceDetailsByConfigRule');
      expect(details.map((c) => (c.params as { ConfigRuleName: string }).ConfigRuleName)).toEqual([rule.name]);
      const samples = await scrape(exporter);
      expect(sum(samples, 'aws_config_rule_noncompliant_resources', { rule: rule.name })).toBe(sim.truth.noncompliantCount('123456789012', 'us-east-1', rule.name));

      // A remediation runs: only its rule's statuses are re-read.
      sim.clock.advance(60_000);
      for (let i = 0; i < 12; i++) {
        sim.clock.advance(10_000);
        sim.tick();
      }
      mark = sim.calls.lastSeq();
      await exporter.pollOnce();
      const reread = new Set(sim.calls.since(mark).filter((c) => c.operation === 'DescribeRemediationExecutionStatus').map((c) => (c.params as { ConfigRuleName: string }).ConfigRuleName));
      const configured = region.remediationConfigurations().length;
      expect(reread.size).toBeLessThan(configured);
    } finally {
      await exporter.close();
      await sim.close();
    }
  });
});
