import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/** An error meant for the client: its status and message are sent as they are. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** The one error middleware: client errors pass through; anything else is logged and answered with a bare 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.parameter ? { parameter: err.parameter } : {}) } });
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Express's own client errors (e.g. a malformed URL).
      res.status(status).json({ error: { code: 'bad_request', message: 'bad request' } });
      return;
    }
    log.error({ err, req: { method: req.method, url: req.originalUrl } }, 'request failed');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
