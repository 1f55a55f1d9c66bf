import { AutomationStore } from './automation-store';
import { openDatabase, type Db } from './database';
import { FindingsStore } from './findings-store';
import { RemediationStore } from './remediation-store';
import { SamplesStore } from './samples-store';
import { MetricTotals } from './totals';

/** The exporter's embedded SQLite store: history, and the counters that must survive restarts. */
export class Store {
  readonly db: Db;
  readonly totals: MetricTotals;
  readonly findings: FindingsStore;
  readonly remediations: RemediationStore;
  readonly automations: AutomationStore;
  readonly samples: SamplesStore;

  constructor(path: string) {
    this.db = openDatabase(path);
    this.totals = new MetricTotals(this.db);
    this.findings = new FindingsStore(this.db, this.totals);
    this.remediations = new RemediationStore(this.db, this.totals);
    this.automations = new AutomationStore(this.db, this.totals);
    this.samples = new SamplesStore(this.db);
  }

  /** Runs `write` as one transaction; counters change in memory only if it commits. */
  write<T>(write: () => T): T {
    return this.totals.transaction(write);
  }

  /**
   * Deletes history older than `before` (epoch seconds): resolved findings, finished automation executions
   * and compliance samples. Counters are kept apart and are not affected. Config remediation executions are
   * never deleted: Config keeps reporting a resource's latest status indefinitely, and the row is what
   * stops it from being counted twice.
   */
  prune(before: number): void {
    this.write(() => {
      this.db.prepare('DELETE FROM findings WHERE resolved_at IS NOT NULL AND resolved_at < ?').run(before);
      this.db.prepare('DELETE FROM automation_executions WHERE ended_at IS NOT NULL AND ended_at < ?').run(before);
      this.db.prepare('DELETE FROM compliance_samples WHERE sampled_at < ?').run(before);
    });
  }

  close(): void {
    this.db.close();
  }
}
