import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ExporterState } from '../poller/snapshots';
import type { MetricTotals } from '../store/totals';
import { registerAwsMetrics } from './aws-metrics';
import { registerSelfMetrics, type SelfMetrics } from './self-metrics';

export interface Metrics extends SelfMetrics {
  registry: Registry;
}

/** A fresh registry (never prom-client's global one) holding every metric the exporter serves. */
export function createMetrics(state: ExporterState, totals: MetricTotals, options: { version: string; pollIntervalSeconds: number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerAwsMetrics(registry, state, totals, options.pollIntervalSeconds);
  const self = registerSelfMetrics(registry, state, options);
  return { registry, ...self };
}
