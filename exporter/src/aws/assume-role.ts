import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsErrorCode } from './errors';
import type { AwsRequestObserver } from './clients';
import { sdkClientOptions, type AwsConnection } from './sdk-options';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export type CredentialProvider = () => Promise<TemporaryCredentials>;

/** Credentials are renewed this long before they expire, so no request ever carries expired ones. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Credentials for another account through sts:AssumeRole (with an external id when given), cached and
 * renewed before they expire. Concurrent callers share one AssumeRole call. A failure is thrown to the
 * caller (that account's poll fails and is marked) and retried on the next call.
 */
export function assumeRoleProvider(options: {
  roleArn: string;
  externalId: string | undefined;
  region: string;
  connection: AwsConnection;
  observer: AwsRequestObserver;
  nowMs?: () => number;
}): CredentialProvider {
  const nowMs = options.nowMs ?? Date.now;
  const sts = new STSClient(sdkClientOptions(options.region, options.connection));
  let cached: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;

  async function assume(): Promise<TemporaryCredentials> {
    options.observer.request('sts', 'AssumeRole');
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: 'compliance-pulse',
          ...(options.externalId ? { ExternalId: options.externalId } : {}),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('AssumeRole returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      options.observer.error('sts', 'AssumeRole', awsErrorCode(err));
      throw err;
    }
  }

  return () => {
    if (cached && cached.expiration.getTime() - nowMs() > REFRESH_BEFORE_EXPIRY_MS) return Promise.resolve(cached);
    pending ??= assume()
      .then((fresh) => (cached = fresh))
      .finally(() => (pending = undefined));
    return pending;
  };
}
