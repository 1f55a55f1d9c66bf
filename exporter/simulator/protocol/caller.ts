import type { IncomingHttpHeaders } from 'node:http';
import type { Session, SessionStore } from '../sts/sessions';
import type { World } from '../world/world';

/** Who sent a request: the account, region and principal the simulator answers for. */
export interface Caller {
  readonly accessKeyId: string | undefined;
  readonly accountId: string;
  readonly region: string;
  /** The SigV4 scope's service (`config`, `ssm`, `sts`). */
  readonly signingService: string | undefined;
  readonly principalArn: string;
  readonly session: Session | undefined;
}

export interface SigV4Scope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

const DEFAULT_REGION = 'us-east-1';
export const SIMULATOR_USER = 'compliance-pulse';

/** `AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/config/aws4_request, SignedHeaders=..., Signature=...` */
export function parseAuthorization(header: string | undefined): SigV4Scope | undefined {
  const match = header?.match(/Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  if (!match) return undefined;
  return { accessKeyId: match[1] as string, region: match[2] as string, service: match[3] as string };
}

/** `amz-sdk-request: attempt=2; max=3` */
export function parseSdkRequest(header: string | undefined): { attempt?: number; maxAttempts?: number } {
  const attempt = header?.match(/attempt=(\d+)/)?.[1];
  const max = header?.match(/max=(\d+)/)?.[1];
  return {
    ...(attempt !== undefined ? { attempt: Number(attempt) } : {}),
    ...(max !== undefined ? { maxAttempts: Number(max) } : {}),
  };
}

/** The account whose 12-digit id appears in the access key id, if any is known. */
export function accountInAccessKey(
  accessKeyId: string,
  isKnown: (accountId: string) => boolean,
): string | undefined {
  for (const run of accessKeyId.match(/\d{12,}/g) ?? []) {
    for (let i = 0; i + 12 <= run.length; i++) {
      const candidate = run.slice(i, i + 12);
      if (isKnown(candidate)) return candidate;
    }
  }
  return undefined;
}

export function identifyCaller(headers: IncomingHttpHeaders, world: World, sessions: SessionStore): Caller {
  const scope = parseAuthorization(headers.authorization);
  const session = scope ? sessions.get(scope.accessKeyId) : undefined;
  const accountId =
    session?.accountId ??
    (scope && accountInAccessKey(scope.accessKeyId, (id) => world.hasAccount(id))) ??
    world.defaultAccountId;
  return {
    accessKeyId: scope?.accessKeyId,
    accountId,
    region: scope?.region ?? DEFAULT_REGION,
    signingService: scope?.service,
    principalArn: session
      ? `arn:aws:sts::${accountId}:assumed-role/${session.roleName}/${session.sessionName}`
      : `arn:aws:iam::${accountId}:user/${SIMULATOR_USER}`,
    session,
  };
}
