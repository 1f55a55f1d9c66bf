import { randomBytes } from 'node:crypto';

/** Temporary credentials handed out by AssumeRole. Expiry uses the real clock, as the SDK checks it. */
export interface Session {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly roleId: string;
  readonly expiration: number;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomLetters(count: number): string {
  return [...randomBytes(count)].map((b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('');
}

/** A stable pseudo IAM unique id (`AIDA…`/`AROA…`) for a principal name. */
export function uniqueId(prefix: 'AIDA' | 'AROA', name: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 17; round++) {
    for (const ch of `${name}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += (h % 36 ** 4).toString(36).toUpperCase().padStart(4, 'Q');
  }
  return prefix + out.slice(0, 17);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  issue(input: {
    accountId: string;
    roleName: string;
    sessionName: string;
    durationSeconds: number;
    nowMs: number;
  }): Session {
    let accessKeyId: string;
    do accessKeyId = `ASIA${input.accountId}${randomLetters(4)}`;
    while (this.sessions.has(accessKeyId));
    const session: Session = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
      sessionToken: randomBytes(96).toString('base64'),
      accountId: input.accountId,
      roleName: input.roleName,
      sessionName: input.sessionName,
      roleId: uniqueId('AROA', `${input.accountId}/${input.roleName}`),
      expiration: input.nowMs + input.durationSeconds * 1000,
    };
    this.sessions.set(accessKeyId, session);
    return session;
  }

  get(accessKeyId: string): Session | undefined {
    return this.sessions.get(accessKeyId);
  }
}

/** Long-term simulator credentials for an account: the access key id embeds the account id. */
export function staticCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${accountId}SIMX`, secretAccessKey: 'simulator-secret-access-key' };
}
