import type { RequestHandler } from 'express';
import { SEVERITIES, type Severity } from '../../model';
import { exactNoncompliant } from '../../poller/snapshots';
import { round } from '../../kpi/statistics';
import { iso, type ApiContext } from './context';
import { QueryReader } from './query';

/**
 * A source is stale when it has never succeeded, or its last success is older than two poll intervals
 * plus the time its target's last cycle took: a cycle that overruns its slot waits for the next one, so a
 * healthy source can go that long between successes.
 */
export function freshness(ctx: ApiContext) {
  const now = ctx.now();
  const targets = ctx.state.targets().flatMap((t) =>
    t.sources.map((source) => {
      const status = t.status[source];
      const lastSuccess = status?.lastSuccessAt;
      return {
        account_id: t.target.accountId,
        region: t.target.region,
        source,
        ok: status?.ok ?? false,
        stale:
          lastSuccess === undefined ||
          now - lastSuccess > 2 * ctx.config.pollIntervalSeconds + Math.max(t.lastCycleSeconds, status?.lastDurationSeconds ?? 0),
        last_success: iso(lastSuccess),
        last_success_epoch: lastSuccess,
        last_error: status?.lastError ?? null,
      };
    }),
  );
  return { targets, stale: !ctx.state.ready || targets.length === 0 || targets.some((t) => t.stale) };
}

export function summaryHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    new QueryReader(req, []);
    const zero = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    const openFindings = zero();
    let resources: Record<Severity, number> | null = zero();
    let resourcesTotal: number | null = 0;
    let compliant = 0;
    let noncompliant = 0;
    let rulesEvaluated = 0;
    let rulesNoncompliant = 0;
    let rulesTotal = 0;
    let rulesWithoutCount = 0;
    let rulesWithoutDetails = 0;
    let rulesStale = 0;
    let inProgress = 0;
    for (const t of ctx.state.targets()) {
      const c = t.config;
      if (c) {
        for (const view of c.rules) {
          const count = exactNoncompliant(view);
          if (count === undefined) rulesWithoutCount++;
          else openFindings[view.classification.severity] += count;
          if (view.details.kind === 'access_denied') rulesWithoutDetails++;
          if (view.stale) rulesStale++;
        }
        if (c.resources && resources && resourcesTotal !== null) {
          for (const s of SEVERITIES) resources[s] += c.resources.noncompliantBySeverity[s];
          resourcesTotal += c.resources.noncompliantTotal;
          compliant += c.resources.evaluations.compliant;
          noncompliant += c.resources.evaluations.noncompliant;
        } else {
          // Read through an aggregator: no per-resource figures for this account and region.
          resources = null;
          resourcesTotal = null;
        }
        rulesEvaluated += c.rulesEvaluated;
        rulesNoncompliant += c.rulesNoncompliant;
        rulesTotal += c.rules.length;
      }
      for (const counts of t.remediation?.inProgress.values() ?? []) inProgress += counts.QUEUED + counts.IN_PROGRESS;
    }
    const { targets, stale } = freshness(ctx);
    const successes = targets.map((t) => t.last_success_epoch);
    const oldestSuccess = successes.some((s) => s === undefined) ? undefined : Math.min(...(successes as number[]));
    res.json({
      generated_at: iso(ctx.now()),
      open_findings: openFindings,
      open_findings_total: SEVERITIES.reduce((n, s) => n + openFindings[s], 0),
      noncompliant_resources: resources,
      noncompliant_resources_total: resourcesTotal,
      compliance_score: {
        evaluations: resources === null || compliant + noncompliant === 0 ? null : round(compliant / (compliant + noncompliant), 4),
        rules: rulesEvaluated === 0 ? null : round((rulesEvaluated - rulesNoncompliant) / rulesEvaluated, 4),
      },
      remediations_in_progress: inProgress,
      rules_total: rulesTotal,
      rules_noncompliant: rulesNoncompliant,
      rules_without_details: rulesWithoutDetails,
      rules_without_exact_count: rulesWithoutCount,
      rules_stale: rulesStale,
      last_successful_poll: targets.length === 0 ? null : iso(oldestSuccess),
      stale,
      stale_sources: targets.filter((t) => t.stale).map((t) => `${t.account_id}/${t.region}/${t.source}`),
      targets: targets.map(({ last_success_epoch: _omit, stale: _stale, ...t }) => t),
    });
  };
}
