import type { RequestHandler } from 'express';
import { dayRange } from '../../kpi/calendar';
import { dailyKpis, inList, type DailyKpis } from '../../kpi/daily';
import { ruleOfExecution } from '../../kpi/remediation-catalog';
import { FAILURE_REASONS, SEVERITIES, SUCCESS_AUTOMATION_STATUSES, type Severity } from '../../model';
import { iso, type ApiContext } from './context';
import { monitoringBeganFor } from './kpis';
import { QueryReader } from './query';

interface DailyReport {
  date: string;
  timezone: string;
  /** False for a day that ended before monitoring began: it has no findings figures. */
  monitored: boolean;
  kpis: DailyKpis;
  topRules: { account_id: string; region: string; rule: string; control_id: string; severity: string; open_findings: number }[];
  failedRemediations: {
    end_time: string | null;
    account_id: string;
    region: string;
    document: string;
    rule: string;
    resource_id: string;
    status: string;
    reason: string;
    failure_message: string;
  }[];
  slowestFixes: { account_id: string; region: string; rule: string; severity: string; resource_type: string; resource_id: string; seconds: number }[];
}

const TOP = 10;

function buildReport(ctx: ApiContext, date: string, timeZone: string, accountIds: string[], regions: string[]): DailyReport {
  const db = ctx.store.db;
  const now = ctx.now();
  const monitoringBegan = monitoringBeganFor(ctx, accountIds, regions);
  const filter = { accountIds, regions, severities: [] };
  const query = { from: date, to: date, timeZone, filter, now, monitoringBegan };
  const [kpis] = dailyKpis(db, ctx.catalog, query) as [DailyKpis];
  const monitored = kpis.findings_opened !== null;
  const { bounds } = dayRange(date, date, timeZone);
  const [start, end] = bounds as [number, number];
  const at = Math.min(end, now);
  const target = [inList('account_id', accountIds), inList('region', regions)];
  const targetSql = target.map((f) => f.sql).join('');
  const targetParams = target.flatMap((f) => f.params);

  // What was open at the end of a day before monitoring began is unknown, not nothing.
  const topRules = monitored
    ? (db
        .prepare(
          'SELECT account_id, region, rule, control_id, severity, COUNT(*) AS open_findings FROM findings WHERE first_seen < ? AND (resolved_at IS NULL OR resolved_at >= ?)' +
            targetSql + ' GROUP BY account_id, region, rule ORDER BY open_findings DESC, rule LIMIT ?',
        )
        .all(at, at, ...targetParams, TOP) as DailyReport['topRules'])
    : [];

  const failedRows = db
    .prepare(
      'SELECT account_id, region, document, status, ended_at, reason, failure_message, rule, resource_id FROM automation_executions WHERE ended_at >= ? AND ended_at < ?' +
        targetSql + ' ORDER BY ended_at DESC',
    )
    .all(start, end, ...targetParams) as {
    account_id: string;
    region: string;
    document: string;
    status: string;
    ended_at: number;
    reason: string | null;
    failure_message: string | null;
    rule: string | null;
    resource_id: string | null;
  }[];
  const failedRemediations: DailyReport['failedRemediations'] = [];
  for (const row of failedRows) {
    if (SUCCESS_AUTOMATION_STATUSES.has(row.status)) continue;
    const runbooks = ctx.catalog.runbooks(row.account_id, row.region);
    if (!runbooks.has(row.document)) continue;
    failedRemediations.push({
      end_time: iso(row.ended_at),
      account_id: row.account_id,
      region: row.region,
      document: row.document,
      rule: ruleOfExecution(row.rule, runbooks.get(row.document)) ?? '',
      resource_id: row.resource_id ?? '',
      status: row.status,
      reason: row.reason ?? 'other',
      failure_message: row.failure_message ?? '',
    });
  }

  const slowestFixes = db
    .prepare(
      "SELECT account_id, region, rule, severity, resource_type, resource_id, resolved_at - first_seen AS seconds FROM findings WHERE resolved_at >= ? AND resolved_at < ? AND resolution IN ('compliant', 'gone') AND pre_existing = 0" +
        targetSql + ' ORDER BY seconds DESC LIMIT ?',
    )
    .all(start, end, ...targetParams, TOP) as DailyReport['slowestFixes'];

  return { date, timezone: timeZone, monitored, kpis, topRules, failedRemediations, slowestFixes };
}

const duration = (seconds: number | null): string => {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
};
const percent = (ratio: number | null): string => (ratio === null ? '–' : `${(ratio * 100).toFixed(1)} %`);
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

const NOT_MONITORED = 'not monitored';

