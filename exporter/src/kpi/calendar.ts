/** Calendar days in an IANA time zone, computed with Intl (no tz database of our own). */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date `YYYY-MM-DD` (no 2026-02-30), as [year, month, day]. */
function splitDate(text: string): [number, number, number] | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
  return [y, mo, d];
}

/** A date a client may ask for: a real calendar date in the years 1970–2999. */
export function parseDate(text: string): [number, number, number] | undefined {
  const parsed = splitDate(text);
  return parsed && parsed[0] >= 1970 && parsed[0] <= 2999 ? parsed : undefined;
}

/** Local wall-clock fields at an instant. */
function localFields(epochMs: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), mi: Number(parts.minute), s: Number(parts.second) };
}

/** Offset of the zone from UTC at an instant, in ms (Seoul: +9h). */
function offsetMs(epochMs: number, timeZone: string): number {
  const f = localFields(epochMs, timeZone);
  const asUtc = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The local calendar date of an instant (epoch seconds) in the zone. */
export function localDate(epochSeconds: number, timeZone: string): string {
  const f = localFields(epochSeconds * 1000, timeZone);
  return `${String(f.y).padStart(4, '0')}-${String(f.mo).padStart(2, '0')}-${String(f.d).padStart(2, '0')}`;
}

/**
 * The instant (epoch seconds) the given local date begins in the zone. Around DST changes the offset at
 * local midnight can differ from the offset a few hours earlier, so the guess is corrected once.
 */
export function startOfDay(date: string, timeZone: string): number {
  const parsed = splitDate(date);
  if (!parsed) throw new Error(`invalid date ${date}`);
  const [y, mo, d] = parsed;
  const wall = Date.UTC(y, mo - 1, d);
  let instant = wall - offsetMs(wall, timeZone);
  const corrected = wall - offsetMs(instant, timeZone);
  if (corrected !== instant) {
    // Where local midnight does not exist (a spring-forward at 00:00), the day starts at the first valid instant.
    instant = localDate(corrected / 1000, timeZone) === date ? corrected : instant;
  }
  return instant / 1000;
}

export function addDays(date: string, days: number): string {
  const parsed = splitDate(date);
  if (!parsed) throw new Error(`invalid date ${date}`);
  const [y, mo, d] = parsed;
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 when equal). */
export function daysBetween(from: string, to: string): number {
  const a = splitDate(from);
  const b = splitDate(to);
  if (!a || !b) throw new Error('invalid date');
  return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000);
}

/** The dates from..to inclusive and their boundaries: `bounds[i]` starts `dates[i]`, `bounds[n]` ends the last. */
export function dayRange(from: string, to: string, timeZone: string): { dates: string[]; bounds: number[] } {
  const dates: string[] = [];
  for (let date = from; daysBetween(date, to) >= 0; date = addDays(date, 1)) dates.push(date);
  const bounds = [...dates, addDays(to, 1)].map((date) => startOfDay(date, timeZone));
  return { dates, bounds };
}

/** Index of the day an instant falls in, or -1 outside the range. */
export function dayIndex(bounds: readonly number[], at: number): number {
  if (bounds.length < 2 || at < (bounds[0] as number) || at >= (bounds[bounds.length - 1] as number)) return -1;
  let lo = 0;
  let hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
