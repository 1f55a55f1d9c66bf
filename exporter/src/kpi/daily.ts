import {
  FAILURE_REASONS,
  SEVERITIES,
  SUCCESS_AUTOMATION_STATUSES,
  targetKey,
  type FailureReason,
  type Severity,
  type Target,
} from '../model';
import type { Db } from '../store/database';
import { dayIndex, dayRange } from './calendar';
import { ruleOfExecution, type RemediationCatalog } from './remediation-catalog';
import { mean, percentile, round } from './statistics';

export interface KpiFilter {
  accountIds: readonly string[];
  regions: readonly string[];
  severities: readonly Severity[];
}

/** The figures of one day; findings figures are null on a day that ended before monitoring began. */
export interface DailyKpis {
  date: string;
  findings_opened: number | null;
  findings_resolved: number | null;
  open_findings: Record<Severity, number> | null;
  remediations_succeeded: number;
  remediations_failed: number;
  remediation_success_ratio: number | null;
  remediation_failures_by_reason: Record<FailureReason, number>;
  time_to_remediate_seconds: {
    count: number;
    p50: number | null;
    p95: number | null;
    mean: number | null;
  } | null;
  compliance_score: { evaluations: number | null; rules: number | null };
}

interface FindingRow {
  severity: Severity;
  first_seen: number;
  resolved_at: number | null;
  resolution: string | null;
  pre_existing: number;
}

interface ExecutionRow {
  account_id: string;
  region: string;
  document: string;
  status: string;
  ended_at: number;
  reason: FailureReason | null;
  rule: string | null;
}

interface SampleRow {
  account_id: string;
  region: string;
  sampled_at: number;
  evaluations_compliant: number;
  evaluations_noncompliant: number;
  rules_evaluated: number;
  rules_noncompliant: number;
}

