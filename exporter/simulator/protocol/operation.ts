import type { Clock } from '../clock';
import type { TokenCodec } from '../pagination';
import type { World } from '../world/world';
import type { AwsError } from './errors';
import type { JsonObject } from './input';

export type ServiceName = 'config' | 'ssm' | 'sts';

/** Who is calling, where, and with which operation: everything a handler needs besides the body. */
export interface RequestContext {
  readonly world: World;
  readonly clock: Clock;
  readonly tokens: TokenCodec;
  readonly accountId: string;
  readonly region: string;
  readonly operation: string;
  /** ARN of the calling principal (for AccessDenied messages). */
  readonly principalArn: string;
}

export interface JsonOperation {
  readonly service: 'config' | 'ssm';
  readonly name: string;
  handle(input: JsonObject, ctx: RequestContext): JsonObject;
}

/** Decodes the request's NextToken (if any) into a cursor, bound to this operation and request. */
export function readCursor(input: JsonObject, ctx: RequestContext, invalid: () => AwsError): unknown {
  const token = input['NextToken'];
  if (token === undefined || token === null || token === '') return undefined;
  if (typeof token !== 'string') throw invalid();
  return ctx.tokens.decode(
    token,
    { operation: ctx.operation, accountId: ctx.accountId, region: ctx.region, request: input },
    invalid,
  );
}

export function nextToken(input: JsonObject, ctx: RequestContext, cursor: unknown): string {
  return ctx.tokens.encode(
    { operation: ctx.operation, accountId: ctx.accountId, region: ctx.region, request: input },
    cursor,
  );
}

/** Epoch milliseconds to AWS JSON's epoch seconds (a number, fractional when needed). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
