import type { Statement } from 'better-sqlite3';
import { AutomationStore } from './automation-store';
import { openDatabase, type Db } from './database';
import { FindingsStore } from './findings-store';
import { MonitoringStore } from './monitoring-store';
import { RemediationStore } from './remediation-store';
import { SamplesStore } from './samples-store';
import { MetricTotals } from './totals';

/**
 * What `--storage.retention` deletes, each statement taking the cut-off time (epoch seconds): resolved
 * findings (open ones stay), finished automation executions (running ones stay), compliance samples, and
 * finished Config remediation executions except the newest of each resource. Config keeps reporting a
 * resource's latest remediation status indefinitely, and that row is what stops it being counted twice.
 * When monitoring began (monitored_targets, monitored_rules) is never pruned.
 */
export const PRUNE_STATEMENTS: readonly string[] = [
  'DELETE FROM findings WHERE resolved_at IS NOT NULL AND resolved_at < ?',
  'DELETE FROM automation_executions WHERE ended_at IS NOT NULL AND ended_at < ?',
  'DELETE FROM compliance_samples WHERE sampled_at < ?',
  'DELETE FROM remediation_executions AS old WHERE updated_at < ? AND invoked_at < (' +
    'SELECT MAX(newest.invoked_at) FROM remediation_executions AS newest ' +
    'WHERE (newest.account_id, newest.region, newest.rule, newest.resource_type, newest.resource_id) = ' +
    '(old.account_id, old.region, old.rule, old.resource_type, old.resource_id))',
];

/** The exporter's embedded SQLite store: history, and the counters that must survive restarts. */
export class Store {
  readonly db: Db;
  readonly totals: MetricTotals;
  readonly findings: FindingsStore;
  readonly remediations: RemediationStore;
  readonly automations: AutomationStore;
  readonly samples: SamplesStore;
  readonly monitoring: MonitoringStore;
  private readonly pruneStatements: Statement<[number]>[];

  constructor(path: string) {
    this.db = openDatabase(path);
    this.totals = new MetricTotals(this.db);
    this.findings = new FindingsStore(this.db, this.totals);
    this.remediations = new RemediationStore(this.db, this.totals);
    this.automations = new AutomationStore(this.db, this.totals);
    this.samples = new SamplesStore(this.db);
    this.monitoring = new MonitoringStore(this.db);
    this.pruneStatements = PRUNE_STATEMENTS.map((sql) => this.db.prepare<[number]>(sql));
  }

  /** Runs `write` as one transaction; counters change in memory only if it commits. */
  write<T>(write: () => T): T {
    return this.totals.transaction(write);
  }

  /**
   * Deletes history older than `before` (epoch seconds), one prune statement after another in one
   * transaction. Counters and histograms are kept apart and are not affected.
   */
  prune(before: number): void {
    this.write(() => {
      for (const statement of this.pruneStatements) statement.run(before);
    });
  }

  close(): void {
    this.db.close();
  }
}