/** `AND column IN (?, …)` for a non-empty list, with its parameters. */
export function inList(column: string, values: readonly string[]): { sql: string; params: string[] } {
  if (values.length === 0) return { sql: '', params: [] };
  return { sql: ` AND ${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] };
}

const FIXED = new Set(['compliant', 'gone']);
const zeroReasons = (): Record<FailureReason, number> => Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;

/**
 * The latest first successful Config poll of the targets (epoch seconds): from then on all of them are
 * monitored. Null when one of them has never been polled successfully, or there are none.
 */
export function monitoringBegan(
  targets: readonly Target[],
  firstConfigPolls: ReadonlyMap<string, number>,
): number | null {
  if (targets.length === 0) return null;
  let latest = -Infinity;
  for (const target of targets) {
    const first = firstConfigPolls.get(targetKey(target));
    if (first === undefined) return null;
    latest = Math.max(latest, first);
  }
  return latest;
}

/**
 * The daily indicators for every date from..to (inclusive) in the time zone, zero-filled. AWS Config keeps
 * no history of resolved results, so findings figures exist only for days that end after `monitoringBegan`
 * (every day is unmonitored when it is null); remediation figures come from SSM's own history and exist
 * for every day. Pre-existing findings (open at their target's first poll) count as open and as resolved
 * when fixed, but were opened on no day seen, and their time to remediate is unknown.
 */
export function dailyKpis(
  db: Db,
  catalog: RemediationCatalog,
  query: {
    from: string;
    to: string;
    timeZone: string;
    filter: KpiFilter;
    now: number;
    monitoringBegan: number | null;
  },
): DailyKpis[] {
  const { dates, bounds } = dayRange(query.from, query.to, query.timeZone);
  const start = bounds[0] as number;
  const end = bounds[bounds.length - 1] as number;
  const { accountIds, regions, severities } = query.filter;
  const targetFilter = [inList('account_id', accountIds), inList('region', regions)];

  const days: DailyKpis[] = dates.map((date) => ({
    date,
    findings_opened: null,
    findings_resolved: null,
    open_findings: null,
    remediations_succeeded: 0,
    remediations_failed: 0,
    remediation_success_ratio: null,
    remediation_failures_by_reason: zeroReasons(),
    time_to_remediate_seconds: null,
    compliance_score: { evaluations: null, rules: null },
  }));

  // Findings: opened, resolved and their time to remediate, and how many were open at each day's end.
  const severityFilter = inList('severity', severities);
  const findings = db
    .prepare(
      'SELECT severity, first_seen, resolved_at, resolution, pre_existing FROM findings WHERE first_seen < ? AND (resolved_at IS NULL OR resolved_at >= ?)' +
        targetFilter.map((f) => f.sql).join('') + severityFilter.sql,
    )
    .all(end, start, ...targetFilter.flatMap((f) => f.params), ...severityFilter.params) as FindingRow[];
  const fixTimes: number[][] = dates.map(() => []);
  const opened = dates.map(() => 0);
  const resolved = dates.map(() => 0);
  for (const f of findings) {
    const openedOn = dayIndex(bounds, f.first_seen);
    if (openedOn !== -1 && f.pre_existing === 0) (opened[openedOn] as number)++;
    if (f.resolved_at !== null && f.resolution !== null && FIXED.has(f.resolution)) {
      const resolvedOn = dayIndex(bounds, f.resolved_at);
      if (resolvedOn !== -1) {
        (resolved[resolvedOn] as number)++;
        if (f.pre_existing === 0) (fixTimes[resolvedOn] as number[]).push(f.resolved_at - f.first_seen);
      }
    }
  }
  const monitored = (i: number) =>
    query.monitoringBegan !== null && (bounds[i + 1] as number) > query.monitoringBegan;
  days.forEach((day, i) => {
    if (!monitored(i)) return;
    day.findings_opened = opened[i] as number;
    day.findings_resolved = resolved[i] as number;
    const times = (fixTimes[i] as number[]).sort((a, b) => a - b);
    day.time_to_remediate_seconds = {
      count: times.length,
      p50: round(percentile(times, 50), 1),
      p95: round(percentile(times, 95), 1),
      mean: round(mean(times), 1),
    };
  });
  days.forEach((day, i) => {
    // What was open at the end of the day, or now for today; unknown for days that have not begun.
    const dayStart = bounds[i] as number;
    if (dayStart > query.now || !monitored(i)) return;
    const at = Math.min(bounds[i + 1] as number, query.now);
    const open = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const f of findings) if (f.first_seen < at && (f.resolved_at === null || f.resolved_at >= at)) open[f.severity]++;
    day.open_findings = open;
  });

  // Remediations: runbook executions that ended on the day.
  const executions = db
    .prepare(
      'SELECT account_id, region, document, status, ended_at, reason, rule FROM automation_executions WHERE ended_at >= ? AND ended_at < ?' +
        targetFilter.map((f) => f.sql).join(''),
    )
    .all(start, end, ...targetFilter.flatMap((f) => f.params)) as ExecutionRow[];
  const runbooksByTarget = new Map<string, Map<string, string[]>>();
  for (const e of executions) {
    const key = `${e.account_id}/${e.region}`;
    let runbooks = runbooksByTarget.get(key);
    if (!runbooks) runbooksByTarget.set(key, (runbooks = catalog.runbooks(e.account_id, e.region)));
    if (!runbooks.has(e.document)) continue;
    if (severities.length > 0) {
      const rule = ruleOfExecution(e.rule, runbooks.get(e.document));
      if (rule === undefined || !severities.includes(catalog.severityOf(e.account_id, e.region, rule))) continue;
    }
    const day = days[dayIndex(bounds, e.ended_at)];
    if (!day) continue;
    if (SUCCESS_AUTOMATION_STATUSES.has(e.status)) day.remediations_succeeded++;
    else {
      day.remediations_failed++;
      day.remediation_failures_by_reason[e.reason ?? 'other']++;
    }
  }
  for (const day of days) {
    const total = day.remediations_succeeded + day.remediations_failed;
    day.remediation_success_ratio = total === 0 ? null : round(day.remediations_succeeded / total, 4);
  }

  // Compliance score: each target's last sample of the day, summed over targets.
  const samples = db
    .prepare(
      'SELECT account_id, region, sampled_at, evaluations_compliant, evaluations_noncompliant, rules_evaluated, rules_noncompliant FROM compliance_samples ' +
        'WHERE sampled_at >= ? AND sampled_at < ?' + targetFilter.map((f) => f.sql).join('') + ' ORDER BY sampled_at',
    )
    .all(start, end, ...targetFilter.flatMap((f) => f.params)) as SampleRow[];
  const lastOfDay = dates.map(() => new Map<string, SampleRow>());
  for (const s of samples) lastOfDay[dayIndex(bounds, s.sampled_at)]?.set(`${s.account_id}/${s.region}`, s);
  lastOfDay.forEach((byTarget, i) => {
    if (byTarget.size === 0) return;
    let compliant = 0;
    let noncompliant = 0;
    let rulesEvaluated = 0;
    let rulesNoncompliant = 0;
    for (const s of byTarget.values()) {
      compliant += s.evaluations_compliant;
      noncompliant += s.evaluations_noncompliant;
      rulesEvaluated += s.rules_evaluated;
      rulesNoncompliant += s.rules_noncompliant;
    }
    (days[i] as DailyKpis).compliance_score = {
      evaluations: compliant + noncompliant === 0 ? null : round(compliant / (compliant + noncompliant), 4),
      rules: rulesEvaluated === 0 ? null : round((rulesEvaluated - rulesNoncompliant) / rulesEvaluated, 4),
    };
  });
  return days;
}
