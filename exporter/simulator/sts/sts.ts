import { AwsError, validationMessage } from '../protocol/errors';
import type { Caller } from '../protocol/caller';
import { SIMULATOR_USER } from '../protocol/caller';
import type { XmlTree } from '../protocol/query-sts';
import type { World } from '../world/world';
import { uniqueId, type SessionStore } from './sessions';

export const STS_ACTIONS = ['GetCallerIdentity', 'AssumeRole'] as const;
export type StsAction = (typeof STS_ACTIONS)[number];

export interface StsContext {
  readonly world: World;
  readonly sessions: SessionStore;
  readonly caller: Caller;
  /** Real time: credential expiry is checked by the SDK against the real clock. */
  readonly realNowMs: number;
}

function validation(value: unknown, member: string, constraint: string): AwsError {
  return new AwsError('ValidationError', validationMessage(value, member, constraint), 400);
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function getCallerIdentity(ctx: StsContext): XmlTree {
  const { caller } = ctx;
  return {
    Arn: caller.principalArn,
    UserId: caller.session
      ? `${caller.session.roleId}:${caller.session.sessionName}`
      : uniqueId('AIDA', `${caller.accountId}/${SIMULATOR_USER}`),
    Account: caller.accountId,
  };
}

export function assumeRole(params: Record<string, string>, ctx: StsContext): XmlTree {
  const roleArn = params['RoleArn'];
  if (roleArn === undefined) throw validation(undefined, 'roleArn', 'Member must not be null');
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw validation(roleArn, 'roleArn', 'Member must have length greater than or equal to 20');
  }
  const sessionName = params['RoleSessionName'];
  if (sessionName === undefined) throw validation(undefined, 'roleSessionName', 'Member must not be null');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validation(
      sessionName,
      'roleSessionName',
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  const durationText = params['DurationSeconds'];
  const durationSeconds = durationText === undefined ? 3600 : Number(durationText);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
    throw validation(durationText, 'durationSeconds', 'Member must have value greater than or equal to 900');
  }
  const externalId = params['ExternalId'];
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) {
    throw validation(
      externalId,
      'externalId',
      'Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*',
    );
  }

  const denied = new AwsError(
    'AccessDenied',
    `User: ${ctx.caller.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
  const match = roleArn.match(/^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/);
  if (!match) throw validation(roleArn, 'roleArn', 'Member must be a valid IAM role ARN');
  const role = ctx.world.role(match[1] as string, match[2] as string);
  if (!role) throw denied;
  if (role.externalId !== undefined && role.externalId !== externalId) throw denied;
  if (durationSeconds > role.maxSessionDurationSeconds) {
    throw new AwsError(
      'ValidationError',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      400,
    );
  }
  const session = ctx.sessions.issue({
    accountId: role.accountId,
    roleName: role.roleName,
    sessionName,
    durationSeconds,
    nowMs: ctx.realNowMs,
  });
  return {
    AssumedRoleUser: {
      AssumedRoleId: `${session.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    },
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: isoSeconds(session.expiration),
    },
  };
}
