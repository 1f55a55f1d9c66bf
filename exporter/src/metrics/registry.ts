import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ExporterState } from '../poller/snapshots';
import type { MetricTotals } from '../store/totals';
import { registerAwsMetrics } from './aws-metrics';
import { registerSelfMetrics, type SelfMetrics } from './self-metrics';

export interface Metrics extends SelfMetrics {
  /** AWS-derived families: they change only when a poll publishes or the store counts something. */
  aws: Registry;
  /** The exporter's own families and process metrics: rendered fresh at every scrape. */
  self: Registry;
  contentType: string;
  /** The /metrics body. */
  render(): Promise<string>;
}

/**
 * Two fresh registries (never prom-client's global one). The AWS part is rendered once per change of the
 * snapshots or stored counters and served from memory until the next change: at organisation scale it is
 * megabytes of text that a scrape should not rebuild.
 */
export function createMetrics(state: ExporterState, totals: MetricTotals, options: { version: string; pollIntervalSeconds: number }): Metrics {
  const aws = new Registry();
  registerAwsMetrics(aws, state, totals, options.pollIntervalSeconds);
  const self = new Registry();
  collectDefaultMetrics({ register: self });
  const observers = registerSelfMetrics(self, state, options);

  let cached: { key: string; text: string } | undefined;
  return {
    aws,
    self,
    contentType: self.contentType,
    ...observers,
    async render() {
      const key = `${state.version}/${totals.version}`;
      if (cached?.key !== key) cached = { key, text: await aws.metrics() };
      return `${cached.text}\n${await self.metrics()}`;
    },
  };
}
