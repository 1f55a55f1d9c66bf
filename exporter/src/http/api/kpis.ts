import type { RequestHandler } from 'express';
import { daysBetween } from '../../kpi/calendar';
import { dailyKpis, monitoringBegan } from '../../kpi/daily';
import { SEVERITIES, type Severity } from '../../model';
import { iso, type ApiContext } from './context';
import { invalidParameter, QueryReader } from './query';
import { freshness } from './summary';

export const MAX_RANGE_DAYS = 400;

/** Reads from/to/tz and checks the range; shared by the endpoints that take a date range. */
export function readDateRange(q: QueryReader, defaultTimeZone: string): { from: string; to: string; timeZone: string } {
  const from = q.date('from');
  const to = q.date('to');
  const timeZone = q.timeZone('tz', defaultTimeZone);
  const span = daysBetween(from, to);
  if (span < 0) throw invalidParameter('from', `must not be after to (${from} > ${to})`);
  if (span + 1 > MAX_RANGE_DAYS) throw invalidParameter('to', `is ${span + 1} days after from; at most ${MAX_RANGE_DAYS} days per request`);
  return { from, to, timeZone };
}

/** When monitoring began for the polled targets that the account and region filters select. */
export function monitoringBeganFor(
  ctx: ApiContext,
  accountIds: readonly string[],
  regions: readonly string[],
): number | null {
  const selected = ctx.state
    .targets()
    .map((t) => t.target)
    .filter(
      (t) =>
        (accountIds.length === 0 || accountIds.includes(t.accountId)) &&
        (regions.length === 0 || regions.includes(t.region)),
    );
  return monitoringBegan(selected, ctx.store.monitoring.firstConfigPolls());
}

export function kpisDailyHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    const q = new QueryReader(req, ['from', 'to', 'tz', 'account_id', 'region', 'severity']);
    const { from, to, timeZone } = readDateRange(q, ctx.config.kpiTimeZone);
    const filter = {
      accountIds: q.list('account_id'),
      regions: q.list('region'),
      severities: q.list('severity', SEVERITIES) as Severity[],
    };
    const now = ctx.now();
    const began = monitoringBeganFor(ctx, filter.accountIds, filter.regions);
    const days = dailyKpis(ctx.store.db, ctx.catalog, { from, to, timeZone, filter, now, monitoringBegan: began });
    const stale = freshness(ctx).stale;
    res.json({ timezone: timeZone, from, to, generated_at: iso(now), stale, monitoring_began: iso(began), days });
  };
}
