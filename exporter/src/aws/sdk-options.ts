import { StandardRetryStrategy } from '@smithy/core/retry';
import { awsErrorCode } from './errors';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface AwsConnection {
  /** Overrides the SDK's endpoint resolution (AWS_ENDPOINT_URL* still work without it). */
  endpoint?: string;
  /** Static credentials (the demo), or a provider (an assumed role); otherwise the SDK's default chain. */
  credentials?: Credentials | (() => Promise<Credentials & { expiration?: Date }>);
  maxAttempts: number;
  /** How long one HTTP attempt may wait for a connection and for the whole answer. */
  requestTimeoutMs: number;
}

type RetryToken = Awaited<ReturnType<StandardRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/**
 * The SDK's standard retry strategy, except that a request which has timed out twice is not tried again:
 * an endpoint that left two attempts unanswered (a private subnet without a route to AWS looks like that)
 * will not answer the sixth either, and waiting out every attempt would hide the failure for minutes.
 * Throttling and server errors keep every attempt.
 */
class TimeoutAwareRetryStrategy {
  readonly mode = 'standard';
  private readonly inner: StandardRetryStrategy;
  private readonly timedOutOnce = new WeakSet<RetryToken>();

  constructor(maxAttempts: number) {
    this.inner = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const timedOut = awsErrorCode(info.error) === 'TimeoutError';
    if (timedOut && this.timedOutOnce.has(token)) throw info.error;
    const next = await this.inner.refreshRetryTokenForRetry(token, info);
    if (timedOut || this.timedOutOnce.has(token)) this.timedOutOnce.add(next);
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

/** Options shared by every SDK client the exporter creates (Config, SSM, STS). */
export function sdkClientOptions(region: string, connection: AwsConnection) {
  return {
    region,
    retryStrategy: new TimeoutAwareRetryStrategy(connection.maxAttempts),
    // @smithy/node-http-handler only logs a warning when requestTimeout passes unless throwOnRequestTimeout
    // is set (node-http-handler's setRequestTimeout): without it a request that is never answered waits forever.
    requestHandler: {
      connectionTimeout: connection.requestTimeoutMs,
      requestTimeout: connection.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  };
}
