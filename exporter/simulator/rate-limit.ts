/**
 * Per-(account, region, operation) token buckets, measured in real time (TPS is about real request rates,
 * whatever the simulated clock says). Keys of a table are IAM actions (`ssm:GetAutomationExecution`), a
 * service wildcard (`config:*`) or `*`.
 */
export interface RateLimit {
  readonly tps: number;
  /** Bucket size; default: tps. */
  readonly burst?: number;
}

export type RateLimitTable = Readonly<Record<string, RateLimit>>;

/**
 * `aws`: SSM Automation's published 3 TPS for DescribeAutomationExecutions, GetAutomationExecution and
 * DescribeAutomationStepExecutions. AWS publishes no TPS for Config's read APIs or SSM's document APIs:
 * 5 TPS with a burst of 10 per operation is an assumption (real accounts see "Rate exceeded" at a few
 * requests per second).
 */
export const AWS_RATE_LIMITS: RateLimitTable = {
  'ssm:DescribeAutomationExecutions': { tps: 3, burst: 3 },
  'ssm:GetAutomationExecution': { tps: 3, burst: 3 },
  'ssm:DescribeAutomationStepExecutions': { tps: 3, burst: 3 },
  'ssm:*': { tps: 5, burst: 10 },
  'config:*': { tps: 5, burst: 10 },
};

export type RateLimitPreset = 'off' | 'aws';

export function rateLimitTable(option: RateLimitPreset | RateLimitTable | undefined): RateLimitTable {
  if (option === undefined || option === 'off') return {};
  if (option === 'aws') return AWS_RATE_LIMITS;
  return option;
}

export function lookupRateLimit(table: RateLimitTable, action: string): RateLimit | undefined {
  const service = action.slice(0, action.indexOf(':'));
  return table[action] ?? table[`${service}:*`] ?? table['*'];
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly realNow: () => number = () => performance.now()) {}

  /** Takes one token from the bucket for `key`; false when the bucket is empty. */
  take(key: string, limit: RateLimit): boolean {
    const capacity = Math.max(1, limit.burst ?? limit.tps);
    const now = this.realNow();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * limit.tps);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

export class RateLimiter {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly table: RateLimitTable,
    realNow?: () => number,
  ) {
    this.buckets = new TokenBuckets(realNow);
  }

  allow(action: string, accountId: string, region: string): boolean {
    const limit = lookupRateLimit(this.table, action);
    return limit ? this.buckets.take(`${accountId}/${region}/${action}`, limit) : true;
  }
}
