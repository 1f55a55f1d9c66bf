import { PERSISTED_HISTOGRAMS, type PersistedHistogramName } from '../histograms';
import type { Db } from './database';

export type Labels = Record<string, string>;

export interface CounterSeries {
  labels: Labels;
  value: number;
}

export interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last entry is the +Inf bucket. */
  bucketCounts: number[];
  sum: number;
  count: number;
}

/** Canonical key of a label set: the same labels in any order give the same key. */
function labelKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

function parseLabelKey(key: string): Labels {
  return Object.fromEntries(JSON.parse(key) as [string, string][]);
}

/** One transaction's observations of one histogram series. */
interface HistogramDelta {
  metric: string;
  key: string;
  labels: Labels;
  bucketCounts: number[];
  sum: number;
  count: number;
}

/**
 * Counters and histograms that survive restarts: every change is written as an SQL increment in the same
 * SQLite transaction as the event that caused it, and mirrored in memory only once that transaction has
 * committed, so a restart neither lowers nor double counts anything.
 */
export class MetricTotals {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, HistogramSeries>>();
  /** Changes made by the running transaction, keyed by metric and label key; applied once it commits. */
  private readonly stagedCounters = new Map<string, { metric: string; key: string; delta: number }>();
  private readonly stagedHistograms = new Map<string, HistogramDelta>();
  private readonly upsertCounter;
  private readonly upsertHistogram;
  private readonly upsertBucket;
  private changes = 0;

  constructor(private readonly db: Db) {
    this.upsertCounter = db.prepare(
      'INSERT INTO totals (metric, labels, value) VALUES (?, ?, ?) ON CONFLICT (metric, labels) DO UPDATE SET value = value + excluded.value',
    );
    this.upsertHistogram = db.prepare(
      'INSERT INTO histograms (metric, labels, sum, count) VALUES (?, ?, ?, 1) ' +
        'ON CONFLICT (metric, labels) DO UPDATE SET sum = sum + excluded.sum, count = count + 1',
    );
    this.upsertBucket = db.prepare(
      'INSERT INTO histogram_buckets (metric, labels, bucket, count) VALUES (?, ?, ?, 1) ' +
        'ON CONFLICT (metric, labels, bucket) DO UPDATE SET count = count + 1',
    );
    for (const row of db.prepare('SELECT metric, labels, value FROM totals').all() as {
      metric: string;
      labels: string;
      value: number;
    }[]) {
      mapOf(this.counters, row.metric).set(row.labels, row.value);
    }
    for (const row of db.prepare('SELECT metric, labels, sum, count FROM histograms').all() as {
      metric: string;
      labels: string;
      sum: number;
      count: number;
    }[]) {
      const bounds = PERSISTED_HISTOGRAMS[row.metric as PersistedHistogramName] as
        readonly number[] | undefined;
      if (!bounds)
        throw new Error(`the store holds histogram "${row.metric}", which this version does not know`);
      mapOf(this.histograms, row.metric).set(row.labels, {
        labels: parseLabelKey(row.labels),
        bucketCounts: new Array<number>(bounds.length + 1).fill(0),
        sum: row.sum,
        count: row.count,
      });
    }
    for (const row of db.prepare('SELECT metric, labels, bucket, count FROM histogram_buckets').all() as {
      metric: string;
      labels: string;
      bucket: number;
      count: number;
    }[]) {
      const series = this.histograms.get(row.metric)?.get(row.labels);
      if (!series || row.bucket >= series.bucketCounts.length) {
        throw new Error(
          `the store holds bucket ${row.bucket} of histogram "${row.metric}" ${row.labels}, which this version does not know`,
        );
      }
      series.bucketCounts[row.bucket] = row.count;
    }
  }

  /** Adds to a counter; call inside `transaction`. */
  increment(metric: string, labels: Labels, by = 1): void {
    const key = labelKey(labels);
    this.upsertCounter.run(metric, key, by);
    const id = `${metric} ${key}`;
    const staged = this.stagedCounters.get(id);
    this.stagedCounters.set(id, { metric, key, delta: (staged?.delta ?? 0) + by });
  }

  /** Records one observation in a persisted histogram; call inside `transaction`. */
  observe(metric: PersistedHistogramName, labels: Labels, value: number): void {
    const key = labelKey(labels);
    const bounds = PERSISTED_HISTOGRAMS[metric];
    const found = bounds.findIndex((bound) => value <= bound);
    const bucket = found === -1 ? bounds.length : found;
    this.upsertHistogram.run(metric, key, value);
    this.upsertBucket.run(metric, key, bucket);
    const id = `${metric} ${key}`;
    let staged = this.stagedHistograms.get(id);
    if (!staged) {
      staged = {
        metric,
        key,
        labels,
        bucketCounts: new Array<number>(bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.stagedHistograms.set(id, staged);
    }
    (staged.bucketCounts[bucket] as number)++;
    staged.sum += value;
    staged.count++;
  }

  /** Runs `write` in one SQLite transaction and mirrors its counter changes in memory once it commits. */
  transaction<T>(write: () => T): T {
    this.stagedCounters.clear();
    this.stagedHistograms.clear();
    try {
      const result = this.db.transaction(write)();
      for (const { metric, key, delta } of this.stagedCounters.values()) {
        const map = mapOf(this.counters, metric);
        map.set(key, (map.get(key) ?? 0) + delta);
      }
      for (const delta of this.stagedHistograms.values()) {
        const map = mapOf(this.histograms, delta.metric);
        const current = map.get(delta.key);
        map.set(delta.key, {
          labels: delta.labels,
          bucketCounts: delta.bucketCounts.map((n, i) => n + (current?.bucketCounts[i] ?? 0)),
          sum: delta.sum + (current?.sum ?? 0),
          count: delta.count + (current?.count ?? 0),
        });
      }
      if (this.stagedCounters.size + this.stagedHistograms.size > 0) this.changes++;
      return result;
    } finally {
      this.stagedCounters.clear();
      this.stagedHistograms.clear();
    }
  }

  /** Changes whenever a committed transaction changed a counter or histogram. */
  get version(): number {
    return this.changes;
  }

  counterSeries(metric: string): CounterSeries[] {
    return [...(this.counters.get(metric) ?? new Map<string, number>())].map(([key, value]) => ({
      labels: parseLabelKey(key),
      value,
    }));
  }

  histogramSeries(metric: PersistedHistogramName): HistogramSeries[] {
    return [...(this.histograms.get(metric)?.values() ?? [])];
  }
}

function mapOf<V>(maps: Map<string, Map<string, V>>, metric: string): Map<string, V> {
  let map = maps.get(metric);
  if (!map) maps.set(metric, (map = new Map()));
  return map;
}
