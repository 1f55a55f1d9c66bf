import type { RequestHandler } from 'express';
import { SEVERITIES } from '../../model';
import { exactNoncompliant } from '../../poller/snapshots';
import { iso, type ApiContext } from './context';
import { QueryReader } from './query';

/** The catalog join of every rule the exporter polls, with its current counts. */
export function rulesHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    const q = new QueryReader(req, ['account_id', 'region', 'severity', 'rule']);
    const accounts = q.list('account_id');
    const regions = q.list('region');
    const severities = q.list('severity', SEVERITIES);
    const rules = q.list('rule');
    const items = [];
    for (const t of ctx.state.targets()) {
      if (accounts.length > 0 && !accounts.includes(t.target.accountId)) continue;
      if (regions.length > 0 && !regions.includes(t.target.region)) continue;
      for (const view of t.config?.rules ?? []) {
        if (severities.length > 0 && !severities.includes(view.classification.severity)) continue;
        if (rules.length > 0 && !rules.includes(view.rule.name)) continue;
        const remediation = t.remediation?.configurations.get(view.rule.name);
        const details = view.details.kind === 'ok' ? view.details : undefined;
        let compliant = 0;
        let noncompliant = 0;
        for (const counts of details?.byResourceType.values() ?? []) {
          compliant += counts.compliant;
          noncompliant += counts.noncompliant;
        }
        items.push({
          account_id: t.target.accountId,
          region: t.target.region,
          rule: view.rule.name,
          source_identifier: view.rule.sourceIdentifier,
          control_id: view.classification.controlId || null,
          title: view.classification.title || null,
          severity: view.classification.severity,
          remediation_runbook: remediation?.document ?? null,
          automatic: remediation?.automatic ?? false,
          service_linked: view.classification.serviceLinked,
          compliance: view.compliance,
          noncompliant_resources: details ? noncompliant : (exactNoncompliant(view) ?? null),
          compliant_resources: details ? compliant : null,
          details_available: details !== undefined,
          last_evaluation: iso(details?.lastRecordedAt ?? view.status?.lastSuccessfulEvaluation),
          stale_reason: view.stale?.reason ?? null,
          stale_since: iso(view.stale?.since),
        });
      }
    }
    res.json({ items });
  };
}
