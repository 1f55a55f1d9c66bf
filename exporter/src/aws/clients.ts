import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsErrorCode, isUnreachable } from './errors';
import type { RateLimiter } from './rate-limiter';
import { sdkClientOptions, type AwsConnection } from './sdk-options';

export type { AwsConnection } from './sdk-options';

/** Sees every HTTP attempt the SDK makes (retries included); implemented by the exporter's self-metrics. */
export interface AwsRequestObserver {
  request(service: string, operation: string): void;
  error(service: string, operation: string, code: string): void;
}

/**
 * Told when AWS stops answering a target (a timeout or a refused connection) and when it answers again, so
 * that an unreachable endpoint is reported at its first failed attempt, once, not after every retry.
 */
export interface ReachabilityObserver {
  unreachable(target: { accountId: string; region: string }, service: string, operation: string, error: unknown): void;
  reachable(target: { accountId: string; region: string }, service: string): void;
}

export interface TargetClients {
  config: ConfigServiceClient;
  ssm: SSMClient;
  destroy(): void;
}

/** What every AWS request of the exporter passes through: the shared budgets and the observers. */
export interface RequestHooks {
  limiter: RateLimiter;
  requests: AwsRequestObserver;
  reachability: ReachabilityObserver;
}

type Stack = ConfigServiceClient['middlewareStack'] | SSMClient['middlewareStack'] | STSClient['middlewareStack'];
type Handler = (args: { request: unknown }) => Promise<{ output: unknown; response: unknown }>;

/**
 * Placed inside the SDK's retry loop, so every attempt waits for the shared budget of its
 * (account, region, operation) and is counted, and every failed attempt is counted with its code.
 */
function instrument(stack: Stack, service: string, target: { accountId: string; region: string }, hooks: RequestHooks): void {
  const { limiter, requests: observer, reachability } = hooks;
  const middleware = (next: Handler, context: { commandName?: string }): Handler => async (args) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    await limiter.take(target.accountId, target.region, service, operation);
    observer.request(service, operation);
    try {
      const answer = await next(args);
      reachability.reachable(target, service);
      return answer;
    } catch (err) {
      observer.error(service, operation, awsErrorCode(err));
      if (isUnreachable(err)) reachability.unreachable(target, service, operation, err);
      else reachability.reachable(target, service);
      throw err;
    }
  };
  // The SDK's middleware types live in @smithy/types, which is not a direct dependency; the shape above is
  // the finalize-step contract.
  (stack as ConfigServiceClient['middlewareStack']).addRelativeTo(middleware as never, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'compliancePulseBudget',
    override: true,
  });
}

export function createTargetClients(
  target: { accountId: string; region: string },
  connection: AwsConnection,
  hooks: RequestHooks,
): TargetClients {
  const config = new ConfigServiceClient(sdkClientOptions(target.region, connection));
  const ssm = new SSMClient(sdkClientOptions(target.region, connection));
  instrument(config.middlewareStack, 'config', target, hooks);
  instrument(ssm.middlewareStack, 'ssm', target, hooks);
  return {
    config,
    ssm,
    destroy() {
      config.destroy();
      ssm.destroy();
    },
  };
}

/** The account the credentials belong to (sts:GetCallerIdentity needs no permission). */
export async function resolveAccountId(region: string, connection: AwsConnection, hooks: RequestHooks, signal: AbortSignal): Promise<string> {
  const sts = new STSClient(sdkClientOptions(region, connection));
  // The account is not known yet: its budget and log lines go by the region alone.
  instrument(sts.middlewareStack, 'sts', { accountId: '', region }, hooks);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
    return identity.Account;
  } finally {
    sts.destroy();
  }
}
