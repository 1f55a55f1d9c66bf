import { getEventListeners } from 'node:events';
import { cycleSignal } from '../../../src/poller/target-poller';

describe('the signal of one poll cycle', () => {
  it('aborts when its deadline passes, and says so', async () => {
    const lifetime = new AbortController();
    const cycle = cycleSignal(lifetime.signal, 0.05);
    await new Promise((resolve) => cycle.signal.addEventListener('abort', resolve, { once: true }));
    expect(cycle.reason()).toBe('the poll did not finish within 0.05s (--poll.timeout)');
    expect(lifetime.signal.aborted).toBe(false);
    cycle.end();
  });

  it('aborts at shutdown, also when shutdown came first', () => {
    const lifetime = new AbortController();
    const running = cycleSignal(lifetime.signal, 60);
    lifetime.abort();
    expect(running.signal.aborted).toBe(true);
    expect(cycleSignal(lifetime.signal, 60).signal.aborted).toBe(true);
    running.end();
  });

  it('leaves nothing behind on the shutdown signal once it ends', () => {
    const lifetime = new AbortController();
    const cycles = Array.from({ length: 50 }, () => cycleSignal(lifetime.signal, 60));
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(50);
    for (const c of cycles) c.end();
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    lifetime.abort();
    expect(cycles.some((c) => c.signal.aborted)).toBe(false);
  });
});
