import type { RunningSimulator } from '../../simulator';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import type { Config } from '../../src/config/load';
import type { Exporter } from '../../src/exporter';
import { localDate, startOfDay, addDays } from '../../src/kpi/calendar';
import { exporterFor, getJson, serve, startSim, START, testConfig, type Served } from './harness';

/** Runs the live account for some minutes of simulated time. */
function live(sim: RunningSimulator, minutes: number): void {
  for (let i = 0; i < minutes * 6; i++) {
    sim.clock.advance(10_000);
    sim.tick();
  }
}

interface HandCount {
  succeeded: number;
  failed: number;
  access_denied: number;
  throttled: number;
  timeout: number;
}

/** Counts remediation runbook executions per local end date, straight from the account's history. */
function handCount(sim: RunningSimulator, timeZone: string): Map<string, HandCount> {
  const days = new Map<string, HandCount>();
  for (const region of sim.regions) {
    for (const e of sim.truth.finishedRemediations(DEFAULT_ACCOUNT_ID, region)) {
      const date = localDate(e.endTime.getTime() / 1000, timeZone);
      const day = days.get(date) ?? { succeeded: 0, failed: 0, access_denied: 0, throttled: 0, timeout: 0 };
      if (e.status === 'Success') day.succeeded++;
      else day.failed++;
      if (e.status === 'TimedOut') day.timeout++;
      else if (e.failureType === 'Permission') day.access_denied++;
      else if (e.failureType === 'Throttling') day.throttled++;
      days.set(date, day);
    }
  }
  return days;
}

