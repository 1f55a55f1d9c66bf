import { Counter, type Registry } from 'prom-client';

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
