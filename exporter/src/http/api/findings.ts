import type { RequestHandler } from 'express';
import { inList } from '../../kpi/daily';
import { SEVERITIES } from '../../model';
import { iso, type ApiContext } from './context';
import { encodeCursor, QueryReader } from './query';

interface FindingRow {
  id: number;
  account_id: string;
  region: string;
  rule: string;
  control_id: string;
  severity: string;
  resource_type: string;
  resource_id: string;
  annotation: string | null;
  first_seen: number;
  resolved_at: number | null;
  resolution: string | null;
  pre_existing: number;
}

type Cursor = [firstSeen: number, id: number];
const isCursor = (v: unknown): v is Cursor => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

export function findingsHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    const q = new QueryReader(req, ['state', 'account_id', 'region', 'severity', 'rule', 'resource_type', 'limit', 'cursor']);
    const state = q.oneOf('state', ['open', 'resolved', 'all'] as const, 'all');
    const filters = [
      inList('account_id', q.list('account_id')),
      inList('region', q.list('region')),
      inList('severity', q.list('severity', SEVERITIES)),
      inList('rule', q.list('rule')),
      inList('resource_type', q.list('resource_type')),
    ];
    const limit = q.integer('limit', 1, 1000, 100);
    const cursor = q.cursor('cursor', isCursor);

    let sql = 'SELECT id, account_id, region, rule, control_id, severity, resource_type, resource_id, annotation, first_seen, resolved_at, resolution, pre_existing FROM findings WHERE 1 = 1';
    const params: (string | number)[] = [];
    if (state === 'open') sql += ' AND resolved_at IS NULL';
    if (state === 'resolved') sql += ' AND resolved_at IS NOT NULL';
    for (const f of filters) {
      sql += f.sql;
      params.push(...f.params);
    }
    if (cursor) {
      sql += ' AND (first_seen < ? OR (first_seen = ? AND id < ?))';
      params.push(cursor[0], cursor[0], cursor[1]);
    }
    sql += ' ORDER BY first_seen DESC, id DESC LIMIT ?';
    params.push(limit + 1);
    const rows = ctx.store.db.prepare(sql).all(...params) as FindingRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];

    const latestState = (row: FindingRow) => {
      const target = ctx.state.targets().find((t) => t.target.accountId === row.account_id && t.target.region === row.region);
      return target?.remediation?.latestState.get(`${row.rule}\u0000${row.resource_type}\u0000${row.resource_id}`) ?? null;
    };
    res.json({
      items: page.map((r) => ({
        account_id: r.account_id,
        region: r.region,
        rule: r.rule,
        control_id: r.control_id || null,
        severity: r.severity,
        resource_type: r.resource_type,
        resource_id: r.resource_id,
        annotation: r.annotation,
        state: r.resolved_at === null ? 'open' : 'resolved',
        first_seen: iso(r.first_seen),
        resolved_at: iso(r.resolved_at),
        resolution: r.resolution,
        pre_existing: r.pre_existing === 1,
        remediation_state: latestState(r),
      })),
      next_cursor: rows.length > limit && last ? encodeCursor([last.first_seen, last.id]) : null,
    });
  };
}
