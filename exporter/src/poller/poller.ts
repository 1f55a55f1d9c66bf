import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ExporterState } from './snapshots';
import type { PollCycle } from './target-poller';
import { shutdownController } from '../abort';

/** Runs at most `limit` tasks at once. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface PollerOptions {
  /** Runs before the targets in each first cycle (an aggregator: the targets need its rule lists). */
  leader: PollCycle | undefined;
  targets: readonly PollCycle[];
  state: ExporterState;
  intervalSeconds: number;
  maxConcurrentTargets: number;
  log: Logger;
}

/**
 * The background loop: AWS is only ever called from here, never from a scrape. Each target polls once per
 * interval; targets are spread evenly over the interval rather than all starting at once, and a target
 * whose cycle overruns skips to its next slot instead of piling up. Every target runs its first cycle at
 * start (after the leader's) and goes on from there on its own: one that cannot reach AWS holds up no
 * other. The exporter is ready once every target has finished its first cycle, successful or not; every
 * cycle ends by its deadline, so that happens within one poll timeout.
 */
export class Poller {
  private readonly abort = shutdownController();
  private readonly limit: Semaphore;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: PollerOptions) {
    this.limit = new Semaphore(options.maxConcurrentTargets);
  }

  /**
   * One cycle of every target, now. Resolves when every source has published or failed; `joined`
   * resolves when the cycles' runbook joins have finished too.
   */
  async pollOnce(): Promise<{ joined: Promise<void> }> {
    await this.options.leader?.runCycle();
    const cycles = await Promise.all(this.options.targets.map((t) => this.limit.run(() => t.runCycle())));
    return { joined: Promise.all(cycles.map((c) => c.joined)).then(() => undefined) };
  }

  start(): void {
    const { leader, targets, intervalSeconds, state, log } = this.options;
    const intervalMs = intervalSeconds * 1000;
    const leaderFirst: Promise<{ joined: Promise<void> }> = leader ? leader.runCycle() : Promise.resolve({ joined: Promise.resolve() });
    const targetFirsts = targets.map(async (target) => {
      await leaderFirst;
      return this.limit.run(() => target.runCycle());
    });
    void Promise.all(targetFirsts).then(() => {
      state.ready = true;
      log.info({ targets: targets.length }, 'first poll cycle complete');
    });
    const origin = Date.now();
    const cycles = leader ? [leader, ...targets] : targets;
    const firsts = leader ? [leaderFirst, ...targetFirsts] : targetFirsts;
    this.loops = cycles.map(async (target, index) => {
      await (await firsts[index])?.joined;
      const offsetMs = (index / cycles.length) * intervalMs;
      for (let slot = 1; !this.abort.signal.aborted; slot++) {
        const due = origin + offsetMs + slot * intervalMs;
        if (due < Date.now()) continue;
        try {
          await sleep(due - Date.now(), undefined, { signal: this.abort.signal });
        } catch {
          return;
        }
        await this.limit.run(async () => (await target.runCycle()).joined);
      }
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }
}
