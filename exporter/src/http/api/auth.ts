import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Optional bearer-token check for /api/v1; compares digests in constant time. */
export function bearerAuth(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+?)\s*$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1] as string), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="compliance-pulse"')
      .json({ error: { code: 'unauthorized', message: match ? 'wrong bearer token' : 'missing bearer token (Authorization: Bearer <token>)' } });
  };
}
