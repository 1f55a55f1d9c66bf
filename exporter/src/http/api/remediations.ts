import type { RequestHandler } from 'express';
import { dayRange } from '../../kpi/calendar';
import { inList } from '../../kpi/daily';
import { ruleOfExecution } from '../../kpi/remediation-catalog';
import { SUCCESS_AUTOMATION_STATUSES, TERMINAL_AUTOMATION_STATUSES } from '../../model';
import { iso, type ApiContext } from './context';
import { readDateRange } from './kpis';
import { encodeCursor, QueryReader } from './query';

interface ExecutionRow {
  execution_id: string;
  account_id: string;
  region: string;
  document: string;
  status: string;
  started_at: number;
  ended_at: number | null;
  failure_message: string | null;
  reason: string | null;
  rule: string | null;
  resource_id: string | null;
}

export type Outcome = 'succeeded' | 'failed' | 'running';
export const outcomeOf = (status: string): Outcome =>
  SUCCESS_AUTOMATION_STATUSES.has(status) ? 'succeeded' : TERMINAL_AUTOMATION_STATUSES.has(status) ? 'failed' : 'running';

type Cursor = [startedAt: number, id: string];
const isCursor = (v: unknown): v is Cursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
const STATUS_VALUES = [...TERMINAL_AUTOMATION_STATUSES, 'Pending', 'InProgress', 'Waiting', 'Cancelling', 'Scheduled', 'PendingApproval', 'Approved', 'RunbookInProgress', 'PendingChangeCalendarOverride', 'ChangeCalendarOverrideApproved', 'succeeded', 'failed', 'running'];

/** Remediation runbook executions that started in the date range, newest first. */
export function remediationsHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    const q = new QueryReader(req, ['from', 'to', 'tz', 'account_id', 'region', 'status', 'rule', 'document', 'limit', 'cursor']);
    const { from, to, timeZone } = readDateRange(q, ctx.config.kpiTimeZone);
    const statuses = q.list('status', STATUS_VALUES);
    const rules = q.list('rule');
    const documents = q.list('document');
    const limit = q.integer('limit', 1, 1000, 100);
    const cursor = q.cursor('cursor', isCursor);
    const { bounds } = dayRange(from, to, timeZone);

    const filters = [inList('account_id', q.list('account_id')), inList('region', q.list('region')), inList('document', documents)];
    let sql =
      'SELECT execution_id, account_id, region, document, status, started_at, ended_at, failure_message, reason, rule, resource_id FROM automation_executions WHERE started_at >= ? AND started_at < ?';
    const baseParams: (string | number)[] = [bounds[0] as number, bounds[bounds.length - 1] as number];
    for (const f of filters) {
      sql += f.sql;
      baseParams.push(...f.params);
    }
    sql += ' AND (started_at < ? OR (started_at = ? AND execution_id < ?)) ORDER BY started_at DESC, execution_id DESC LIMIT ?';
    const select = ctx.store.db.prepare(sql);

    const runbooks = new Map<string, Map<string, string[]>>();
    const runbooksOf = (row: ExecutionRow) => {
      const key = `${row.account_id}/${row.region}`;
      let map = runbooks.get(key);
      if (!map) runbooks.set(key, (map = ctx.catalog.runbooks(row.account_id, row.region)));
      return map;
    };

    // Not every execution is a remediation, and which runbooks are depends on the target, so rows are
    // filtered here and read in batches until the page is full.
    const items: ReturnType<typeof toItem>[] = [];
    let lastCursor: Cursor | undefined;
    let position: Cursor = cursor ?? [Number.MAX_VALUE, ''];
    let more = false;
    const batch = Math.max(limit + 1, 200);
    for (;;) {
      const rows = select.all(...baseParams, position[0], position[0], position[1], batch) as ExecutionRow[];
      for (const row of rows) {
        position = [row.started_at, row.execution_id];
        const map = runbooksOf(row);
        if (!map.has(row.document)) continue;
        const rule = ruleOfExecution(row.rule, map.get(row.document));
        if (rules.length > 0 && (rule === undefined || !rules.includes(rule))) continue;
        if (statuses.length > 0 && !statuses.includes(row.status) && !statuses.includes(outcomeOf(row.status))) continue;
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(toItem(row, rule, rule === undefined ? null : ctx.catalog.severityOf(row.account_id, row.region, rule)));
        lastCursor = [row.started_at, row.execution_id];
      }
      if (more || rows.length < batch) break;
    }
    res.json({ items, next_cursor: more && lastCursor ? encodeCursor(lastCursor) : null });
  };
}

function toItem(row: ExecutionRow, rule: string | undefined, severity: string | null) {
  const outcome = outcomeOf(row.status);
  return {
    execution_id: row.execution_id,
    account_id: row.account_id,
    region: row.region,
    document: row.document,
    rule: rule ?? null,
    severity,
    resource_id: row.resource_id,
    status: row.status,
    outcome,
    start_time: iso(row.started_at),
    end_time: iso(row.ended_at),
    duration_seconds: row.ended_at === null ? null : Math.round((row.ended_at - row.started_at) * 10) / 10,
    reason: outcome === 'failed' ? (row.reason ?? 'other') : null,
    failure_message: outcome === 'failed' ? row.failure_message : null,
  };
}
