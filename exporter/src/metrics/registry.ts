import { collectDefaultMetrics, Registry } from 'prom-client';
import { targetKey } from '../model';
import type { ExporterState } from '../poller/snapshots';
import type { MetricTotals } from '../store/totals';
import { familyHeader, sampleLine } from './exposition';
import { registerSelfMetrics, type SelfMetrics } from './self-metrics';
import { registerStoredMetrics } from './stored-metrics';
import { targetFamilies } from './target-families';

export interface Metrics extends SelfMetrics {
  /** Counters and histograms kept by the store (prom-client, never the global registry). */
  stored: Registry;
  /** The exporter's own families and process metrics (prom-client, never the global registry). */
  self: Registry;
  contentType: string;
  /** The /metrics body, in parts to be written in order. */
  render(): Promise<Buffer[]>;
}

/**
 * The AWS gauges are written straight from the snapshots rather than through prom-client gauges: at
 * organisation scale they are about a million series, which prom-client would keep in memory twice
 * (its own series map and the rendered string). Each target's lines are rendered once per change of that
 * target and kept as bytes; a scrape only concatenates. The stored counters and the exporter's own metrics
 * are small and go through prom-client as usual.
 */
export function createMetrics(state: ExporterState, totals: MetricTotals, options: { version: string; pollIntervalSeconds: number }): Metrics {
  const families = targetFamilies(options.pollIntervalSeconds);
  const headers = families.map((f) => Buffer.from(familyHeader(f.name, f.help, 'gauge')));
  const stored = new Registry();
  registerStoredMetrics(stored, state, totals);
  const self = new Registry();
  collectDefaultMetrics({ register: self });
  // prom-client names these gauges `_total`, which Prometheus reserves for counters (promtool flags them).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) self.removeSingleMetric(name);
  const observers = registerSelfMetrics(self, state, options);

  const perTarget = new Map<string, { version: number; chunks: Buffer[] }>();
  let storedText: { key: string; bytes: Buffer } | undefined;

  function targetChunks(): Buffer[][] {
    const current = new Set<string>();
    const all: Buffer[][] = [];
    for (const t of state.targets()) {
      const key = targetKey(t.target);
      current.add(key);
      let cached = perTarget.get(key);
      if (cached?.version !== t.version) {
        const chunks = families.map((family) => {
          let text = '';
          family.emit(t, (labels, value) => (text += sampleLine(family.name, labels, value)));
          return Buffer.from(text);
        });
        cached = { version: t.version, chunks };
        perTarget.set(key, cached);
      }
      all.push(cached.chunks);
    }
    for (const key of perTarget.keys()) if (!current.has(key)) perTarget.delete(key);
    return all;
  }

  return {
    stored,
    self,
    contentType: self.contentType,
    ...observers,
    async render() {
      const byTarget = targetChunks();
      const parts: Buffer[] = [];
      families.forEach((_family, i) => {
        parts.push(headers[i] as Buffer);
        for (const chunks of byTarget) parts.push(chunks[i] as Buffer);
      });
      const key = `${state.version}/${totals.version}`;
      if (storedText?.key !== key) storedText = { key, bytes: Buffer.from(await stored.metrics()) };
      parts.push(storedText.bytes, Buffer.from(await self.metrics()));
      return parts;
    },
  };
}
