import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dailyKpis } from '../../../src/kpi/daily';
import { RemediationCatalog } from '../../../src/kpi/remediation-catalog';
import { ExporterState } from '../../../src/poller/snapshots';
import { MIGRATIONS, type Db } from '../../../src/store/database';
import { PRUNE_STATEMENTS, Store } from '../../../src/store/store';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'cp-schema-')), 'store.db');
const labelKey = (labels: [string, string][]) => JSON.stringify(labels);
const ttrLabels: [string, string][] = [
  ['account_id', '123456789012'],
  ['region', 'us-east-1'],
  ['severity', 'CRITICAL'],
];

/** The query plan's lines for one statement, as `EXPLAIN QUERY PLAN` gives them. */
function plan(db: Db, sql: string, params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (row) => row.detail,
  );
}

/** A stand-in for the connection that runs every query on the real one and records it with its parameters. */
function recording(db: Db): { db: Db; queries: { sql: string; params: unknown[] }[] } {
  const queries: { sql: string; params: unknown[] }[] = [];
  const recorder = {
    prepare: (sql: string) => ({
      all: (...params: unknown[]) => {
        queries.push({ sql, params });
        return db.prepare(sql).all(...params);
      },
    }),
  };
  return { db: recorder as unknown as Db, queries };
}

