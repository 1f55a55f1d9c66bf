import type { Evaluation, RegionState, RunningSimulator } from '../../simulator';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import type { Exporter } from '../../src/exporter';
import { addDays, localDate } from '../../src/kpi/calendar';
import {
  exporterFor,
  getJson,
  scrape,
  serve,
  startSim,
  START,
  sum,
  testConfig,
  type Served,
} from './harness';

const REGION = 'us-east-1';
const where = { account_id: DEFAULT_ACCOUNT_ID, region: REGION };
const isoSeconds = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

interface Finding {
  resource_id: string;
  state: string;
  first_seen: string;
  resolved_at: string | null;
  resolution: string | null;
  pre_existing: boolean;
}

/**
 * Truthful from the first minute: an exporter started on an account with history says when monitoring
 * began, gives no findings figures for days before, and keeps findings it found already open out of what
 * it did not see (opened, time to remediate).
 */
describe('monitoring began at the first poll', () => {
  let sim: RunningSimulator;
  let exporter: Exporter;
  let served: Served;
  let region: RegionState;

  beforeEach(async () => {
    sim = await startSim({ scenario: 'default', seed: 61 });
    region = sim.world.region(DEFAULT_ACCOUNT_ID, REGION);
    exporter = exporterFor(sim, testConfig(sim));
    served = await serve(exporter);
  });

  afterEach(async () => {
    await served.close();
    await exporter.close();
    await sim.close();
  });

  const api = async (path: string) => {
    const { status, body } = await getJson(`${served.url}/api/v1${path}`);
    expect(status).toBe(200);
    return body;
  };
  const today = () => localDate(sim.clock.now().getTime() / 1000, 'UTC');
  const daily = (from: string, to: string, filter = '') =>
    api(`/kpis/daily?from=${from}&to=${to}&tz=UTC${filter}`);
  const findingsOf = async (rule: string): Promise<Finding[]> =>
    ((await api(`/findings?rule=${rule}&region=${REGION}&state=all&limit=1000`)).items as Finding[]).sort(
      (a, b) => a.resource_id.localeCompare(b.resource_id),
    );
  const ttr = async () => {
    const samples = await scrape(exporter);
    return {
      count: sum(samples, 'aws_config_time_to_remediate_seconds_count', where),
      sum: sum(samples, 'aws_config_time_to_remediate_seconds_sum', where),
    };
  };
  /** Advances the account's clock, then lets the change happen at the new time. */
  const later = (ms: number) => {
    sim.clock.advance(ms);
    return sim.clock.now().getTime();
  };
  const noncompliant = (rule: string): Evaluation[] =>
    region.evaluations(rule).filter((e) => e.compliance === 'NON_COMPLIANT');
  /**
   * A customer rule (results readable) without remediation, with at least `min` results of each kind:
   * periodic only, or change-triggered only.
   */
  function ruleWith(min: number, periodic: boolean, except: string[] = []): string {
    const rule = region
      .rules()
      .find(
        (r) =>
          !r.createdBy &&
          !r.stalled &&
          !except.includes(r.name) &&
          (periodic
            ? Boolean(r.maximumExecutionFrequency && !r.resourceTypes)
            : !r.maximumExecutionFrequency) &&
          !region.remediationConfiguration(r.name) &&
          region.complianceCounts(r.name).NON_COMPLIANT >= min &&
          region.complianceCounts(r.name).COMPLIANT >= min,
      );
    if (!rule) throw new Error('the scenario has no such rule');
    return rule.name;
  }

  it('gives no findings figures for days before the first poll, but every remediation figure from SSM history', async () => {
    const yesterday = addDays(today(), -1);
    const failedYesterday = sim.regions
      .flatMap((r) => sim.truth.finishedRemediations(DEFAULT_ACCOUNT_ID, r))
      .filter((e) => e.status !== 'Success' && localDate(e.endTime.getTime() / 1000, 'UTC') === yesterday);
    expect(failedYesterday.length).toBeGreaterThan(0);

    // Before any poll nothing is monitored, not even today.
    const before = await daily(yesterday, today());
    expect(before.monitoring_began).toBeNull();
    expect(before.days.map((d: any) => d.findings_opened)).toEqual([null, null]);

    await exporter.pollOnce();
    const body = await daily(yesterday, today());
    expect(body.monitoring_began).toBe(isoSeconds(START.getTime()));
    const [past, now] = body.days;
    expect(past).toMatchObject({
      date: yesterday,
      findings_opened: null,
      findings_resolved: null,
      open_findings: null,
      time_to_remediate_seconds: null,
      compliance_score: { evaluations: null, rules: null },
      remediations_failed: failedYesterday.length,
    });
    expect(
      Object.values(past.remediation_failures_by_reason as Record<string, number>).reduce((a, b) => a + b),
    ).toBe(failedYesterday.length);
    expect(past.remediations_succeeded).toBeGreaterThan(0);
    // Today is monitored: what was open at the first poll is open, but was opened on no day we saw.
    const readable = (await api('/rules')).items.filter((r: any) => r.details_available);
    const openNow = readable.reduce((n: number, r: any) => n + r.noncompliant_resources, 0);
    expect(openNow).toBeGreaterThan(100);
    expect(Object.values(now.open_findings as Record<string, number>).reduce((a, b) => a + b)).toBe(openNow);
    expect(now).toMatchObject({
      findings_opened: 0,
      findings_resolved: 0,
      time_to_remediate_seconds: { count: 0, p50: null, p95: null, mean: null },
    });

    const report = await (await fetch(`${served.url}/api/v1/reports/daily?date=${yesterday}&tz=UTC`)).text();
    expect(report).toContain('| Findings opened | not monitored |');
    expect(report).toContain('| Open at end of day, CRITICAL | not monitored |');
    expect(report).toContain('| Time to remediate p50 / p95 / mean | not monitored |');
    expect(report).toContain(`| Remediations failed | ${failedYesterday.length} |`);
    const csv = (
      await (await fetch(`${served.url}/api/v1/reports/daily?date=${yesterday}&tz=UTC&format=csv`)).text()
    ).split('\r\n');
    expect(csv).toContain(`totals,${yesterday},findings_opened,,,,,,`);
    expect(csv).toContain(`totals,${yesterday},open_findings_CRITICAL,,,,,,`);
    expect(csv).toContain(`totals,${yesterday},remediations_failed,${failedYesterday.length},,,,,`);
  });

  it('is the latest first poll of the selected targets, and null while one of them has never been polled', async () => {
    const other = sim.regions.find((r) => r !== REGION) as string;
    sim.faults.add({
      kind: 'access-denied',
      service: 'config',
      operation: 'DescribeComplianceByConfigRule',
      region: other,
    });
    await exporter.pollOnce();
    const first = isoSeconds(sim.clock.now().getTime());
    expect((await daily(today(), today())).monitoring_began).toBeNull();
    expect((await daily(today(), today())).days[0].findings_opened).toBeNull();
    expect((await daily(today(), today(), `&region=${REGION}`)).monitoring_began).toBe(first);
    expect((await daily(today(), today(), `&region=${REGION}`)).days[0].findings_opened).toBe(0);
    expect((await daily(today(), today(), '&account_id=000000000000')).monitoring_began).toBeNull();

    sim.faults.clear();
    later(5 * 60_000);
    await exporter.pollOnce();
    const second = isoSeconds(sim.clock.now().getTime());
    expect((await daily(today(), today())).monitoring_began).toBe(second);
    expect((await daily(today(), today(), `&region=${REGION}`)).monitoring_began).toBe(first);
    expect((await daily(today(), today(), `&region=${other}`)).monitoring_began).toBe(second);
  });

  it('flags findings open at the first poll pre_existing: fixed, they count as resolved but not in time to remediate', async () => {
    const rule = ruleWith(2, false);
    await exporter.pollOnce();
    const found = await findingsOf(rule);
    expect(found).toHaveLength(noncompliant(rule).length);
    expect(found.every((f) => f.pre_existing && f.state === 'open')).toBe(true);

    // A resource turns noncompliant after the first poll: Config dates the change that triggered the evaluation.
    const [victim] = region.evaluations(rule).filter((e) => e.compliance === 'COMPLIANT');
    const violatedAt = later(10 * 60_000) - 90_000;
    region.setEvaluation(rule, {
      resourceType: victim!.resourceType,
      resourceId: victim!.resourceId,
      compliance: 'NON_COMPLIANT',
      orderingTime: violatedAt,
      invokedTime: violatedAt + 60_000,
      recordedTime: sim.clock.now().getTime(),
    });
    region.markEvaluated(rule);
    await exporter.pollOnce();
    const opened = (await findingsOf(rule)).find((f) => f.resource_id === victim!.resourceId);
    expect(opened).toMatchObject({ state: 'open', pre_existing: false, first_seen: isoSeconds(violatedAt) });

    // Both fixed: the one that was there at the first poll, and the new one.
    const [old] = noncompliant(rule).filter((e) => e.resourceId !== victim!.resourceId);
    const fixedAt = later(20 * 60_000) - 30_000;
    for (const e of [old!, victim!]) {
      region.setEvaluation(rule, {
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        compliance: 'COMPLIANT',
        orderingTime: fixedAt,
      });
    }
    region.markEvaluated(rule);
    const before = await ttr();
    await exporter.pollOnce();
    const after = await ttr();
    expect(after.count - before.count).toBe(1);
    expect(after.sum - before.sum).toBeCloseTo((fixedAt - violatedAt) / 1000, 3);
    const resolved = (await findingsOf(rule)).filter((f) => f.state === 'resolved');
    expect(resolved.map((f) => [f.resource_id, f.pre_existing, f.resolution, f.resolved_at]).sort()).toEqual(
      [
        [old!.resourceId, true, 'compliant', isoSeconds(fixedAt)],
        [victim!.resourceId, false, 'compliant', isoSeconds(fixedAt)],
      ].sort(),
    );

    const [day] = (await daily(today(), today(), `&region=${REGION}`)).days;
    expect(day).toMatchObject({
      findings_opened: 1,
      findings_resolved: 2,
      time_to_remediate_seconds: {
        count: 1,
        p50: (fixedAt - violatedAt) / 1000,
        mean: (fixedAt - violatedAt) / 1000,
      },
    });
    const report = await (
      await fetch(`${served.url}/api/v1/reports/daily?date=${today()}&tz=UTC&region=${REGION}`)
    ).text();
    const slowest = report.split('## Slowest fixes')[1] ?? '';
    expect(slowest).toContain(victim!.resourceId);
    expect(slowest).not.toContain(old!.resourceId);
  });

  it("pre-existing too: a rule's first results read after the first poll; not: the results of a rule created later", async () => {
    // INSUFFICIENT_DATA at the first poll: no results to read yet.
    const late = ruleWith(2, false);
    const saved = [...region.evaluations(late)];
    region.deleteEvaluationResults(late);
    await exporter.pollOnce();
    expect(await findingsOf(late)).toEqual([]);

    later(10 * 60_000);
    for (const e of saved)
      region.setEvaluation(late, {
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        compliance: e.compliance,
      });
    region.markEvaluated(late);
    const fresh = saved[0]!;
    region.addRule({ name: 'created-after-first-poll', resourceTypes: [fresh.resourceType] });
    region.setEvaluation('created-after-first-poll', {
      resourceType: fresh.resourceType,
      resourceId: fresh.resourceId,
      compliance: 'NON_COMPLIANT',
    });
    await exporter.pollOnce();
    const lateFindings = await findingsOf(late);
    expect(lateFindings).toHaveLength(saved.filter((e) => e.compliance === 'NON_COMPLIANT').length);
    expect(lateFindings.every((f) => f.pre_existing)).toBe(true);
    expect(
      (await findingsOf('created-after-first-poll')).map((f) => [f.resource_id, f.pre_existing]),
    ).toEqual([[fresh.resourceId, false]]);
    expect((await daily(today(), today(), `&region=${REGION}`)).days[0].findings_opened).toBe(1);
  });

  it('opens nothing and moves no first-seen time when a periodic rule records its results again', async () => {
    const rule = ruleWith(1, true);
    await exporter.pollOnce();
    const found = await findingsOf(rule);
    expect(found.length).toBeGreaterThan(0);
    const reads = () =>
      sim.calls
        .since(0)
        .filter(
          (c) =>
            c.operation === 'GetComplianceDetailsByConfigRule' &&
            (c.params as { ConfigRuleName?: string }).ConfigRuleName === rule,
        ).length;

    // A day later the rule evaluates again: same compliance, new ResultRecordedTime, ConfigRuleInvokedTime,
    // OrderingTimestamp and LastSuccessfulEvaluationTime. The exporter reads the results again.
    for (let day = 1; day <= 2; day++) {
      const readsBefore = reads();
      region.recordPeriodicEvaluation(rule, later(86_400_000 + 60_000));
      await exporter.pollOnce();
      expect(reads()).toBeGreaterThan(readsBefore);
      expect(await findingsOf(rule)).toEqual(found);
    }
    const days = (await daily(addDays(today(), -2), today(), `&region=${REGION}`)).days;
    expect(days.map((d: any) => d.findings_opened)).toEqual([0, 0, 0]);

    // A resource found noncompliant by a periodic evaluation began, as far as Config tells, at its trigger.
    const [victim] = region.evaluations(rule).filter((e) => e.compliance === 'COMPLIANT');
    region.setEvaluation(rule, {
      resourceType: victim!.resourceType,
      resourceId: victim!.resourceId,
      compliance: 'NON_COMPLIANT',
    });
    const evaluatedAt = later(86_400_000 + 60_000);
    region.recordPeriodicEvaluation(rule, evaluatedAt);
    const triggeredAt = region.evaluationStore(rule)?.get(victim!.resourceType, victim!.resourceId)
      ?.orderingTime as number;
    expect(triggeredAt).toBeLessThan(evaluatedAt);
    await exporter.pollOnce();
    const now = await findingsOf(rule);
    expect(now.filter((f) => f.resource_id !== victim!.resourceId)).toEqual(found);
    expect(now.find((f) => f.resource_id === victim!.resourceId)).toMatchObject({
      first_seen: isoSeconds(triggeredAt),
      pre_existing: false,
    });
    expect((await daily(today(), today(), `&region=${REGION}`)).days[0].findings_opened).toBe(1);
  });
});
