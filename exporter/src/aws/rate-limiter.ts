import { setTimeout as delay } from 'node:timers/promises';
import { shutdownController } from '../abort';

/** A token bucket: `rate` requests per second on average, up to `burst` at once; waiters are served in order. */
class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly nowMs: () => number,
  ) {
    this.tokens = burst;
    this.refilledAt = nowMs();
  }

  take(signal: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const now = this.nowMs();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
      this.refilledAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await delay(Math.ceil(((1 - this.tokens) / this.rate) * 1000), undefined, { signal });
    }
  }
}

/**
 * Request budgets shared by every poller: one bucket per (account, region, operation), so that however many
 * targets and sources poll at once, no single AWS API limit is approached.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly closed = shutdownController();

  constructor(
    private readonly ratePerSecond: (service: string) => number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  take(accountId: string, region: string, service: string, operation: string): Promise<void> {
    const key = `${accountId}/${region}/${service}/${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const rate = this.ratePerSecond(service);
      bucket = new TokenBucket(rate, Math.max(1, Math.floor(rate)), this.nowMs);
      this.buckets.set(key, bucket);
    }
    return bucket.take(this.closed.signal);
  }

  /** Fails every waiting and future request at once, so that shutdown does not wait out the budgets. */
  close(): void {
    this.closed.abort(new Error('the exporter is shutting down'));
  }
}
