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
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function parseLabelKey(key: string): Labels {
  return Object.fromEntries(JSON.parse(key) as [string, string][]);
}

/**
 * Counters and histograms that survive restarts: every change is written in the same SQLite transaction
 * as the event that caused it, and mirrored in memory only once that transaction has committed, so a
 * restart neither lowers nor double counts anything.
 */
export class MetricTotals {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, HistogramSeries>>();
  /** Changes made by the running transaction, keyed by metric and label key; applied once it commits. */
  private readonly stagedCounters = new Map<string, { metric: string; key: string; delta: number }>();
  private readonly stagedHistograms = new Map<string, { metric: string; key: string; series: HistogramSeries }>();
  private readonly upsertCounter;
  private readonly upsertHistogram;
  private changes = 0;

  constructor(private readonly db: Db) {
    this.upsertCounter = db.prepare(
      'INSERT INTO totals (metric, labels, value) VALUES (?, ?, ?) ON CONFLICT (metric, labels) DO UPDATE SET value = value + excluded.value',
    );
    this.upsertHistogram = db.prepare(
      'INSERT INTO histograms (metric, labels, bucket_counts, sum, count) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (metric, labels) DO UPDATE SET bucket_counts = excluded.bucket_counts, sum = excluded.sum, count = excluded.count',
    );
    for (const row of db.prepare('SELECT metric, labels, value FROM totals').all() as { metric: string; labels: string; value: number }[]) {
      mapOf(this.counters, row.metric).set(row.labels, row.value);
    }
    const rows = db.prepare('SELECT metric, labels, bucket_counts, sum, count FROM histograms').all() as {
      metric: string;
      labels: string;
      bucket_counts: string;
      sum: number;
      count: number;
    }[];
    for (const row of rows) {
      mapOf(this.histograms, row.metric).set(row.labels, {
        labels: parseLabelKey(row.labels),
        bucketCounts: JSON.parse(row.bucket_counts) as number[],
        sum: row.sum,
        count: row.count,
      });
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
    const id = `${metric} ${key}`;
    const bounds = PERSISTED_HISTOGRAMS[metric];
    const current = this.stagedHistograms.get(id)?.series ??
      this.histograms.get(metric)?.get(key) ?? { labels, bucketCounts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
    const found = bounds.findIndex((bound) => value <= bound);
    const index = found === -1 ? bounds.length : found;
    const bucketCounts = current.bucketCounts.map((n, i) => (i === index ? n + 1 : n));
    const series: HistogramSeries = { labels, bucketCounts, sum: current.sum + value, count: current.count + 1 };
    this.upsertHistogram.run(metric, key, JSON.stringify(bucketCounts), series.sum, series.count);
    this.stagedHistograms.set(id, { metric, key, series });
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
      for (const { metric, key, series } of this.stagedHistograms.values()) mapOf(this.histograms, metric).set(key, series);
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
    return [...(this.counters.get(metric) ?? new Map<string, number>())].map(([key, value]) => ({ labels: parseLabelKey(key), value }));
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
