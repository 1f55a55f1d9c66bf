import { addDays, dayIndex, dayRange, daysBetween, localDate, parseDate, startOfDay } from '../../../src/kpi/calendar';

const at = (isoString: string) => Date.parse(isoString) / 1000;

describe('calendar', () => {
  it('starts Seoul days at 15:00 UTC the day before', () => {
    expect(startOfDay('2026-11-29', 'Asia/Seoul')).toBe(at('2026-11-28T15:00:00Z'));
    expect(localDate(at('2026-11-28T14:59:59Z'), 'Asia/Seoul')).toBe('2026-11-28');
    expect(localDate(at('2026-11-28T15:00:00Z'), 'Asia/Seoul')).toBe('2026-11-29');
  });

  it('follows daylight saving time changes (New York, spring and autumn)', () => {
    expect(startOfDay('2026-03-08', 'America/New_York')).toBe(at('2026-03-08T05:00:00Z'));
    expect(startOfDay('2026-03-09', 'America/New_York')).toBe(at('2026-03-09T04:00:00Z'));
    expect(startOfDay('2026-11-01', 'America/New_York')).toBe(at('2026-11-01T04:00:00Z'));
    expect(startOfDay('2026-11-02', 'America/New_York')).toBe(at('2026-11-02T05:00:00Z'));
    const { bounds } = dayRange('2026-03-07', '2026-03-09', 'America/New_York');
    // The day of the spring change is 23 hours long, the others 24.
    expect(bounds.slice(1).map((b, i) => (b - (bounds[i] as number)) / 3600)).toEqual([24, 23, 24]);
    const autumn = dayRange('2026-11-01', '2026-11-01', 'America/New_York').bounds;
    expect(((autumn[1] as number) - (autumn[0] as number)) / 3600).toBe(25);
  });

  it('handles Europe/Berlin, whose change happens at 01:00 UTC', () => {
    expect(startOfDay('2026-03-29', 'Europe/Berlin')).toBe(at('2026-03-28T23:00:00Z'));
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe(at('2026-03-29T22:00:00Z'));
  });

  it('validates dates', () => {
    expect(parseDate('2026-02-28')).toEqual([2026, 2, 28]);
    expect(parseDate('2026-02-29')).toBeUndefined();
    expect(parseDate('2026-13-01')).toBeUndefined();
    expect(parseDate('26-01-01')).toBeUndefined();
    expect(parseDate('0001-01-01')).toBeUndefined();
    expect(parseDate('9999-12-31')).toBeUndefined();
  });

  it('counts and walks days', () => {
    expect(daysBetween('2026-01-30', '2026-03-01')).toBe(30);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    const { dates, bounds } = dayRange('2026-11-27', '2026-11-29', 'UTC');
    expect(dates).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    expect(dayIndex(bounds, at('2026-11-27T00:00:00Z'))).toBe(0);
    expect(dayIndex(bounds, at('2026-11-28T23:59:59Z'))).toBe(1);
    expect(dayIndex(bounds, at('2026-11-29T12:00:00Z'))).toBe(2);
    expect(dayIndex(bounds, at('2026-11-30T00:00:00Z'))).toBe(-1);
    expect(dayIndex(bounds, at('2026-11-26T23:59:59Z'))).toBe(-1);
  });
});
