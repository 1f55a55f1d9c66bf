/** The error code AWS (or the network) gave: the SDK's error name for service errors, the errno code otherwise. */
export function awsErrorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'Unknown';
  const e = err as { name?: unknown; code?: unknown; $metadata?: unknown };
  // The SDK's HTTP handler names every timeout TimeoutError (and gives some the errno ETIMEDOUT as well).
  if (e.name === 'TimeoutError') return 'TimeoutError';
  if (e.$metadata !== undefined && typeof e.name === 'string') return e.name;
  if (typeof e.code === 'string') return e.code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return 'Unknown';
}

export function hasErrorCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes(awsErrorCode(err));
}

/**
 * Failures that say AWS cannot be reached at all (after the SDK's retries), rather than that one request
 * was refused: a poll stops at the first of them instead of waiting out a timeout for every rule.
 */
const UNREACHABLE = new Set([
  'TimeoutError',
  'AbortError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function isUnreachable(err: unknown): boolean {
  return UNREACHABLE.has(awsErrorCode(err));
}

/** A one-line description of an AWS failure, safe to log and to show (no credentials, no bodies). */
export function describeAwsError(err: unknown): string {
  const code = awsErrorCode(err);
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return message && message !== code ? `${code}: ${message}` : code;
}