export function renderMarkdown(r: DailyReport): string {
  const k = r.kpis;
  const ttr = k.time_to_remediate_seconds;
  const openAtEnd = (s: Severity) =>
    !r.monitored ? NOT_MONITORED : k.open_findings ? k.open_findings[s] : '–';
  const lines = [
    `# Security process daily report: ${r.date} (${r.timezone})`,
    '',
    '## Totals',
    '',
    '| indicator | value |',
    '|---|---|',
    `| Findings opened | ${k.findings_opened ?? NOT_MONITORED} |`,
    `| Findings resolved | ${k.findings_resolved ?? NOT_MONITORED} |`,
    ...SEVERITIES.map((s) => `| Open at end of day, ${s} | ${openAtEnd(s)} |`),
    `| Remediations succeeded | ${k.remediations_succeeded} |`,
    `| Remediations failed | ${k.remediations_failed} |`,
    `| Remediation success ratio | ${percent(k.remediation_success_ratio)} |`,
    ...FAILURE_REASONS.filter((reason) => k.remediation_failures_by_reason[reason] > 0).map(
      (reason) => `| Failures: ${reason} | ${k.remediation_failures_by_reason[reason]} |`,
    ),
    `| Time to remediate p50 / p95 / mean | ${
      ttr ? `${duration(ttr.p50)} / ${duration(ttr.p95)} / ${duration(ttr.mean)}` : NOT_MONITORED
    } |`,
    `| Compliance score (evaluations / rules) | ${percent(k.compliance_score.evaluations)} / ${percent(k.compliance_score.rules)} |`,
    '',
    '## Top failing rules (open findings at end of day)',
    '',
  ];
  if (!r.monitored) lines.push('Not monitored: the day ended before monitoring began.');
  else if (r.topRules.length === 0) lines.push('None.');
  else {
    lines.push('| rule | control | severity | open findings | account / region |', '|---|---|---|---|---|');
    for (const t of r.topRules) lines.push(`| ${cell(t.rule)} | ${t.control_id || '–'} | ${t.severity} | ${t.open_findings} | ${t.account_id} / ${t.region} |`);
  }
  lines.push('', '## Failed remediations', '');
  if (r.failedRemediations.length === 0) lines.push('None.');
  else {
    lines.push('| ended | runbook | rule | resource | reason | message |', '|---|---|---|---|---|---|');
    for (const f of r.failedRemediations) {
      lines.push(`| ${f.end_time ?? ''} | ${cell(f.document)} | ${cell(f.rule) || '–'} | ${cell(f.resource_id) || '–'} | ${f.reason} | ${cell(f.failure_message).slice(0, 200)} |`);
    }
  }
  lines.push('', '## Slowest fixes', '');
  if (r.slowestFixes.length === 0) lines.push('None.');
  else {
    lines.push('| rule | severity | resource | time to remediate |', '|---|---|---|---|');
    for (const s of r.slowestFixes) lines.push(`| ${cell(s.rule)} | ${s.severity} | ${cell(`${s.resource_type} ${s.resource_id}`)} | ${duration(s.seconds)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function renderCsv(r: DailyReport): string {
  const rows: (string | number | null)[][] = [['section', 'date', 'name', 'value', 'rule', 'severity', 'resource', 'reason', 'detail']];
  const k = r.kpis;
  const total = (name: string, value: number | null) => rows.push(['totals', r.date, name, value, null, null, null, null, null]);
  total('findings_opened', k.findings_opened);
  total('findings_resolved', k.findings_resolved);
  for (const s of SEVERITIES) total(`open_findings_${s}`, k.open_findings ? k.open_findings[s] : null);
  total('remediations_succeeded', k.remediations_succeeded);
  total('remediations_failed', k.remediations_failed);
  total('remediation_success_ratio', k.remediation_success_ratio);
  for (const reason of FAILURE_REASONS) total(`remediation_failures_${reason}`, k.remediation_failures_by_reason[reason]);
  total('time_to_remediate_p50_seconds', k.time_to_remediate_seconds?.p50 ?? null);
  total('time_to_remediate_p95_seconds', k.time_to_remediate_seconds?.p95 ?? null);
  total('time_to_remediate_mean_seconds', k.time_to_remediate_seconds?.mean ?? null);
  total('compliance_score_evaluations', k.compliance_score.evaluations);
  total('compliance_score_rules', k.compliance_score.rules);
  for (const t of r.topRules) rows.push(['top_failing_rules', r.date, t.control_id, t.open_findings, t.rule, t.severity, null, null, `${t.account_id}/${t.region}`]);
  for (const f of r.failedRemediations) rows.push(['failed_remediations', r.date, f.document, f.end_time, f.rule, null, f.resource_id, f.reason, f.failure_message]);
  for (const s of r.slowestFixes) rows.push(['slowest_fixes', r.date, s.resource_type, Math.round(s.seconds), s.rule, s.severity, s.resource_id, null, `${s.account_id}/${s.region}`]);
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function dailyReportHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    const q = new QueryReader(req, ['date', 'format', 'tz', 'account_id', 'region']);
    const date = q.date('date');
    const format = q.oneOf('format', ['md', 'csv'] as const, 'md');
    const timeZone = q.timeZone('tz', ctx.config.kpiTimeZone);
    const report = buildReport(ctx, date, timeZone, q.list('account_id'), q.list('region'));
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="compliance-pulse-${date}.csv"`).send(renderCsv(report));
    } else {
      res.type('text/markdown; charset=utf-8').send(renderMarkdown(report));
    }
  };
}
