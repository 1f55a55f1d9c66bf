import type { Evaluation, RegionState, RunningSimulator } from '../../simulator';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import { series, startSim, sum, tempStorePath, type Sample } from './harness';
import { simulatorEnv, startExporterProcess, until, type ExporterProcess } from './process';

/**
 * The exporter binary, polling every second, against a simulated account whose clock stands still between
 * the changes each test makes: every number can be compared with what the account holds.
 */
describe('rule states and findings, with the exporter binary', () => {
  let sim: RunningSimulator;
  let exporter: ExporterProcess;
  let region: RegionState;
  const where = { account_id: DEFAULT_ACCOUNT_ID, region: 'us-east-1' };

  beforeEach(async () => {
    sim = await startSim({ scenario: 'default', seed: 41, clock: 'manual', startTime: new Date() });
    region = sim.world.region(DEFAULT_ACCOUNT_ID, 'us-east-1');
    exporter = await startExporterProcess(
      ['--poll.interval=1s', '--aws.config-requests-per-second=200', '--aws.ssm-requests-per-second=200', `--storage.path=${tempStorePath()}`],
      simulatorEnv(sim),
    );
    await until(async () => ((await fetch(`${exporter.url}/-/ready`)).ok ? true : undefined), 60_000, 'ready');
  });

  afterEach(async () => {
    await exporter.stop();
    await sim.close();
  });

  /** Resolves after `n` more Config polls have finished (successful or not) than when it was called. */
  async function configPolls(n: number): Promise<Sample[]> {
    const count = async () => sum(await exporter.metrics(), 'compliance_pulse_poll_duration_seconds_count', { source: 'config' });
    const target = (await count()) + n;
    await until(async () => ((await count()) >= target ? true : undefined), 30_000, `${n} config polls`);
    return exporter.metrics();
  }

  /** A customer rule (details readable) with at least `min` noncompliant resources and no remediation. */
  function noncompliantRule(min: number, except: string[] = []): string {
    const rule = region
      .rules()
      .find((r) => !r.createdBy && !except.includes(r.name) && !region.remediationConfiguration(r.name) && region.complianceCounts(r.name).NON_COMPLIANT >= min);
    if (!rule) throw new Error('the scenario has no such rule');
    return rule.name;
  }

  const noncompliant = (rule: string): Evaluation[] => region.evaluations(rule).filter((e) => e.compliance === 'NON_COMPLIANT');
  const observed = (samples: Sample[]) => sum(samples, 'aws_config_time_to_remediate_seconds_count', where);
  /** Findings resolved as fixed. Those of these tests were open at the first poll: pre-existing, so not observed. */
  const fixes = async () =>
    ((await exporter.json(`/api/v1/findings?state=resolved&region=${where.region}&limit=1000`)).items as { resolution: string }[]).filter(
      (f) => f.resolution !== 'rule_deleted',
    ).length;
  const findingsOf = async (rule: string) =>
    ((await exporter.json(`/api/v1/findings?rule=${rule}&state=all&limit=1000`)).items as { resource_id: string; state: string; first_seen: string; resolution: string | null }[]).sort(
      (a, b) => a.resource_id.localeCompare(b.resource_id),
    );

  it('a rule going INSUFFICIENT_DATA and back changes no fix count, no time-to-remediate count and no first-seen time', async () => {
    const rule = noncompliantRule(3);
    const before = await configPolls(1);
    const fixedBefore = await fixes();
    const findingsBefore = await findingsOf(rule);
    expect(findingsBefore.filter((f) => f.state === 'open')).toHaveLength(noncompliant(rule).length);

    // Every result NOT_APPLICABLE (a Lambda rule answering NOT_APPLICABLE for everything): Config reports
    // INSUFFICIENT_DATA and lists no COMPLIANT or NON_COMPLIANT results.
    const saved = [...region.evaluations(rule)];
    sim.clock.advance(60_000);
    region.setAllNotApplicable(rule);
    expect(sim.truth.ruleCompliance(DEFAULT_ACCOUNT_ID, 'us-east-1')[rule]).toBe('INSUFFICIENT_DATA');
    const unknown = await configPolls(2);
    expect(series(unknown, 'aws_config_rule_compliance', { ...where, rule }).map((s) => s.labels.compliance)).toEqual(['INSUFFICIENT_DATA']);
    expect(series(unknown, 'aws_config_rule_results_stale_since_timestamp_seconds', { ...where, rule }).map((s) => s.labels.reason)).toEqual(['insufficient_data']);
    // The last known count, marked stale above: not a drop to zero.
    expect(sum(unknown, 'aws_config_rule_noncompliant_resources', { ...where, rule })).toBe(saved.filter((e) => e.compliance === 'NON_COMPLIANT').length);
    expect(await fixes()).toBe(fixedBefore);
    expect(observed(unknown)).toBe(observed(before));
    expect(await findingsOf(rule)).toEqual(findingsBefore);

    // The results come back, re-recorded now.
    sim.clock.advance(60_000);
    for (const e of saved) region.setEvaluation(rule, { resourceType: e.resourceType, resourceId: e.resourceId, compliance: e.compliance });
    region.markEvaluated(rule);
    const back = await configPolls(2);
    expect(series(back, 'aws_config_rule_results_stale_since_timestamp_seconds', { ...where, rule })).toEqual([]);
    expect(sum(back, 'aws_config_rule_noncompliant_resources', { ...where, rule })).toBe(sim.truth.noncompliantCount(DEFAULT_ACCOUNT_ID, 'us-east-1', rule));
    expect(await fixes()).toBe(fixedBefore);
    expect(observed(back)).toBe(observed(before));
    expect(sum(back, 'aws_config_time_to_remediate_seconds_sum', where)).toBe(sum(before, 'aws_config_time_to_remediate_seconds_sum', where));
    expect(await findingsOf(rule)).toEqual(findingsBefore);
  }, 120_000);

  it('a real fix of 3 resources counts exactly 3', async () => {
    const rule = noncompliantRule(4);
    const before = await configPolls(1);
    const fixedBefore = await fixes();
    const fixed = noncompliant(rule).slice(0, 3);
    sim.clock.advance(60_000);
    for (const e of fixed) region.setEvaluation(rule, { resourceType: e.resourceType, resourceId: e.resourceId, compliance: 'COMPLIANT' });
    // As in AWS, new results come with a new LastSuccessfulEvaluationTime.
    region.markEvaluated(rule);
    const after = await configPolls(2);
    expect((await fixes()) - fixedBefore).toBe(3);
    // They were open when monitoring began: when they started is unknown, so no time to remediate.
    expect(observed(after)).toBe(observed(before));
    expect(sum(after, 'aws_config_rule_noncompliant_resources', { ...where, rule })).toBe(sum(before, 'aws_config_rule_noncompliant_resources', { ...where, rule }) - 3);
    const resolved = (await findingsOf(rule)).filter((f) => f.state === 'resolved');
    expect(resolved.map((f) => [f.resource_id, f.resolution])).toEqual(fixed.map((e) => [e.resourceId, 'compliant']).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  }, 120_000);

  it("one rule's persistent 500s leave another rule's change visible in the next poll", async () => {
    const failing = noncompliantRule(2);
    const other = noncompliantRule(2, [failing]);
    const before = await configPolls(1);
    const fixedBefore = await fixes();
    sim.faults.add({ kind: 'server-error', status: 500, operation: 'GetComplianceDetailsByConfigRule', rule: failing });
    sim.clock.advance(60_000);
    // Both rules change, so both are read again: one fails every attempt, the other must show its change.
    const [fixedHere] = noncompliant(failing);
    const [fixedThere] = noncompliant(other);
    region.setEvaluation(failing, { resourceType: fixedHere!.resourceType, resourceId: fixedHere!.resourceId, compliance: 'COMPLIANT' });
    region.setEvaluation(other, { resourceType: fixedThere!.resourceType, resourceId: fixedThere!.resourceId, compliance: 'COMPLIANT' });
    region.markEvaluated(failing);
    region.markEvaluated(other);
    const after = await configPolls(2);
    expect(series(after, 'compliance_pulse_poll_success', { ...where, source: 'config' }).map((s) => s.value)).toEqual([1]);
    expect(sum(after, 'aws_config_rule_noncompliant_resources', { ...where, rule: other })).toBe(sim.truth.noncompliantCount(DEFAULT_ACCOUNT_ID, 'us-east-1', other));
    // The failing rule keeps its last count, says it is stale and why, and nothing of it was counted as fixed.
    expect(sum(after, 'aws_config_rule_noncompliant_resources', { ...where, rule: failing })).toBe(sum(before, 'aws_config_rule_noncompliant_resources', { ...where, rule: failing }));
    expect(series(after, 'aws_config_rule_results_stale_since_timestamp_seconds', { ...where, rule: failing }).map((s) => s.labels.reason)).toEqual(['read_failed']);
    expect((await fixes()) - fixedBefore).toBe(1);
    expect(exporter.logs().filter((l) => l.level === 40 && String(l.msg).startsWith('could not read the results of some rules'))).toHaveLength(1);

    // Once AWS answers for it again, the rule is current and its fix counts.
    sim.faults.clear();
    const recovered = await configPolls(2);
    expect(series(recovered, 'aws_config_rule_results_stale_since_timestamp_seconds', { ...where, rule: failing })).toEqual([]);
    expect(sum(recovered, 'aws_config_rule_noncompliant_resources', { ...where, rule: failing })).toBe(sim.truth.noncompliantCount(DEFAULT_ACCOUNT_ID, 'us-east-1', failing));
    expect((await fixes()) - fixedBefore).toBe(2);
  }, 120_000);
});

