import { formatDuration, parseDurationSeconds } from '../../../src/config/duration';

describe('parseDurationSeconds', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['30d', 2592000],
    ['1w', 604800],
    ['250ms', 0.25],
    ['1.5h', 5400],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', '5', 'm5', '5x', '5 m', '-5m', '5m3', 'abc'])('rejects %j', (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });

  it('formats whole units back', () => {
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(86400 * 30)).toBe('30d');
    expect(formatDuration(45)).toBe('45s');
  });
});
