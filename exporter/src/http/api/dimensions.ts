import type { RequestHandler } from 'express';
import { SEVERITIES } from '../../model';
import type { ApiContext } from './context';
import { QueryReader } from './query';

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The values that exist, for template variables and filter pickers. */
export function dimensionsHandler(ctx: ApiContext): RequestHandler {
  return (req, res) => {
    new QueryReader(req, []);
    const targets = ctx.state.targets();
    const documents = (ctx.store.db.prepare('SELECT DISTINCT document FROM automation_executions').all() as { document: string }[]).map((r) => r.document);
    res.json({
      accounts: sorted(targets.map((t) => t.target.accountId)),
      regions: sorted(targets.map((t) => t.target.region)),
      severities: [...SEVERITIES],
      rules: sorted(targets.flatMap((t) => t.config?.rules.map((v) => v.rule.name) ?? [])),
      documents: sorted([...documents, ...targets.flatMap((t) => [...(t.remediation?.configurations.values() ?? [])].map((c) => c.document))]),
      resource_types: sorted(
        targets.flatMap((t) => t.config?.rules.flatMap((v) => (v.details.kind === 'ok' ? [...v.details.byResourceType.keys()] : [])) ?? []),
      ),
    });
  };
}
