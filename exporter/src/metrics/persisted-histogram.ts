import type { Metric, Registry } from 'prom-client';
import { PERSISTED_HISTOGRAMS, type PersistedHistogramName } from '../histograms';
import type { MetricTotals } from '../store/totals';

interface SeriesValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A histogram whose buckets live in the store rather than in prom-client, so that it continues across
 * restarts. prom-client's Histogram can only be fed single observations, hence this small collector;
 * the registry only needs `name`, `help`, `type` and `get()`.
 */
export function registerPersistedHistogram(registry: Registry, name: PersistedHistogramName, help: string, totals: MetricTotals): void {
  const bounds = PERSISTED_HISTOGRAMS[name];
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      const values: SeriesValue[] = [];
      for (const series of totals.histogramSeries(name)) {
        let cumulative = 0;
        bounds.forEach((le, i) => {
          cumulative += series.bucketCounts[i] ?? 0;
          values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le }, value: cumulative });
        });
        cumulative += series.bucketCounts[bounds.length] ?? 0;
        values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: cumulative });
        values.push({ metricName: `${name}_sum`, labels: series.labels, value: series.sum });
        values.push({ metricName: `${name}_count`, labels: series.labels, value: series.count });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
  registry.registerMetric(metric as unknown as Metric);
}
