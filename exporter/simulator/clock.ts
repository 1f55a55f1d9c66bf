/**
 * Simulated time. Every timestamp the simulator generates or compares (evaluation times, execution
 * timelines, the 30-day SSM retention) reads this clock, never Date.now() directly.
 *
 * - `manual`: time stands still at the start time until advance() or set() moves it. Deterministic.
 * - `wall`: time moves with the real clock from the start time on; advance() and set() shift it.
 */
export type ClockMode = 'wall' | 'manual';

export interface SimClock {
  now(): Date;
  advance(ms: number): void;
  set(d: Date): void;
}

export class Clock implements SimClock {
  private offsetMs: number;
  private readonly realStart: number;

  constructor(
    readonly mode: ClockMode,
    start: Date,
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
    this.offsetMs = start.getTime();
  }

  /** Simulated time in epoch milliseconds. */
  nowMs(): number {
    return this.mode === 'wall' ? this.offsetMs + (this.realNow() - this.realStart) : this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`clock.advance needs a non-negative number, got ${ms}`);
    this.offsetMs += ms;
  }

  set(d: Date): void {
    const target = d.getTime();
    if (Number.isNaN(target)) throw new RangeError('clock.set needs a valid Date');
    this.offsetMs += target - this.nowMs();
  }
}
