import { z } from 'zod';
import { formatDuration, parseDurationSeconds } from './duration';

/**
 * A duration setting with its documented range (docs/configuration.md), in seconds. Every one has an upper
 * bound: timers above 2^31 ms (24.8 days) overflow in Node, and none of these settings means anything there.
 */
const duration = (min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const seconds = typeof value === 'number' ? value : parseDurationSeconds(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `invalid duration "${value}" (use e.g. 30s, 5m, 1h, 30d)` });
      return z.NEVER;
    }
    if (seconds < min || seconds > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${formatDuration(min)} and ${formatDuration(max)}, not "${value}"` });
      return z.NEVER;
    }
    return seconds;
  });

const MINUTE = 60;
const DAY = 86400;

const listenAddress = z.string().transform((value, ctx) => {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]*):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `invalid listen address "${value}" (use HOST:PORT or :PORT)` });
    return z.NEVER;
  }
  const host = (match[1] as string).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port };
});

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone' },
);

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'invalid AWS region name');
const accountId = z.coerce.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'invalid IAM role ARN');
const externalId = z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'invalid external id');

/** An account read through an assumed role (cross-account). */
const account = z.strictObject({
  account_id: accountId,
  /** Default: arn:aws:iam::<account_id>:role/<aws.role_name>. */
  role_arn: roleArn.optional(),
  external_id: externalId.optional(),
  /** Default: aws.regions. */
  regions: z.array(region).min(1).optional(),
});
const documentName = z.string().regex(/^[a-zA-Z0-9_\-.]{3,128}$/, 'invalid SSM document name');
const rate = z.coerce.number().positive('must be a positive number').max(1000);

/** The configuration file's shape (YAML); flags are merged into it before parsing. */
export const settingsSchema = z.strictObject({
  web: z
    .strictObject({
      listen_address: listenAddress.prefault(':9867'),
      api_token_file: z.string().optional(),
    })
    .prefault({}),
  poll: z
    .strictObject({
      interval: duration(1, DAY).prefault('5m'),
      full_refresh_interval: duration(1, 7 * DAY).prefault('1h'),
      /** Default: the poll interval, but at least 5 minutes (load.ts). */
      timeout: duration(1, DAY).optional(),
      max_concurrent_targets: z.coerce.number().int().min(1).max(1024).prefault(16),
    })
    .prefault({}),
  aws: z
    .strictObject({
      regions: z.array(region).default([]),
      max_attempts: z.coerce.number().int().min(1).max(20).prefault(8),
      request_timeout: duration(1, 10 * MINUTE).prefault('30s'),
      aggregator: z.string().regex(/^[\w-]{1,256}$/, 'invalid Config aggregator name').optional(),
      accounts: z.array(account).default([]),
      role_name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'invalid IAM role name').prefault('CompliancePulseReadOnly'),
      external_id: externalId.optional(),
      rate_limits: z.strictObject({ config: rate.prefault(4), ssm: rate.prefault(2) }).prefault({}),
    })
    .prefault({}),
  storage: z
    .strictObject({
      path: z.string().min(1).prefault('compliance-pulse.db'),
      retention: duration(DAY, 3650 * DAY).prefault('400d'),
    })
    .prefault({}),
  ssm: z
    .strictObject({
      lookback: duration(MINUTE, 30 * DAY).prefault('30d'),
      overlap: duration(0, DAY).prefault('15m'),
    })
    .prefault({}),
  remediation: z.strictObject({ documents: z.array(documentName).default([]) }).prefault({}),
  kpi: z.strictObject({ timezone: timeZone.prefault('UTC') }).prefault({}),
  catalog: z.strictObject({ file: z.string().optional() }).prefault({}),
  demo: z.boolean().default(false),
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).prefault('info') }).prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;