describe('store schema', () => {
  it('migrates a store written with schema 1, keeping every counter and histogram value', () => {
    const path = tempPath();
    const old = new Database(path);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    const key = labelKey(ttrLabels);
    const insertHistogram = old.prepare(
      'INSERT INTO histograms (metric, labels, bucket_counts, sum, count) VALUES (?, ?, ?, ?, ?)',
    );
    const ttrBuckets = [0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    insertHistogram.run(
      'aws_config_time_to_remediate_seconds',
      key,
      JSON.stringify(ttrBuckets),
      3_000_450.5,
      4,
    );
    const durationKey = labelKey([
      ['account_id', '123456789012'],
      ['document', 'AWS-X'],
      ['region', 'us-east-1'],
    ]);
    const durationBuckets = [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
    insertHistogram.run(
      'aws_ssm_automation_execution_duration_seconds',
      durationKey,
      JSON.stringify(durationBuckets),
      90_001,
      9,
    );
    old
      .prepare('INSERT INTO totals (metric, labels, value) VALUES (?, ?, ?)')
      .run('aws_ssm_automation_executions_total', durationKey, 9);
    old.close();

    let store = new Store(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const byMetric = (
      metric: 'aws_config_time_to_remediate_seconds' | 'aws_ssm_automation_execution_duration_seconds',
    ) =>
      store.totals
        .histogramSeries(metric)
        .map(({ bucketCounts, sum, count }) => ({ bucketCounts, sum, count }));
    expect(byMetric('aws_config_time_to_remediate_seconds')).toEqual([
      { bucketCounts: ttrBuckets, sum: 3_000_450.5, count: 4 },
    ]);
    expect(byMetric('aws_ssm_automation_execution_duration_seconds')).toEqual([
      { bucketCounts: durationBuckets, sum: 90_001, count: 9 },
    ]);
    expect(store.totals.counterSeries('aws_ssm_automation_executions_total').map((s) => s.value)).toEqual([
      9,
    ]);

    // The migrated series go on counting from where they were, and a reopen reads the same.
    store.write(() =>
      store.totals.observe('aws_config_time_to_remediate_seconds', Object.fromEntries(ttrLabels), 200),
    );
    store.close();
    store = new Store(path);
    expect(byMetric('aws_config_time_to_remediate_seconds')).toEqual([
      { bucketCounts: ttrBuckets.map((n, i) => (i === 1 ? n + 1 : n)), sum: 3_000_650.5, count: 5 },
    ]);
    store.close();
  });

  it("migrates a store written with schema 2: monitoring began at each target's first sample, findings open then are pre-existing", () => {
    const path = tempPath();
    const old = new Database(path);
    old.exec(MIGRATIONS[0] as string);
    old.exec(MIGRATIONS[1] as string);
    old.pragma('user_version = 2');
    const sample = old.prepare(
      'INSERT INTO compliance_samples (account_id, region, sampled_at, evaluations_compliant, evaluations_noncompliant, rules_evaluated, rules_noncompliant) VALUES (?, ?, ?, 8, 2, 3, 1)',
    );
    sample.run('111111111111', 'us-east-1', 2000);
    sample.run('111111111111', 'us-east-1', 1000);
    sample.run('111111111111', 'eu-west-1', 1500);
    const finding = old.prepare(
      "INSERT INTO findings (account_id, region, rule, resource_type, resource_id, severity, control_id, annotation, first_seen, resolved_at, resolution) VALUES (?, ?, 'r', 'T', ?, 'HIGH', 'X.1', 'why', ?, ?, ?)",
    );
    finding.run('111111111111', 'us-east-1', 'open-at-first-poll', 900, null, null);
    finding.run('111111111111', 'us-east-1', 'fixed-after', 990, 1800, 'compliant');
    finding.run('111111111111', 'us-east-1', 'opened-later', 1200, null, null);
    finding.run('111111111111', 'eu-west-1', 'open-at-first-poll', 1500, null, null);
    // A target without samples (all pruned): nothing says when its monitoring began.
    finding.run('222222222222', 'us-east-1', 'unknown', 100, null, null);
    old
      .prepare('INSERT INTO totals (metric, labels, value) VALUES (?, ?, ?)')
      .run('aws_config_remediation_executions_total', '[]', 7);
    old.close();

    const store = new Store(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(3);
    expect(store.monitoring.firstConfigPolls()).toEqual(
      new Map([
        ['111111111111/eu-west-1', 1500],
        ['111111111111/us-east-1', 1000],
      ]),
    );
    expect(
      store.db
        .prepare(
          'SELECT account_id, region, resource_id, severity, control_id, annotation, first_seen, resolved_at, resolution, pre_existing FROM findings ORDER BY id',
        )
        .all(),
    ).toEqual(
      [
        ['111111111111', 'us-east-1', 'open-at-first-poll', 900, null, null, 1],
        ['111111111111', 'us-east-1', 'fixed-after', 990, 1800, 'compliant', 1],
        ['111111111111', 'us-east-1', 'opened-later', 1200, null, null, 0],
        ['111111111111', 'eu-west-1', 'open-at-first-poll', 1500, null, null, 1],
        ['222222222222', 'us-east-1', 'unknown', 100, null, null, 0],
      ].map(([account_id, region, resource_id, first_seen, resolved_at, resolution, pre_existing]) => ({
        account_id,
        region,
        resource_id,
        severity: 'HIGH',
        control_id: 'X.1',
        annotation: 'why',
        first_seen,
        resolved_at,
        resolution,
        pre_existing,
      })),
    );
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM compliance_samples').get()).toEqual({ n: 3 });
    expect(store.totals.counterSeries('aws_config_remediation_executions_total')).toEqual([
      { labels: {}, value: 7 },
    ]);
    // Rules read after the upgrade were read before it: what they open now is new.
    const target = { accountId: '111111111111', region: 'us-east-1' };
    expect(store.write(() => store.monitoring.recordResultsRead(target, 'r', 3000))).toBe(false);
    store.close();
  });

  it('writes each observation as an increment, so a change it did not make is never overwritten', () => {
    const path = tempPath();
    const store = new Store(path);
    const labels = Object.fromEntries(ttrLabels);
    const observe = (value: number) =>
      store.write(() => store.totals.observe('aws_config_time_to_remediate_seconds', labels, value));
    observe(30);
    // Another change committed to the same rows behind this process's back (as a second writer would).
    store.db.prepare('UPDATE histograms SET count = count + 5, sum = sum + 150').run();
    store.db.prepare('UPDATE histogram_buckets SET count = count + 5 WHERE bucket = 0').run();
    observe(40);
    expect(store.db.prepare('SELECT sum, count FROM histograms').get()).toEqual({ sum: 220, count: 7 });
    expect(store.db.prepare('SELECT bucket, count FROM histogram_buckets').all()).toEqual([
      { bucket: 0, count: 7 },
    ]);
    // Memory mirrors only this process's own committed observations.
    expect(store.totals.histogramSeries('aws_config_time_to_remediate_seconds')[0]).toMatchObject({
      sum: 70,
      count: 2,
    });
    store.close();
  });

  it('changes no histogram, in memory or on disk, when the transaction fails', () => {
    const store = new Store(tempPath());
    const labels = Object.fromEntries(ttrLabels);
    store.write(() => store.totals.observe('aws_config_time_to_remediate_seconds', labels, 30));
    expect(() =>
      store.write(() => {
        store.totals.observe('aws_config_time_to_remediate_seconds', labels, 100_000);
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(store.totals.histogramSeries('aws_config_time_to_remediate_seconds')[0]).toMatchObject({
      sum: 30,
      count: 1,
    });
    expect(store.db.prepare('SELECT SUM(count) AS n FROM histogram_buckets').get()).toEqual({ n: 1 });
    expect(store.db.prepare('SELECT sum, count FROM histograms').get()).toEqual({ sum: 30, count: 1 });
    store.close();
  });

  it('prunes every table through an index', () => {
    const store = new Store(tempPath());
    for (const sql of PRUNE_STATEMENTS) {
      const lines = plan(store.db, sql, [1000]);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect([sql, line]).not.toEqual([sql, expect.stringMatching(/^SCAN /)]);
    }
    store.close();
  });

  it('reads compliance samples for /kpis/daily through an index, with or without filters', () => {
    const store = new Store(tempPath());
    const catalog = new RemediationCatalog(store.db, new ExporterState(), { remediationDocuments: [] });
    const filters = [
      { accountIds: [], regions: [], severities: [] },
      { accountIds: ['123456789012'], regions: [], severities: [] },
      { accountIds: ['123456789012', '210987654321'], regions: ['us-east-1'], severities: [] },
    ];
    for (const filter of filters) {
      const recorder = recording(store.db);
      dailyKpis(recorder.db, catalog, {
        from: '2026-11-01',
        to: '2026-11-30',
        timeZone: 'UTC',
        filter,
        now: 1_800_000_000,
        monitoringBegan: 1_790_000_000,
      });
      const samples = recorder.queries.filter((q) => q.sql.includes('FROM compliance_samples'));
      expect(samples).toHaveLength(1);
      const { sql, params } = samples[0] as { sql: string; params: unknown[] };
      const lines = plan(store.db, sql, params).filter((line) => line.includes('compliance_samples'));
      expect(lines).toEqual([expect.stringMatching(/^SEARCH compliance_samples USING /)]);
    }
    store.close();
  });
});
