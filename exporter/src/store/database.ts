import Database from 'better-sqlite3';

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
];

/** Opens (creating if needed) the exporter's SQLite store in WAL mode and brings its schema up to date. */
export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
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
