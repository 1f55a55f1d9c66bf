import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsErrorCode } from './errors';
import type { RateLimiter } from './rate-limiter';

/** Sees every HTTP attempt the SDK makes (retries included); implemented by the exporter's self-metrics. */
export interface AwsRequestObserver {
  request(service: string, operation: string): void;
  error(service: string, operation: string, code: string): void;
}

export interface AwsConnection {
  /** Overrides the SDK's endpoint resolution (AWS_ENDPOINT_URL* still work without it). */
  endpoint?: string;
  /** Static credentials (the demo), or a provider (an assumed role); otherwise the SDK's default chain. */
  credentials?:
    | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
    | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>);
  maxAttempts: number;
}

export interface TargetClients {
  config: ConfigServiceClient;
  ssm: SSMClient;
  destroy(): void;
}

function clientOptions(region: string, connection: AwsConnection) {
  return {
    region,
    maxAttempts: connection.maxAttempts,
    retryMode: 'standard',
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  };
}

type Stack = ConfigServiceClient['middlewareStack'] | SSMClient['middlewareStack'];
type Handler = (args: { request: unknown }) => Promise<{ output: unknown; response: unknown }>;

/**
 * Placed inside the SDK's retry loop, so every attempt waits for the shared budget of its
 * (account, region, operation) and is counted, and every failed attempt is counted with its code.
 */
function instrument(stack: Stack, service: string, accountId: string, region: string, limiter: RateLimiter, observer: AwsRequestObserver): void {
  const middleware = (next: Handler, context: { commandName?: string }): Handler => async (args) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    await limiter.take(accountId, region, service, operation);
    observer.request(service, operation);
    try {
      return await next(args);
    } catch (err) {
      observer.error(service, operation, awsErrorCode(err));
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
  limiter: RateLimiter,
  observer: AwsRequestObserver,
): TargetClients {
  const config = new ConfigServiceClient(clientOptions(target.region, connection));
  const ssm = new SSMClient(clientOptions(target.region, connection));
  instrument(config.middlewareStack, 'config', target.accountId, target.region, limiter, observer);
  instrument(ssm.middlewareStack, 'ssm', target.accountId, target.region, limiter, observer);
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
export async function resolveAccountId(region: string, connection: AwsConnection, observer: AwsRequestObserver): Promise<string> {
  const sts = new STSClient(clientOptions(region, connection));
  try {
    observer.request('sts', 'GetCallerIdentity');
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
    return identity.Account;
  } catch (err) {
    observer.error('sts', 'GetCallerIdentity', awsErrorCode(err));
    throw err;
  } finally {
    sts.destroy();
  }
}
