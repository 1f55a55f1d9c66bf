import type { RemediationExecution, Severity, Target } from '../model';
import { classifyFailure } from '../remediation/failure-reason';
import type { Db } from './database';
import type { MetricTotals } from './totals';

export interface RemediationRuleLabels {
  severity: Severity;
  runbook: string;
}

/** Finished Config remediation executions, each recorded (and counted) once: key rule + resource + invocation time. */
export class RemediationStore {
  private readonly insert;
  private readonly selectRuleForResource;

  constructor(
    db: Db,
    private readonly totals: MetricTotals,
  ) {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO remediation_executions (account_id, region, rule, resource_type, resource_id, invoked_at, state, updated_at, severity, runbook, reason, error_message) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectRuleForResource = db.prepare(
      'SELECT rule FROM remediation_executions WHERE account_id = ? AND region = ? AND runbook = ? AND resource_id = ? ORDER BY invoked_at DESC LIMIT 1',
    );
  }

  /** Which rule's remediation ran `runbook` on a resource, when several rules share the runbook. */
  ruleForResource(target: Target, runbook: string, resourceId: string | undefined): string | undefined {
    if (resourceId === undefined) return undefined;
    const row = this.selectRuleForResource.get(target.accountId, target.region, runbook, resourceId) as { rule: string } | undefined;
    return row?.rule;
  }

  /** Records the finished executions not seen before; call inside a `MetricTotals.transaction`. Returns how many were new. */
  recordFinished(target: Target, executions: readonly RemediationExecution[], labelsOf: (rule: string) => RemediationRuleLabels): number {
    let added = 0;
    for (const e of executions) {
      if (e.state !== 'SUCCEEDED' && e.state !== 'FAILED') continue;
      const { severity, runbook } = labelsOf(e.rule);
      const reason = e.state === 'FAILED' ? classifyFailure({ message: e.errorMessage }) : null;
      const inserted = this.insert.run(
        target.accountId, target.region, e.rule, e.resourceType, e.resourceId, e.invokedAt, e.state, e.updatedAt,
        severity, runbook, reason, e.errorMessage ?? null,
      );
      if (inserted.changes === 0) continue;
      added++;
      const labels = { account_id: target.accountId, region: target.region, rule: e.rule, severity, runbook };
      this.totals.increment('aws_config_remediation_executions_total', labels);
      if (reason !== null) this.totals.increment('aws_config_remediation_execution_failures_total', { ...labels, reason });
      this.totals.observe(
        'aws_config_remediation_duration_seconds',
        { account_id: target.accountId, region: target.region, severity },
        Math.max(0, e.updatedAt - e.invokedAt),
      );
    }
    return added;
  }
}
