import pino, { type Logger } from 'pino';

export type { Logger };

/** The root logger: JSON lines on stderr; secrets are redacted wherever they might appear. */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { service: 'compliance-pulse-exporter' },
      redact: {
        paths: ['apiToken', '*.apiToken', 'credentials', '*.credentials', 'secretAccessKey', '*.secretAccessKey', 'sessionToken', '*.sessionToken', 'req.headers.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
