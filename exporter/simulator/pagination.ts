import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AwsError } from './protocol/errors';
import type { JsonObject } from './protocol/input';

/**
 * Opaque NextTokens. A token carries a keyset cursor (the last key served), and is bound by an HMAC to
 * the simulator instance, the operation, the caller's account and region, and the request's filters. A
 * token that was tampered with, minted by another simulator, or replayed with other filters is rejected.
 *
 * Keyset cursors over stably sorted data mean that items added or removed between two pages can be
 * missed (like AWS), but never served twice.
 */
export interface TokenBinding {
  readonly operation: string;
  readonly accountId: string;
  readonly region: string;
  /** The request minus NextToken and the page size. */
  readonly request: JsonObject;
}

const PAGE_SIZE_MEMBERS = new Set(['NextToken', 'Limit', 'MaxResults', 'nextToken']);

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as JsonObject)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function filterFingerprint(binding: TokenBinding): string {
  const filters: JsonObject = {};
  for (const [k, v] of Object.entries(binding.request)) if (!PAGE_SIZE_MEMBERS.has(k)) filters[k] = v;
  return createHash('sha256')
    .update(`${binding.operation}\n${binding.accountId}\n${binding.region}\n${canonicalJson(filters)}`)
    .digest('base64url')
    .slice(0, 22);
}

export class TokenCodec {
  private readonly secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest().subarray(0, 18);
  }

  encode(binding: TokenBinding, cursor: unknown): string {
    const payload = Buffer.from(JSON.stringify({ f: filterFingerprint(binding), c: cursor })).toString(
      'base64url',
    );
    return `${payload}.${this.sign(payload).toString('base64url')}`;
  }

  /** The cursor inside a token, or the given error when the token is not one this binding accepts. */
  decode(token: string, binding: TokenBinding, invalid: () => AwsError): unknown {
    const dot = token.indexOf('.');
    if (dot <= 0) throw invalid();
    const payload = token.slice(0, dot);
    // Compare the encoded text: base64url decoding would ignore trailing junk.
    const mac = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.sign(payload).toString('base64url'));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (typeof parsed !== 'object' || parsed === null) throw invalid();
    const { f, c } = parsed as { f?: unknown; c?: unknown };
    if (f !== filterFingerprint(binding)) throw invalid();
    return c;
  }
}

/** Reads a cursor of an expected tuple shape, or throws the invalid-token error. */
export function cursorTuple<T extends ReadonlyArray<'string' | 'number'>>(
  cursor: unknown,
  types: T,
  invalid: () => AwsError,
): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  if (!Array.isArray(cursor) || cursor.length !== types.length) throw invalid();
  cursor.forEach((v, i) => {
    if (typeof v !== types[i]) throw invalid();
  });
  return cursor as { [K in keyof T]: T[K] extends 'string' ? string : number };
}
