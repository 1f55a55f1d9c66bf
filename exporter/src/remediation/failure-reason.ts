import type { FailureReason } from '../model';

const PATTERNS: readonly [FailureReason, RegExp][] = [
  ['access_denied', /not authori[sz]ed|AccessDenied|UnauthorizedOperation|AuthorizationError|access denied|is not permitted/i],
  ['throttled', /throttl|rate exceeded|TooManyRequests|RequestLimitExceeded|SlowDown/i],
  ['timeout', /timed? ?out|timeout/i],
  ['resource_not_found', /NotFound|does not exist|no such|cannot be found|could not be found/i],
  ['invalid_parameter', /InvalidParameter|ValidationException|InvalidInput|invalid (parameter|value|input|argument)|Malformed/i],
];

/**
 * Sorts a failed remediation or automation into one of a few reasons that say what to do next:
 * access_denied means the automation role lacks a permission, throttled means AWS pushed back, and so on.
 */
export function classifyFailure(failure: { status?: string; message?: string; failureType?: string }): FailureReason {
  if (failure.status === 'TimedOut') return 'timeout';
  if (failure.failureType === 'Permission') return 'access_denied';
  if (failure.failureType === 'Throttling') return 'throttled';
  const message = failure.message ?? '';
  for (const [reason, pattern] of PATTERNS) if (pattern.test(message)) return reason;
  return 'other';
}
