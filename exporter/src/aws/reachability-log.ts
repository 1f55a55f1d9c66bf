import type { Logger } from 'pino';
import type { ReachabilityObserver } from './clients';
import { describeAwsError } from './errors';

/**
 * Logs once at warn when a target's service stops answering (a request timed out or the connection
 * failed), at the first failed attempt rather than after the retries, and once at info when it answers
 * again. The failed attempts themselves are counted in compliance_pulse_aws_request_errors_total.
 */
export function reachabilityLog(log: Logger, requestTimeoutSeconds: number): ReachabilityObserver {
  const unanswered = new Set<string>();
  const keyOf = (t: { accountId: string; region: string }, service: string) => `${t.accountId}/${t.region}/${service}`;
  return {
    unreachable(target, service, operation, error) {
      const key = keyOf(target, service);
      if (unanswered.has(key)) return;
      unanswered.add(key);
      log.warn(
        { account_id: target.accountId, region: target.region, service, operation, error: describeAwsError(error), request_timeout_seconds: requestTimeoutSeconds },
        'AWS is not answering; retrying',
      );
    },
    reachable(target, service) {
      if (unanswered.delete(keyOf(target, service))) {
        log.info({ account_id: target.accountId, region: target.region, service }, 'AWS answers again');
      }
    },
  };
}
