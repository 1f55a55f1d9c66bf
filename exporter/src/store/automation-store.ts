import { SUCCESS_AUTOMATION_STATUSES, TERMINAL_AUTOMATION_STATUSES, type AutomationExecution, type Target } from '../model';
import { classifyFailure } from '../remediation/failure-reason';
import type { Db } from './database';
import type { MetricTotals } from './totals';

interface StoredExecution {
  status: string;
  ended_at: number | null;
  counted: number;
}

/**
 * SSM Automation executions as the exporter has seen them. Each one is counted once, when it is first
 * seen in a terminal status, whether that happens during the 30-day backfill or later.
 */
export class AutomationStore {
  private readonly select;
  private readonly insert;
  private readonly update;
  private readonly markCounted;
  private readonly selectRunning;
  private readonly selectNewestStart;
  private readonly selectPendingDetail;
  private readonly updateDetail;
  private readonly selectRunningCounts;
  private readonly deleteRunning;
  private readonly selectActiveDocuments;

  constructor(
    db: Db,
    private readonly totals: MetricTotals,
  ) {
    this.select = db.prepare('SELECT status, ended_at, counted FROM automation_executions WHERE execution_id = ?');
    this.insert = db.prepare(
      'INSERT INTO automation_executions (execution_id, account_id, region, document, status, started_at, ended_at, failure_message, executed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.update = db.prepare('UPDATE automation_executions SET status = ?, ended_at = ?, failure_message = ? WHERE execution_id = ?');
    this.markCounted = db.prepare('UPDATE automation_executions SET counted = 1, reason = ? WHERE execution_id = ?');
    this.selectRunning = db.prepare(
      'SELECT execution_id FROM automation_executions WHERE account_id = ? AND region = ? AND ended_at IS NULL AND started_at < ?',
    );
    this.selectNewestStart = db.prepare('SELECT MAX(started_at) AS newest FROM automation_executions WHERE account_id = ? AND region = ?');
    this.selectPendingDetail = db.prepare(
      'SELECT execution_id, document FROM automation_executions WHERE account_id = ? AND region = ? AND detail_fetched = 0 AND ended_at IS NOT NULL ' +
        'ORDER BY started_at DESC LIMIT ?',
    );
    this.updateDetail = db.prepare('UPDATE automation_executions SET detail_fetched = 1, rule = ?, resource_id = ?, failure_message = COALESCE(?, failure_message) WHERE execution_id = ?');
    this.selectActiveDocuments = db.prepare(
      'SELECT DISTINCT document FROM automation_executions WHERE account_id = ? AND region = ? AND (ended_at IS NULL OR started_at >= ? OR ended_at >= ?)',
    );
    this.deleteRunning = db.prepare('DELETE FROM automation_executions WHERE execution_id = ? AND ended_at IS NULL');
    this.selectRunningCounts = db.prepare(
      'SELECT document, status, COUNT(*) AS n FROM automation_executions WHERE account_id = ? AND region = ? AND ended_at IS NULL GROUP BY document, status',
    );
  }

  /** Inserts or updates executions and counts the newly finished ones; call inside a `MetricTotals.transaction`. */
  upsert(target: Target, executions: readonly AutomationExecution[]): { added: number; finished: number } {
    let added = 0;
    let finished = 0;
    for (const e of executions) {
      const terminal = TERMINAL_AUTOMATION_STATUSES.has(e.status);
      const endedAt = terminal ? (e.endedAt ?? e.startedAt) : null;
      const stored = this.select.get(e.id) as StoredExecution | undefined;
      if (!stored) {
        this.insert.run(e.id, target.accountId, target.region, e.document, e.status, e.startedAt, endedAt, e.failureMessage ?? null, e.executedBy ?? null);
        added++;
      } else if (stored.status !== e.status || stored.ended_at !== endedAt) {
        this.update.run(e.status, endedAt, e.failureMessage ?? null, e.id);
      }
      if (terminal && !stored?.counted) {
        this.count(target, e, endedAt ?? e.startedAt);
        finished++;
      }
    }
    return { added, finished };
  }

  /** Executions this store still believes are running and that started before `before` (epoch seconds). */
  runningStartedBefore(target: Target, before: number): string[] {
    return (this.selectRunning.all(target.accountId, target.region, before) as { execution_id: string }[]).map((r) => r.execution_id);
  }

  /** Runbooks with an execution running, or started or finished since `since` (epoch seconds). */
  documentsActiveSince(target: Target, since: number): Set<string> {
    const rows = this.selectActiveDocuments.all(target.accountId, target.region, since, since) as { document: string }[];
    return new Set(rows.map((r) => r.document));
  }

  /** Forgets executions SSM no longer knows (past its retention) without ever seeing them finish. */
  forgetRunning(ids: readonly string[]): void {
    for (const id of ids) this.deleteRunning.run(id);
  }

  newestStart(target: Target): number | undefined {
    const row = this.selectNewestStart.get(target.accountId, target.region) as { newest: number | null };
    return row.newest ?? undefined;
  }

  /** Finished executions whose parameters (the remediated resource) have not been read yet, newest first. */
  pendingDetails(target: Target, limit: number): { id: string; document: string }[] {
    return (this.selectPendingDetail.all(target.accountId, target.region, limit) as { execution_id: string; document: string }[]).map((r) => ({
      id: r.execution_id,
      document: r.document,
    }));
  }

  recordDetail(id: string, detail: { rule: string | undefined; resourceId: string | undefined; failureMessage: string | undefined }): void {
    this.updateDetail.run(detail.rule ?? null, detail.resourceId ?? null, detail.failureMessage ?? null, id);
  }

  runningCounts(target: Target): { document: string; status: string; count: number }[] {
    return (this.selectRunningCounts.all(target.accountId, target.region) as { document: string; status: string; n: number }[]).map((r) => ({
      document: r.document,
      status: r.status,
      count: r.n,
    }));
  }

  private count(target: Target, e: AutomationExecution, endedAt: number): void {
    const success = SUCCESS_AUTOMATION_STATUSES.has(e.status);
    const reason = success ? null : classifyFailure({ status: e.status, message: e.failureMessage });
    const base = { account_id: target.accountId, region: target.region, document: e.document };
    this.totals.increment('aws_ssm_automation_executions_total', { ...base, status: e.status });
    if (reason !== null) this.totals.increment('aws_ssm_automation_execution_failures_total', { ...base, reason });
    this.totals.observe('aws_ssm_automation_execution_duration_seconds', base, Math.max(0, endedAt - e.startedAt));
    this.markCounted.run(reason, e.id);
  }
}
