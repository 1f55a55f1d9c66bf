import { Counter, Gauge, type Registry } from 'prom-client';

export type SetValue<L extends string> = (labels: Record<L, string>, value: number) => void;

/**
 * A gauge refilled from the latest snapshot at every scrape: reset, then set. Series of things that no
 * longer exist disappear instead of lingering with their last value.
 */
export function snapshotGauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  fill: (set: SetValue<L>) => void,
): void {
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

/** A counter whose totals are kept by the store and restored at start-up: a restart never lowers it. */
export function storedCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  series: () => { labels: Record<string, string>; value: number }[],
): void {
  new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of series()) this.inc(s.labels as Record<L, string>, s.value);
    },
  });
}
