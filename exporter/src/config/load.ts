import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors';
import { FLAGS, parseFlags } from './flags';
import { settingsSchema } from './schema';

/** An account polled through an assumed role. */
export interface AccountConfig {
  accountId: string;
  roleArn: string;
  externalId: string | undefined;
  regions: string[];
}

export interface Config {
  listen: { host: string | undefined; port: number };
  /** Bearer token for /api/v1, read from --web.api-token-file. Never logged. */
  apiToken: string | undefined;
  pollIntervalSeconds: number;
  /** Deadline of one poll cycle of one target. */
  pollTimeoutSeconds: number;
  fullRefreshIntervalSeconds: number;
  maxConcurrentTargets: number;
  /** Regions of the credentials' own account (and the aggregator's region: the first). */
  regions: string[];
  /** Config aggregator whose data replaces per-account Config reads. */
  aggregator: string | undefined;
  /** Accounts read through assumed roles; empty: only the credentials' own account. */
  accounts: AccountConfig[];
  maxAttempts: number;
  /** One HTTP attempt's connection and answer timeout. */
  requestTimeoutSeconds: number;
  rateLimits: { config: number; ssm: number };
  storagePath: string;
  retentionSeconds: number;
  ssmLookbackSeconds: number;
  ssmOverlapSeconds: number;
  remediationDocuments: string[];
  kpiTimeZone: string;
  catalogFile: string | undefined;
  demo: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export type LoadResult = { kind: 'run'; config: Config } | { kind: 'help' } | { kind: 'version' };

/**
 * Reads flags, the optional YAML file and the environment once, and returns the validated configuration.
 * This is the only module that reads process.env (the AWS SDK reads its own variables).
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadResult {
  const flags = parseFlags(argv);
  if (flags.get('help') === true) return { kind: 'help' };
  if (flags.get('version') === true) return { kind: 'version' };

  const configFile = flags.get('config.file');
  const raw: Record<string, unknown> = typeof configFile === 'string' ? readYamlObject(configFile, '--config.file') : {};
  for (const spec of FLAGS) {
    const value = flags.get(spec.name);
    if (spec.path !== undefined && value !== undefined) setPath(raw, spec.path, value);
  }
  // The demo's account changes every few seconds; a 5-minute poll would hide that.
  if (getPath(raw, 'demo') === true && getPath(raw, 'poll.interval') === undefined) setPath(raw, 'poll.interval', '30s');
  const regions = getPath(raw, 'aws.regions');
  if (regions === undefined) {
    const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (fromEnv) setPath(raw, 'aws.regions', [fromEnv]);
  }

  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0], flags));
  const s = parsed.data;

  if (s.aws.regions.length === 0 && !s.demo) {
    throw new ConfigError('no AWS region: pass --aws.region=REGION (repeatable) or set AWS_REGION');
  }
  const duplicate = s.aws.accounts.find((a, i) => s.aws.accounts.findIndex((b) => b.account_id === a.account_id) !== i);
  if (duplicate) throw new ConfigError(`aws.accounts: account ${duplicate.account_id} is listed twice`);
  if (s.storage.retention < s.ssm.lookback + 86400) {
    // Pruned executions still inside SSM's window would be read (and counted) again.
    throw new ConfigError('storage.retention: must be at least ssm.lookback plus one day');
  }
  const apiToken = s.web.api_token_file === undefined ? undefined : readToken(s.web.api_token_file);
  if (s.catalog.file !== undefined) readText(s.catalog.file, '--catalog.file');

  return {
    kind: 'run',
    config: {
      listen: s.web.listen_address,
      apiToken,
      pollIntervalSeconds: s.poll.interval,
      pollTimeoutSeconds: s.poll.timeout ?? Math.max(s.poll.interval, 300),
      fullRefreshIntervalSeconds: s.poll.full_refresh_interval,
      maxConcurrentTargets: s.poll.max_concurrent_targets,
      regions: [...new Set(s.aws.regions)],
      aggregator: s.aws.aggregator,
      accounts: s.aws.accounts.map((a) => ({
        accountId: a.account_id,
        roleArn: a.role_arn ?? `arn:aws:iam::${a.account_id}:role/${s.aws.role_name}`,
        externalId: a.external_id ?? s.aws.external_id,
        regions: [...new Set(a.regions ?? s.aws.regions)],
      })),
      maxAttempts: s.aws.max_attempts,
      requestTimeoutSeconds: s.aws.request_timeout,
      rateLimits: s.aws.rate_limits,
      storagePath: s.storage.path,
      retentionSeconds: s.storage.retention,
      ssmLookbackSeconds: s.ssm.lookback,
      ssmOverlapSeconds: s.ssm.overlap,
      remediationDocuments: [...new Set(s.remediation.documents)],
      kpiTimeZone: s.kpi.timezone,
      catalogFile: s.catalog.file,
      demo: s.demo,
      logLevel: s.log.level,
    },
  };
}

export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${what}: cannot read "${file}" (${code})`);
  }
}

export function readYamlObject(file: string, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(readText(file, what));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = (err as Error).message.split('\n')[0];
    throw new ConfigError(`${what}: "${file}" is not valid YAML: ${message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${what}: "${file}" must hold a YAML mapping`);
  return doc as Record<string, unknown>;
}

function readToken(file: string): string {
  const token = readText(file, '--web.api-token-file').trim();
  if (token === '') throw new ConfigError(`--web.api-token-file: "${file}" is empty`);
  return token;
}

function describeIssue(issue: z.core.$ZodIssue | undefined, flags: ReturnType<typeof parseFlags>): string {
  if (!issue) return 'invalid configuration';
  const path = issue.path.join('.');
  const flag = FLAGS.find((f) => f.path !== undefined && (path === f.path || path.startsWith(`${f.path}.`)));
  const where = flag && flags.has(flag.name) ? `--${flag.name}` : path || 'configuration';
  const message =
    issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  return `${where}: ${message}`;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function getPath(source: Record<string, unknown>, path: string): unknown {
  let node: unknown = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