describe('daily indicators', () => {
  let sim: RunningSimulator;
  let config: Config;
  let exporter: Exporter;
  let served: Served;
  const today = () => localDate(sim.clock.now().getTime() / 1000, 'UTC');

  beforeAll(async () => {
    sim = await startSim({ scenario: 'default', seed: 21 });
    config = testConfig(sim);
    exporter = exporterFor(sim, config);
    served = await serve(exporter);
    await exporter.pollOnce();
  });

  afterAll(async () => {
    await served.close();
    await exporter.close();
    await sim.close();
  });

  const kpis = async (from: string, to: string, tz: string) => {
    const { status, body } = await getJson(`${served.url}/api/v1/kpis/daily?from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`);
    expect(status).toBe(200);
    return body as { timezone: string; monitoring_began: string | null; days: any[] };
  };

  it.each(['UTC', 'Asia/Seoul', 'America/New_York'])('equal a hand count of 30 days of SSM history, per day, in %s', async (tz) => {
    const to = localDate(sim.clock.now().getTime() / 1000, tz);
    const from = addDays(to, -30);
    const expected = handCount(sim, tz);
    // The history has executions that ended within 10 minutes of this zone's midnight: the day boundary is tested.
    const nearMidnight = sim.regions
      .flatMap((r) => sim.truth.finishedRemediations(DEFAULT_ACCOUNT_ID, r))
      .filter((e) => {
        const t = e.endTime.getTime() / 1000;
        const next = startOfDay(addDays(localDate(t, tz), 1), tz);
        return next - t < 600 || t - startOfDay(localDate(t, tz), tz) < 600;
      });
    expect(nearMidnight.length).toBeGreaterThan(0);

    const body = await kpis(from, to, tz);
    expect(body.timezone).toBe(tz);
    expect(body.days).toHaveLength(31);
    let total = 0;
    for (const day of body.days) {
      const hand = expected.get(day.date) ?? { succeeded: 0, failed: 0, access_denied: 0, throttled: 0, timeout: 0 };
      total += hand.succeeded + hand.failed;
      expect([day.date, day.remediations_succeeded, day.remediations_failed]).toEqual([day.date, hand.succeeded, hand.failed]);
      expect([day.date, day.remediation_failures_by_reason.access_denied, day.remediation_failures_by_reason.throttled, day.remediation_failures_by_reason.timeout])
        .toEqual([day.date, hand.access_denied, hand.throttled, hand.timeout]);
      const ratio = hand.succeeded + hand.failed === 0 ? null : Math.round((hand.succeeded / (hand.succeeded + hand.failed)) * 10_000) / 10_000;
      expect([day.date, day.remediation_success_ratio]).toEqual([day.date, ratio]);
    }
    expect(total).toBeGreaterThan(100);
  });

  it('have findings figures only from the first poll on, where what was open then is open but not opened', async () => {
    const tz = 'Asia/Seoul';
    const to = localDate(sim.clock.now().getTime() / 1000, tz);
    const from = addDays(to, -400 + 1);
    const body = await kpis(from, to, tz);
    expect(body.monitoring_began).toBe(START.toISOString().replace(/\.000Z$/, 'Z'));
    const { body: rules } = await getJson(`${served.url}/api/v1/rules`);
    const readable = new Set(rules.items.filter((r: any) => r.details_available).map((r: any) => `${r.region}/${r.rule}`));
    let open = 0;
    for (const region of sim.regions) {
      const state = sim.world.region(DEFAULT_ACCOUNT_ID, region);
      for (const rule of state.rules()) {
        if (readable.has(`${region}/${rule.name}`)) open += state.complianceCounts(rule.name).NON_COMPLIANT;
      }
    }
    // AWS keeps no history of resolved results: before the first poll nothing is known of findings, not zero.
    const before = body.days.slice(0, -1);
    for (const day of before) {
      expect([day.date, day.findings_opened, day.findings_resolved, day.open_findings, day.time_to_remediate_seconds]).toEqual([day.date, null, null, null, null]);
    }
    expect(before.some((d: any) => d.remediations_succeeded + d.remediations_failed > 0)).toBe(true);
    const last = body.days[body.days.length - 1];
    const openToday = Object.values(last.open_findings as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(openToday).toBe(open);
    // All of them were open when monitoring began: opened on no day the exporter saw.
    expect(last).toMatchObject({ findings_opened: 0, findings_resolved: 0, time_to_remediate_seconds: { count: 0, p50: null } });
    expect(last.compliance_score.evaluations).toBeGreaterThan(0);
    // Days before the exporter's first poll have no score: AWS keeps no history of it.
    expect(body.days[0].compliance_score).toEqual({ evaluations: null, rules: null });
  });

  it('are unchanged for past days by a restart, and count what finished while the exporter was down on its day', async () => {
    const tz = 'Asia/Seoul';
    const to = localDate(sim.clock.now().getTime() / 1000, tz);
    const from = addDays(to, -29);
    const before = await kpis(from, to, tz);

    await served.close();
    await exporter.close();
    live(sim, 6 * 60); // six hours pass with the exporter down
    exporter = exporterFor(sim, config);
    served = await serve(exporter);
    await exporter.pollOnce();

    const newTo = localDate(sim.clock.now().getTime() / 1000, tz);
    const after = await kpis(from, newTo, tz);
    const expected = handCount(sim, tz);
    for (const day of after.days) {
      const earlier = before.days.find((d: any) => d.date === day.date);
      if (earlier && day.date < to) {
        // Past days keep every remediation number; only the still-open findings of the last day can move.
        const keep = (d: any) => [d.date, d.remediations_succeeded, d.remediations_failed, d.remediation_failures_by_reason, d.findings_opened];
        expect(keep(day)).toEqual(keep(earlier));
      }
      const hand = expected.get(day.date) ?? { succeeded: 0, failed: 0 };
      expect([day.date, day.remediations_succeeded, day.remediations_failed]).toEqual([day.date, hand.succeeded, hand.failed]);
    }
    const latest = after.days.filter((d: any) => d.date >= to);
    expect(latest.reduce((n: number, d: any) => n + d.remediations_succeeded + d.remediations_failed, 0)).toBeGreaterThan(
      before.days.filter((d: any) => d.date >= to).reduce((n: number, d: any) => n + d.remediations_succeeded + d.remediations_failed, 0),
    );
    expect(today()).toBeTruthy();
  });
});
