import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '../../simulator';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import type { Exporter } from '../../src/exporter';
import { exporterFor, scrape, series, serve, startSim, sum, testConfig, getJson } from './harness';

describe('AWS failures', () => {
  let sim: RunningSimulator;
  let exporter: Exporter | undefined;

  afterEach(async () => {
    await exporter?.close();
    exporter = undefined;
    await sim?.close();
  });

  it('completes a poll through a throttling storm, with exact numbers and every throttle counted', async () => {
    sim = await startSim({ scenario: 'default', seed: 11 });
    sim.faults.add({ kind: 'throttle', probability: 0.3, times: 12 });
    exporter = exporterFor(sim, testConfig(sim, ['--aws.region=us-east-1']));
    await exporter.pollOnce();
    const samples = await scrape(exporter);
    expect(series(samples, 'compliance_pulse_poll_success').map((s) => s.value)).toEqual([1, 1, 1]);
    expect(sum(samples, 'compliance_pulse_aws_request_errors_total', { code: 'ThrottlingException' })).toBe(12);
    const throttled = sim.calls.entries().filter((c) => c.errorCode === 'ThrottlingException');
    expect(throttled).toHaveLength(12);
    const counts = sim.truth.evaluationCounts(DEFAULT_ACCOUNT_ID, 'us-east-1');
    const hidden = new Set(series(samples, 'aws_config_rule_evaluation_details_available').filter((s) => s.value === 0).map((s) => s.labels.rule));
    const visibleNoncompliant = Object.entries(counts.byRule).filter(([rule]) => !hidden.has(rule)).reduce((n, [, c]) => n + c.NON_COMPLIANT, 0);
    expect(sum(samples, 'aws_config_rule_evaluations', { compliance: 'NON_COMPLIANT' })).toBe(visibleNoncompliant);
    const finished = sim.truth.automationExecutions(DEFAULT_ACCOUNT_ID, 'us-east-1').filter((e) => e.endTime).length;
    expect(sum(samples, 'aws_ssm_automation_executions_total')).toBe(finished);
  });

  it('isolates a failing region: the other stays fresh, the failing one keeps its last data and says it is stale', async () => {
    sim = await startSim({ scenario: 'default', seed: 13 });
    exporter = exporterFor(sim, testConfig(sim, ['--poll.interval=60s', '--aws.max-attempts=3']));
    const served = await serve(exporter);
    try {
      await exporter.pollOnce();
      const before = await scrape(exporter);
      const seoul = { region: 'ap-northeast-2' };
      const seoulRules = series(before, 'aws_config_rule_info', seoul).length;

      // Seoul starts failing with server errors; Virginia gets a new violation.
      sim.faults.add({ kind: 'server-error', status: 503, region: 'ap-northeast-2' });
      sim.clock.advance(5 * 60_000);
      const virginia = sim.world.region(DEFAULT_ACCOUNT_ID, 'us-east-1');
      virginia.addRule({ name: 'iam-root-access-key-check', maximumExecutionFrequency: 'TwentyFour_Hours' });
      virginia.setEvaluation('iam-root-access-key-check', { resourceType: 'AWS::::Account', resourceId: DEFAULT_ACCOUNT_ID, compliance: 'NON_COMPLIANT' });
      await exporter.pollOnce();
      const after = await scrape(exporter);

      expect(series(after, 'compliance_pulse_poll_success', { region: 'us-east-1' }).map((s) => s.value)).toEqual([1, 1, 1]);
      expect(series(after, 'compliance_pulse_poll_success', seoul).map((s) => s.value)).toEqual([0, 0, 0]);
      expect(sum(after, 'compliance_pulse_poll_failures_total', seoul)).toBe(3);
      expect(sum(after, 'aws_config_rule_evaluations', { rule: 'iam-root-access-key-check', compliance: 'NON_COMPLIANT' })).toBe(1);
      // Seoul's numbers are the last good ones, and its last success did not move.
      expect(series(after, 'aws_config_rule_info', seoul)).toHaveLength(seoulRules);
      expect(series(after, 'compliance_pulse_last_successful_poll_timestamp_seconds', seoul)).toEqual(series(before, 'compliance_pulse_last_successful_poll_timestamp_seconds', seoul));

      // 15 minutes later the API calls it stale, naming the region; Virginia stays fresh.
      sim.clock.advance(10 * 60_000);
      await exporter.pollOnce();
      const { body } = await getJson(`${served.url}/api/v1/summary`);
      expect(body.stale).toBe(true);
      expect(body.stale_sources).toEqual(['123456789012/ap-northeast-2/config', '123456789012/ap-northeast-2/remediation', '123456789012/ap-northeast-2/ssm']);
      expect(body.targets.find((t: { region: string; source: string }) => t.region === 'ap-northeast-2' && t.source === 'config').last_error).toContain('ServiceUnavailable');

      // Seoul recovers.
      sim.faults.clear();
      await exporter.pollOnce();
      expect(sum(await scrape(exporter), 'compliance_pulse_poll_success', seoul)).toBe(3);
      expect((await getJson(`${served.url}/api/v1/summary`)).body.stale).toBe(false);
    } finally {
      await served.close();
    }
  });

  it('survives malformed answers and dropped connections, and recovers on the next poll', async () => {
    sim = await startSim({ scenario: 'default', seed: 17 });
    exporter = exporterFor(sim, testConfig(sim, ['--aws.region=us-east-1']));
    sim.faults.add({ kind: 'malformed-body', operation: 'DescribeComplianceByConfigRule', times: 1 });
    sim.faults.add({ kind: 'drop-connection', operation: 'DescribeAutomationExecutions', times: 1 });
    await exporter.pollOnce();
    let samples = await scrape(exporter);
    // A body that does not parse is not retried by the SDK: the Config source fails this time.
    expect(sum(samples, 'compliance_pulse_poll_success', { source: 'config' })).toBe(0);
    // A dropped connection is retried: SSM succeeded.
    expect(sum(samples, 'compliance_pulse_poll_success', { source: 'ssm' })).toBe(1);
    expect(sum(samples, 'compliance_pulse_aws_request_errors_total', { operation: 'DescribeAutomationExecutions' })).toBe(1);
    await exporter.pollOnce();
    samples = await scrape(exporter);
    expect(sum(samples, 'compliance_pulse_poll_success')).toBe(3);
  });

  it('conformance pack scores that cannot be read do not fail compliance: the last scores stay', async () => {
    sim = await startSim({ scenario: 'default', seed: 23 });
    exporter = exporterFor(sim, testConfig(sim, ['--aws.region=us-east-1', '--aws.max-attempts=2']));
    await exporter.pollOnce();
    const scores = series(await scrape(exporter), 'aws_config_conformance_pack_compliance_score_ratio');
    expect(scores.length).toBeGreaterThan(0);
    sim.faults.add({ kind: 'server-error', status: 500, operation: 'ListConformancePackComplianceScores' });
    sim.clock.advance(60_000);
    await exporter.pollOnce();
    const samples = await scrape(exporter);
    expect(sum(samples, 'compliance_pulse_poll_success', { source: 'config' })).toBe(1);
    expect(series(samples, 'aws_config_conformance_pack_compliance_score_ratio')).toEqual(scores);
    expect(sum(samples, 'compliance_pulse_aws_request_errors_total', { operation: 'ListConformancePackComplianceScores' })).toBe(2);
  });

  it('calls nothing outside the shipped least-privilege IAM policy', async () => {
    sim = await startSim({ scenario: 'default', seed: 19 });
    exporter = exporterFor(sim, testConfig(sim));
    await exporter.pollOnce();
    sim.clock.advance(60_000);
    sim.tick();
    await exporter.pollOnce();
    const policy = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'iam-policy.json'), 'utf8')) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
    const called = new Set(sim.calls.entries().map((c) => c.action));
    expect([...called].filter((action) => !allowed.has(action))).toEqual([]);
    // And the policy is read-only: every action is a Describe, Get or List.
    expect([...allowed].filter((action) => !/^[a-z]+:(Describe|Get|List)/.test(action))).toEqual([]);
    // The poll exercised every action the policy grants, so the policy is not wider than needed.
    expect([...allowed].filter((action) => !called.has(action))).toEqual([]);
  });
});
