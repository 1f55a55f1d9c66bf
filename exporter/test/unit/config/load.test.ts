import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/errors';
import { loadConfig, type Config } from '../../../src/config/load';

const fixture = (name: string) => join(__dirname, '..', '..', 'fixtures', 'config', name);
const run = (argv: string[], env: NodeJS.ProcessEnv = {}): Config => {
  const result = loadConfig(argv, env);
  if (result.kind !== 'run') throw new Error(`expected a run configuration, got ${result.kind}`);
  return result.config;
};
const failure = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    loadConfig(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = run(['--aws.region=us-east-1']);
    expect(config).toMatchObject({
      listen: { host: undefined, port: 9867 },
      pollIntervalSeconds: 300,
      pollTimeoutSeconds: 300,
      fullRefreshIntervalSeconds: 3600,
      regions: ['us-east-1'],
      maxAttempts: 8,
      requestTimeoutSeconds: 30,
      storagePath: 'compliance-pulse.db',
      ssmLookbackSeconds: 30 * 86400,
      kpiTimeZone: 'UTC',
      demo: false,
      logLevel: 'info',
      apiToken: undefined,
    });
  });

  it('gives a poll the poll interval as its deadline, but at least 5 minutes, unless told', () => {
    expect(run(['--aws.region=us-east-1', '--poll.interval=30s']).pollTimeoutSeconds).toBe(300);
    expect(run(['--aws.region=us-east-1', '--poll.interval=15m']).pollTimeoutSeconds).toBe(900);
    expect(run(['--aws.region=us-east-1', '--poll.interval=15m', '--poll.timeout=2m']).pollTimeoutSeconds).toBe(120);
  });

  it('takes the region from AWS_REGION when no flag or file gives one', () => {
    expect(run([], { AWS_REGION: 'eu-central-1' }).regions).toEqual(['eu-central-1']);
    expect(run([], { AWS_DEFAULT_REGION: 'eu-north-1' }).regions).toEqual(['eu-north-1']);
    expect(run(['--aws.region=us-west-2'], { AWS_REGION: 'eu-central-1' }).regions).toEqual(['us-west-2']);
  });

  it('reads every key of a YAML file', () => {
    const config = run([`--config.file=${fixture('full.ok.yaml')}`]);
    expect(config).toMatchObject({
      listen: { host: '127.0.0.1', port: 9999 },
      pollIntervalSeconds: 120,
      pollTimeoutSeconds: 600,
      fullRefreshIntervalSeconds: 7200,
      regions: ['eu-west-1', 'ap-northeast-2'],
      maxAttempts: 5,
      requestTimeoutSeconds: 20,
      rateLimits: { config: 2, ssm: 1.5 },
      storagePath: '/tmp/compliance-pulse-test.db',
      retentionSeconds: 90 * 86400,
      ssmLookbackSeconds: 7 * 86400,
      ssmOverlapSeconds: 300,
      remediationDocuments: ['Custom-AutoTagResources'],
      kpiTimeZone: 'Asia/Seoul',
      logLevel: 'debug',
    });
  });

  it('reads an organisation: aggregator, accounts with default and own roles', () => {
    const config = run([`--config.file=${fixture('organization.ok.yaml')}`]);
    expect(config.aggregator).toBe('org-compliance-aggregator');
    expect(config.maxConcurrentTargets).toBe(64);
    expect(config.accounts).toEqual([
      { accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/SecurityAuditRead', externalId: 'shared-external-id', regions: ['us-east-1', 'eu-west-1'] },
      { accountId: '444455556666', roleArn: 'arn:aws:iam::444455556666:role/custom/ReadOnly', externalId: 'other-id', regions: ['ap-northeast-2'] },
    ]);
    expect(run(['--aws.region=us-east-1', '--aws.aggregator=my-aggregator']).aggregator).toBe('my-aggregator');
  });

  it('lets flags win over the file', () => {
    const config = run([`--config.file=${fixture('full.ok.yaml')}`, '--poll.interval', '30s', '--aws.region=us-east-1', '--aws.region=us-east-2']);
    expect(config.pollIntervalSeconds).toBe(30);
    expect(config.regions).toEqual(['us-east-1', 'us-east-2']);
  });

  it('reads the API token from its file without surrounding white space', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-config-'));
    writeFileSync(join(dir, 'token'), '  s3cret-token\n');
    expect(run(['--aws.region=us-east-1', `--web.api-token-file=${join(dir, 'token')}`]).apiToken).toBe('s3cret-token');
  });

  it('accepts --demo without a region', () => {
    expect(run(['--demo']).demo).toBe(true);
  });

  it('answers help and version', () => {
    expect(loadConfig(['--help'], {}).kind).toBe('help');
    expect(loadConfig(['--version'], {}).kind).toBe('version');
  });

  it.each([
    [['--aws.region=us-east-1', '--poll.intervall=5m'], 'unknown flag --poll.intervall'],
    [['--aws.region=us-east-1', '--poll.interval=5x'], '--poll.interval: invalid duration "5x"'],
    [['--aws.region=us-east-1', '--poll.interval=0s'], '--poll.interval: must be between 1s and 1d, not "0s"'],
    // Above 24.8 days a Node timer overflows and fires at once: the poller would spin.
    [['--aws.region=us-east-1', '--poll.interval=25d'], '--poll.interval: must be between 1s and 1d, not "25d"'],
    [['--aws.region=us-east-1', '--poll.full-refresh-interval=8d'], '--poll.full-refresh-interval: must be between 1s and 7d'],
    [['--aws.region=us-east-1', '--poll.timeout=2d'], '--poll.timeout: must be between 1s and 1d'],
    [['--aws.region=us-east-1', '--aws.request-timeout=0s'], '--aws.request-timeout: must be between 1s and 10m'],
    [['--aws.region=us-east-1', '--aws.request-timeout=11m'], '--aws.request-timeout: must be between 1s and 10m'],
    [['--aws.region=us-east-1', '--storage.retention=3651d'], '--storage.retention: must be between 1d and 3650d'],
    [['--aws.region=us-east-1', '--ssm.lookback=31d'], '--ssm.lookback: must be between 1m and 30d'],
    [['--aws.region=us-east-1', '--ssm.overlap=2d'], '--ssm.overlap: must be between 0s and 1d'],
    [['--aws.region=us-east-1', '--poll.interval'], '--poll.interval needs a value'],
    [['--aws.region=us-east-1', '--web.listen-address=9867'], '--web.listen-address: invalid listen address "9867"'],
    [['--aws.region=us-east-1', '--web.listen-address=:70000'], '--web.listen-address: invalid listen address'],
    [['--aws.region=Seoul'], '--aws.region: invalid AWS region name'],
    [['--aws.region=us-east-1', '--aws.max-attempts=many'], '--aws.max-attempts'],
    [['--aws.region=us-east-1', '--kpi.timezone=Mars/Olympus'], '--kpi.timezone: unknown IANA time zone'],
    [['--aws.region=us-east-1', '--log.level=loud'], '--log.level'],
    [['--aws.region=us-east-1', '--demo=maybe'], '--demo takes no value or true/false'],
    [['--aws.region=us-east-1', 'positional'], 'unexpected argument "positional"'],
    [['--aws.region=us-east-1', '--config.file=/nonexistent/x.yaml'], '--config.file: cannot read "/nonexistent/x.yaml" (ENOENT)'],
    [['--aws.region=us-east-1', '--catalog.file=/nonexistent/c.yaml'], '--catalog.file: cannot read'],
    [['--aws.region=us-east-1', '--web.api-token-file=/nonexistent/t'], '--web.api-token-file: cannot read'],
    [['--aws.region=us-east-1', '--storage.path='], 'storage.path'],
    [[], 'no AWS region'],
    [['--aws.region=us-east-1', '--aws.aggregator=bad name'], '--aws.aggregator: invalid Config aggregator name'],
    [['--aws.region=us-east-1', '--poll.max-concurrent-targets=0'], '--poll.max-concurrent-targets'],
    [['--aws.region=us-east-1', '--storage.retention=7d'], 'storage.retention: must be at least ssm.lookback plus one day'],
  ])('rejects %j with a one-line reason', (argv, expected) => {
    expect(failure(argv)).toContain(expected);
  });

  it.each([
    ['typo.bad.yaml', 'poll: unknown key(s) "intervall"'],
    ['duration.bad.yaml', 'poll.interval: invalid duration "soon"'],
    ['region.bad.yaml', 'aws.regions.0: invalid AWS region name'],
    ['timezone.bad.yaml', 'kpi.timezone: unknown IANA time zone'],
    ['not-a-mapping.bad.yaml', 'must hold a YAML mapping'],
    ['broken.bad.yaml', 'is not valid YAML'],
    ['account.bad.yaml', 'aws.accounts.0.account_id: must be a 12-digit AWS account id'],
    ['duplicate-account.bad.yaml', 'aws.accounts: account 111122223333 is listed twice'],
  ])('rejects the file %s', (file, expected) => {
    expect(failure([`--config.file=${fixture(file)}`])).toContain(expected);
  });

  it('rejects an empty token file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-config-'));
    writeFileSync(join(dir, 'token'), '\n');
    expect(failure(['--aws.region=us-east-1', `--web.api-token-file=${join(dir, 'token')}`])).toContain('is empty');
  });
});
