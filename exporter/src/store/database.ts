import Database from 'better-sqlite3';
import { ConfigError } from '../config/errors';

export type Db = Database.Database;

/** Schema migrations, applied in order; `PRAGMA user_version` records how many have run. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE totals (
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (metric, labels)
  ) WITHOUT ROWID;

  CREATE TABLE histograms (
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    bucket_counts TEXT NOT NULL,
    sum REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (metric, labels)
  ) WITHOUT ROWID;

  CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    rule TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    control_id TEXT NOT NULL,
    annotation TEXT,
    first_seen REAL NOT NULL,
    resolved_at REAL,
    resolution TEXT
  );
  CREATE UNIQUE INDEX findings_open_key ON findings (account_id, region, rule, resource_type, resource_id)
    WHERE resolved_at IS NULL;
  CREATE INDEX findings_by_first_seen ON findings (first_seen);
  CREATE INDEX findings_by_resolved_at ON findings (resolved_at);

  CREATE TABLE remediation_executions (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    rule TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    invoked_at REAL NOT NULL,
    state TEXT NOT NULL,
    updated_at REAL NOT NULL,
    severity TEXT NOT NULL,
    runbook TEXT NOT NULL,
    reason TEXT,
    error_message TEXT,
    PRIMARY KEY (account_id, region, rule, resource_type, resource_id, invoked_at)
  ) WITHOUT ROWID;

  CREATE TABLE automation_executions (
    execution_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    document TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL,
    failure_message TEXT,
    reason TEXT,
    executed_by TEXT,
    rule TEXT,
    resource_id TEXT,
    detail_fetched INTEGER NOT NULL DEFAULT 0,
    counted INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX automation_by_target_start ON automation_executions (account_id, region, started_at);
  CREATE INDEX automation_by_end ON automation_executions (ended_at);
  CREATE INDEX automation_running ON automation_executions (account_id, region) WHERE ended_at IS NULL;

  CREATE TABLE compliance_samples (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    sampled_at REAL NOT NULL,
    evaluations_compliant INTEGER NOT NULL,
    evaluations_noncompliant INTEGER NOT NULL,
    rules_evaluated INTEGER NOT NULL,
    rules_noncompliant INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, sampled_at)
  ) WITHOUT ROWID;
  `,
  // Histogram buckets get a row each, so that an observation is an SQL increment like a counter's; and time
  // indexes, so that pruning and /kpis/daily read compliance samples and remediation executions without a scan.
  `
  CREATE TABLE histogram_buckets (
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (metric, labels, bucket)
  ) WITHOUT ROWID;
  INSERT INTO histogram_buckets (metric, labels, bucket, count)
    SELECT histograms.metric, histograms.labels, CAST(bucket.key AS INTEGER), bucket.value
    FROM histograms, json_each(histograms.bucket_counts) AS bucket;
  ALTER TABLE histograms DROP COLUMN bucket_counts;

  CREATE INDEX compliance_samples_by_sampled_at ON compliance_samples (sampled_at);
  CREATE INDEX remediation_by_updated_at ON remediation_executions (updated_at);
  `,
  // When monitoring began: each target's first successful Config poll (for an existing store, its earliest
  // compliance sample, one per successful poll); the rules that existed then and whose results have not
  // been read yet; and findings already open at the first poll, whose first-seen time is only a bound.
  // Existing findings first seen no later than their target's first sample were open at that poll.
  `
  CREATE TABLE monitored_targets (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    first_config_poll_at REAL NOT NULL,
    PRIMARY KEY (account_id, region)
  ) WITHOUT ROWID;
  INSERT INTO monitored_targets (account_id, region, first_config_poll_at)
    SELECT account_id, region, MIN(sampled_at) FROM compliance_samples GROUP BY account_id, region;

  CREATE TABLE monitored_rules (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    rule TEXT NOT NULL,
    first_read_at REAL,
    PRIMARY KEY (account_id, region, rule)
  ) WITHOUT ROWID;

  ALTER TABLE findings ADD COLUMN pre_existing INTEGER NOT NULL DEFAULT 0;
  UPDATE findings SET pre_existing = 1 WHERE first_seen <= (
    SELECT first_config_poll_at FROM monitored_targets AS t
    WHERE t.account_id = findings.account_id AND t.region = findings.region);
  `,
];

/**
 * Opens (creating if needed) the exporter's SQLite store in WAL mode, locked to this process, and brings
 * its schema up to date. Throws a `ConfigError` if another process has the store open.
 */
export function openDatabase(path: string): Db {
  // No busy timeout: the lock below is held for the holder's whole life, so waiting for it is pointless.
  const db = new Database(path, { timeout: 0 });
  try {
    // One process per store. In EXCLUSIVE locking mode set before WAL is first used, SQLite keeps the
    // WAL index in heap memory instead of the -shm file and holds an exclusive lock on the database file
    // until the connection closes ("Use of WAL Without Shared-Memory" in https://www.sqlite.org/wal.html;
    // https://www.sqlite.org/pragma.html#pragma_locking_mode). Any other connection then gets SQLITE_BUSY
    // on its first access. The lock is an fcntl lock, which the kernel drops when the holder dies, even by
    // SIGKILL, so there is no PID file to go stale.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
  } catch (err) {
    db.close();
    if (String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY')) {
      throw new ConfigError(`--storage.path: "${path}" is in use by another process`);
    }
    throw err;
  }
  // FULL: in WAL mode it syncs the WAL at every commit, so a committed transaction survives power loss or
  // an OS crash, whereas with NORMAL it "might roll back following a power loss or system crash"
  // (https://www.sqlite.org/pragma.html#pragma_synchronous). A counter already exported must never go back
  // (Prometheus would read a reset), and the exporter commits a few times per poll, so one fsync each is cheap.
  // Both settings survive the exporter's own crash ("durable across application crashes", same page).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    db.close();
    throw new Error(
      `store "${path}" was written by a newer version (schema ${applied}, this version knows ${MIGRATIONS.length})`,
    );
  }
  for (let version = applied; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return db;
}

/** A one-line description of a store failure: SQLite's error code and message. */
export function describeStoreError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  // Not `instanceof Error`: better-sqlite3 builds its errors in the native addon's realm, which need not be ours.
  const text = (err as { message?: unknown } | null)?.message;
  const message = typeof text === 'string' ? (text.split('\n')[0] as string) : String(err);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
