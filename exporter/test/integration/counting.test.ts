import type { RunningSimulator } from '../../simulator';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import type { Config } from '../../src/config/load';
import type { Exporter } from '../../src/exporter';
import { exporterFor, scrape, series, startSim, sum, testConfig, type Sample } from './harness';

const SUCCESS = new Set(['Success', 'CompletedWithSuccess']);
const counters = (samples: Sample[]) =>
  new Map(samples.filter((s) => s.name.endsWith('_total') && s.name.startsWith('aws_')).map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]));

/** Moves the simulated account forward: new violations, remediations starting and finishing. */
function live(sim: RunningSimulator, minutes: number): void {
  for (let i = 0; i < minutes * 6; i++) {
    sim.clock.advance(10_000);
    sim.tick();
  }
}

/** What the exporter should have counted: every finished execution and remediation it could ever have seen. */
class Ledger {
  readonly executions = new Map<string, string>();
  readonly remediations = new Set<string>();

  constructor(private readonly sim: RunningSimulator) {}

  observe(): void {
    for (const region of this.sim.regions) {
      for (const e of this.sim.truth.automationExecutions(DEFAULT_ACCOUNT_ID, region)) {
        if (e.endTime) this.executions.set(e.executionId, e.status);
      }
      const state = this.sim.world.region(DEFAULT_ACCOUNT_ID, region);
      for (const config of state.remediationConfigurations()) {
        for (const s of this.sim.truth.remediationStatuses(DEFAULT_ACCOUNT_ID, region, config.ruleName)) {
          if (s.state === 'SUCCEEDED' || s.state === 'FAILED') {
            this.remediations.add(`${region}|${config.ruleName}|${s.resourceType}|${s.resourceId}|${s.invocationTime}`);
          }
        }
      }
    }
  }
}

describe('counting each execution once', () => {
  let sim: RunningSimulator;
  let exporter: Exporter | undefined;

  afterEach(async () => {
    await exporter?.close();
    exporter = undefined;
    await sim?.close();
  });

  it('counts across polls and restarts exactly once, and never lowers a counter', async () => {
    sim = await startSim({ scenario: 'default', seed: 3 });
    const config: Config = testConfig(sim);
    const ledger = new Ledger(sim);

    exporter = exporterFor(sim, config);
    ledger.observe();
    await exporter.pollOnce();
    await exporter.pollOnce();
    let samples = await scrape(exporter);
    expect(sum(samples, 'aws_ssm_automation_executions_total')).toBe(ledger.executions.size);
    expect(sum(samples, 'aws_ssm_automation_executions_total', { status: 'Success' })).toBe([...ledger.executions.values()].filter((s) => s === 'Success').length);
    expect(sum(samples, 'aws_config_remediation_executions_total')).toBe(ledger.remediations.size);
    const failedSsm = [...ledger.executions.values()].filter((s) => !SUCCESS.has(s)).length;
    expect(sum(samples, 'aws_ssm_automation_execution_failures_total')).toBe(failedSsm);
    const before = counters(samples);

    // Restart on the same store: nothing new, nothing counted twice, nothing lowered.
    await exporter.close();
    exporter = exporterFor(sim, config);
    await exporter.pollOnce();
    samples = await scrape(exporter);
    expect(counters(samples)).toEqual(before);

    // The account moves on while the exporter is down; the next start counts what finished meanwhile.
    await exporter.close();
    exporter = undefined;
    live(sim, 20);
    ledger.observe();
    exporter = exporterFor(sim, config);
    await exporter.pollOnce();
    live(sim, 10);
    ledger.observe();
    await exporter.pollOnce();
    samples = await scrape(exporter);
    expect(sum(samples, 'aws_ssm_automation_executions_total')).toBe(ledger.executions.size);
    expect(sum(samples, 'aws_config_remediation_executions_total')).toBe(ledger.remediations.size);
    const after = counters(samples);
    for (const [key, value] of before) expect([key, after.get(key)! >= value]).toEqual([key, true]);
    expect(ledger.executions.size).toBeGreaterThan(before.size);
  });

  it('reads SSM history once, then incrementally from the newest start seen', async () => {
    sim = await startSim({ scenario: 'default', seed: 5 });
    const config = testConfig(sim, ['--aws.region=us-east-1', '--ssm.overlap=15m']);
    exporter = exporterFor(sim, config);
    const nowSeconds = () => sim.clock.now().getTime() / 1000;
    const startTimeAfter = (seq: number) =>
      sim.calls
        .since(seq)
        .filter((c) => c.operation === 'DescribeAutomationExecutions')
        .map((c) => (c.params as { Filters?: { Key: string; Values: string[] }[] }).Filters?.find((f) => f.Key === 'StartTimeAfter')?.Values[0]);

    const first = sim.calls.lastSeq();
    await exporter.pollOnce();
    const backfill = startTimeAfter(first);
    expect(backfill.length).toBeGreaterThan(1);
    expect(Date.parse(backfill[0] as string) / 1000).toBeCloseTo(nowSeconds() - 30 * 86400, -1);

    live(sim, 5);
    const newest = Math.max(...sim.truth.automationExecutions(DEFAULT_ACCOUNT_ID, 'us-east-1').filter((e) => e.startTime.getTime() / 1000 <= nowSeconds() - 300).map((e) => e.startTime.getTime() / 1000));
    const second = sim.calls.lastSeq();
    await exporter.pollOnce();
    const incremental = startTimeAfter(second);
    expect(incremental).toHaveLength(1);
    // It starts 15 minutes before the newest execution seen by the first poll, not 30 days back.
    expect(Date.parse(incremental[0] as string) / 1000).toBeGreaterThan(nowSeconds() - 3 * 3600);
    expect(Date.parse(incremental[0] as string) / 1000).toBeLessThanOrEqual(newest);
    const samples = await scrape(exporter);
    const finished = sim.truth.automationExecutions(DEFAULT_ACCOUNT_ID, 'us-east-1').filter((e) => e.endTime).length;
    expect(sum(samples, 'aws_ssm_automation_executions_total')).toBe(finished);
    const running = sim.truth.automationExecutions(DEFAULT_ACCOUNT_ID, 'us-east-1').filter((e) => !e.endTime).length;
    expect(sum(samples, 'aws_ssm_automation_executions_running')).toBe(running);
    expect(series(samples, 'aws_ssm_automation_execution_duration_seconds_count').reduce((n, s) => n + s.value, 0)).toBe(finished);
  });
});
