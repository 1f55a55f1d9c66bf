/**
 * Calendar days in an IANA time zone, with the browser's Intl data only. The exporter cuts days in the requested
 * `tz`; the plugin has to name the same days (`from`, `to`) and place each day's point at that day's local midnight.
 */

/** The exporter answers at most this many days per daily request. */
export const MAX_DAYS = 400;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) {
    return cached;
  }
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  formatters.set(timeZone, formatter);
  return formatter;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, Number(part.value)])
  );
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Milliseconds the zone is ahead of UTC at that instant (Asia/Seoul: +9 h). */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(epochMs / 1000) * 1000;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DD` of the instant, in the zone. */
export function dateInZone(epochMs: number, timeZone: string): string {
  const wall = wallClock(epochMs, timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

function parseDate(date: string): number {
  const match = DATE.exec(date);
  if (!match) {
    throw new Error(`"${date}" is not a date YYYY-MM-DD`);
  }
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** Epoch milliseconds of the day's first instant in the zone (local midnight, DST-aware). */
export function startOfDay(date: string, timeZone: string): number {
  const midnightUtc = parseDate(date);
  const firstGuess = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  return midnightUtc - zoneOffsetMs(firstGuess, timeZone);
}

export function addDays(date: string, days: number): string {
  return new Date(parseDate(date) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((parseDate(to) - parseDate(from)) / DAY_MS);
}

export interface DayRange {
  from: string;
  to: string;
  /** Set when the time range was longer than the exporter allows and `from` was moved forward. */
  clampedFrom?: string;
}

/** The calendar days a time range touches, at most MAX_DAYS of them (the most recent ones). */
export function dayRange(fromMs: number, toMs: number, timeZone: string): DayRange {
  const from = dateInZone(fromMs, timeZone);
  const to = dateInZone(toMs, timeZone);
  if (daysBetween(from, to) < MAX_DAYS) {
    return { from, to };
  }
  return { from: addDays(to, -(MAX_DAYS - 1)), to, clampedFrom: from };
}
