import { addDays, dateInZone, dayRange, startOfDay } from './dates';

describe('calendar days in a time zone', () => {
  it('names the local date of an instant', () => {
    const instant = Date.parse('2026-11-01T20:00:00Z');
    expect(dateInZone(instant, 'UTC')).toBe('2026-11-01');
    expect(dateInZone(instant, 'Asia/Seoul')).toBe('2026-11-02');
    expect(dateInZone(instant, 'America/Los_Angeles')).toBe('2026-11-01');
  });

  it('finds local midnight, also on daylight saving days', () => {
    expect(startOfDay('2026-11-02', 'Asia/Seoul')).toBe(Date.parse('2026-11-01T15:00:00Z'));
    expect(startOfDay('2026-11-02', 'UTC')).toBe(Date.parse('2026-11-02T00:00:00Z'));
    // US clocks go back on 2026-11-01 at 02:00 local; midnight is still on daylight time (UTC-7).
    expect(startOfDay('2026-11-01', 'America/Los_Angeles')).toBe(Date.parse('2026-11-01T07:00:00Z'));
    expect(startOfDay('2026-11-02', 'America/Los_Angeles')).toBe(Date.parse('2026-11-02T08:00:00Z'));
    // Berlin springs forward on 2026-03-29.
    expect(startOfDay('2026-03-29', 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T22:00:00Z'));
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('keeps at most 400 days, the most recent ones', () => {
    expect(dayRange(Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-02-04T05:00:00Z'), 'UTC')).toEqual({
      from: '2026-01-01',
      to: '2026-02-04',
    });
    expect(dayRange(Date.parse('2020-01-01T00:00:00Z'), Date.parse('2026-02-04T05:00:00Z'), 'UTC')).toEqual({
      from: '2025-01-01',
      to: '2026-02-04',
      clampedFrom: '2020-01-01',
    });
  });
});
