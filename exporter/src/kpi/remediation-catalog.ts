import type { Config } from '../config/load';
import type { Severity } from '../model';
import type { ExporterState } from '../poller/snapshots';
import type { Db } from '../store/database';

/**
 * What makes an SSM Automation execution a remediation, and which rule it served: runbooks that a Config
 * remediation configuration targets (from the latest poll, or recorded history after a restart) plus the
 * runbooks listed with --remediation.document.
 */
export class RemediationCatalog {
  private readonly historicRunbooks;
  private readonly historicRuleSeverity;

  constructor(
    db: Db,
    private readonly state: ExporterState,
    private readonly config: Pick<Config, 'remediationDocuments'>,
  ) {
    this.historicRunbooks = db.prepare('SELECT DISTINCT rule, runbook FROM remediation_executions WHERE account_id = ? AND region = ?');
    this.historicRuleSeverity = db.prepare(
      'SELECT severity FROM remediation_executions WHERE account_id = ? AND region = ? AND rule = ? ORDER BY invoked_at DESC LIMIT 1',
    );
  }

  /** For one target: runbook → rules whose remediation configuration targets it. */
  runbooks(accountId: string, region: string): Map<string, string[]> {
    const map = new Map<string, string[]>();
    const add = (runbook: string, rule: string | undefined) => {
      const rules = map.get(runbook) ?? [];
      if (rule !== undefined && !rules.includes(rule)) rules.push(rule);
      map.set(runbook, rules);
    };
    const target = this.state.targets().find((t) => t.target.accountId === accountId && t.target.region === region);
    for (const c of target?.remediation?.configurations.values() ?? []) add(c.document, c.rule);
    for (const row of this.historicRunbooks.all(accountId, region) as { rule: string; runbook: string }[]) add(row.runbook, row.rule);
    for (const document of this.config.remediationDocuments) add(document, undefined);
    return map;
  }

  severityOf(accountId: string, region: string, rule: string): Severity {
    const target = this.state.targets().find((t) => t.target.accountId === accountId && t.target.region === region);
    const view = target?.config?.rules.find((v) => v.rule.name === rule);
    if (view) return view.classification.severity;
    const row = this.historicRuleSeverity.get(accountId, region, rule) as { severity: Severity } | undefined;
    return row?.severity ?? 'UNKNOWN';
  }
}

/** The rule an execution served: the one recorded from its parameters, or the only rule using its runbook. */
export function ruleOfExecution(recordedRule: string | null, runbookRules: readonly string[] | undefined): string | undefined {
  if (recordedRule) return recordedRule;
  return runbookRules?.length === 1 ? runbookRules[0] : undefined;
}
