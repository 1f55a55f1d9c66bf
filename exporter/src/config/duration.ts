const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;

/** Parses Prometheus-style durations ("30s", "5m", "1h30m", "30d") into seconds; undefined when malformed. */
export function parseDurationSeconds(text: string): number | undefined {
  let rest = text.trim();
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const match = DURATION.exec(rest);
    if (!match) return undefined;
    const [whole, amount, unit] = match;
    total += Number(amount) * (UNIT_SECONDS[unit as string] ?? NaN);
    rest = rest.slice((whole as string).length);
  }
  return Number.isFinite(total) ? total : undefined;
}

export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
