import { ConfigError } from './errors';

export interface FlagSpec {
  /** Flag name without the leading dashes, e.g. `poll.interval`. */
  name: string;
  /** Where the value goes in the YAML configuration, e.g. `poll.interval`; undefined for flags that are not settings. */
  path?: string;
  kind: 'string' | 'repeatable' | 'boolean';
  valueName?: string;
  help: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { name: 'web.listen-address', path: 'web.listen_address', kind: 'string', valueName: 'HOST:PORT', help: 'Address to listen on for /metrics, the API and health checks (default ":9867").' },
  { name: 'web.api-token-file', path: 'web.api_token_file', kind: 'string', valueName: 'FILE', help: 'File holding a bearer token required by /api/v1 (default: no authentication).' },
  { name: 'poll.interval', path: 'poll.interval', kind: 'string', valueName: 'DURATION', help: 'How often each source is polled (default 5m).' },
  { name: 'poll.full-refresh-interval', path: 'poll.full_refresh_interval', kind: 'string', valueName: 'DURATION', help: 'How often every rule\'s evaluation results are re-read even when nothing signals a change (default 1h).' },
  { name: 'poll.timeout', path: 'poll.timeout', kind: 'string', valueName: 'DURATION', help: 'Deadline of one poll cycle of one target; a cycle still running then fails (default: the poll interval, at least 5m).' },
  { name: 'poll.max-concurrent-targets', path: 'poll.max_concurrent_targets', kind: 'string', valueName: 'N', help: 'Accounts × regions polled at the same time (default 16).' },
  { name: 'aws.region', path: 'aws.regions', kind: 'repeatable', valueName: 'REGION', help: 'AWS region to poll; repeat for several (default: AWS_REGION).' },
  { name: 'aws.aggregator', path: 'aws.aggregator', kind: 'string', valueName: 'NAME', help: 'Read compliance for every account and region from this AWS Config aggregator (in the first --aws.region).' },
  { name: 'aws.max-attempts', path: 'aws.max_attempts', kind: 'string', valueName: 'N', help: 'Attempts per AWS request, retries with backoff and jitter included (default 8).' },
  { name: 'aws.request-timeout', path: 'aws.request_timeout', kind: 'string', valueName: 'DURATION', help: 'How long one AWS request attempt may wait to connect and for the whole answer (default 30s).' },
  { name: 'aws.config-requests-per-second', path: 'aws.rate_limits.config', kind: 'string', valueName: 'RATE', help: 'Request budget per AWS Config operation, account and region (default 4).' },
  { name: 'aws.ssm-requests-per-second', path: 'aws.rate_limits.ssm', kind: 'string', valueName: 'RATE', help: 'Request budget per SSM operation, account and region (default 2; AWS allows 3).' },
  { name: 'storage.path', path: 'storage.path', kind: 'string', valueName: 'FILE', help: 'SQLite file holding history and counters (default "compliance-pulse.db").' },
  { name: 'storage.retention', path: 'storage.retention', kind: 'string', valueName: 'DURATION', help: 'How long finished findings and executions are kept (default 400d).' },
  { name: 'ssm.lookback', path: 'ssm.lookback', kind: 'string', valueName: 'DURATION', help: 'Automation history read on first start (default 30d, SSM\'s retention).' },
  { name: 'ssm.overlap', path: 'ssm.overlap', kind: 'string', valueName: 'DURATION', help: 'How far before the newest execution seen each incremental read starts (default 15m).' },
  { name: 'remediation.document', path: 'remediation.documents', kind: 'repeatable', valueName: 'NAME', help: 'Extra runbook counted as remediation (e.g. an auto-tagging runbook started by EventBridge); repeatable.' },
  { name: 'kpi.timezone', path: 'kpi.timezone', kind: 'string', valueName: 'TZ', help: 'IANA time zone whose calendar days the daily indicators use (default UTC).' },
  { name: 'catalog.file', path: 'catalog.file', kind: 'string', valueName: 'FILE', help: 'YAML file overriding rule severities and controls.' },
  { name: 'config.file', kind: 'string', valueName: 'FILE', help: 'YAML configuration file; flags win over it.' },
  { name: 'demo', path: 'demo', kind: 'boolean', help: 'Start a simulated AWS account in live mode and poll it.' },
  { name: 'log.level', path: 'log.level', kind: 'string', valueName: 'LEVEL', help: 'debug, info, warn or error (default info).' },
  { name: 'help', kind: 'boolean', help: 'Show this help and exit.' },
  { name: 'version', kind: 'boolean', help: 'Show the version and exit.' },
];

export type FlagValues = Map<string, string | string[] | boolean>;

/** Parses `--name=value`, `--name value` and boolean `--name`; unknown or malformed flags are a ConfigError. */
export function parseFlags(argv: readonly string[]): FlagValues {
  const values: FlagValues = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}" (flags look like --name=value)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = FLAGS.find((f) => f.name === name);
    if (!spec) throw new ConfigError(`unknown flag --${name} (see --help)`);
    let value: string | boolean;
    if (spec.kind === 'boolean') {
      const text = eq === -1 ? 'true' : arg.slice(eq + 1);
      if (text !== 'true' && text !== 'false') throw new ConfigError(`--${name} takes no value or true/false, not "${text}"`);
      value = text === 'true';
    } else if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${name} needs a value (${spec.valueName})`);
      value = next;
      i++;
    }
    if (spec.kind === 'repeatable') {
      const list = (values.get(name) as string[] | undefined) ?? [];
      list.push(value as string);
      values.set(name, list);
    } else {
      if (values.has(name)) throw new ConfigError(`--${name} given twice`);
      values.set(name, value);
    }
  }
  return values;
}

export function helpText(program: string, version: string): string {
  const rows = FLAGS.map((f) => {
    const left = `  --${f.name}${f.valueName ? `=${f.valueName}` : ''}`;
    return `${left.padEnd(44)} ${f.help}`;
  });
  return [
    `${program} ${version}`,
    'Polls AWS Config and SSM Automation in the background and exposes Prometheus metrics and a JSON API.',
    '',
    `Usage: ${program} [flags]`,
    '',
    'Flags:',
    ...rows,
    '',
    'AWS credentials, profile and endpoints come from the SDK\'s usual sources (AWS_PROFILE, AWS_REGION,',
    'AWS_ENDPOINT_URL, ~/.aws/config, instance roles). Documentation: docs/configuration.md.',
  ].join('\n');
}
