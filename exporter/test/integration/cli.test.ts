import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import { parseMetrics, series, startSim, sum } from './harness';
import { BIN, cleanEnv, freePort, until } from './process';

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: cleanEnv(), timeout: 30_000 });

describe('compliance-pulse-exporter command line', () => {
  it('prints help and version', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--web.listen-address', '--poll.interval', '--aws.region', '--storage.path', '--config.file', '--catalog.file', '--demo', '--log.level', '--kpi.timezone']) {
      expect(help.stdout).toContain(flag);
    }
    expect(run(['--version']).stdout).toMatch(/^compliance-pulse-exporter \d+\.\d+\.\d+\n$/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'cp-cli-'));
  const badCatalog = join(dir, 'catalog.yaml');
  writeFileSync(badCatalog, 'rules:\n  my-rule: { severity: SEVERE }\n');

  it.each([
    [['--aws.region=us-east-1', '--bogus'], 'compliance-pulse-exporter: unknown flag --bogus (see --help)'],
    [['--aws.region=us-east-1', '--poll.interval=soon'], 'compliance-pulse-exporter: --poll.interval: invalid duration "soon" (use e.g. 30s, 5m, 1h, 30d)'],
    [[], 'compliance-pulse-exporter: no AWS region: pass --aws.region=REGION (repeatable) or set AWS_REGION'],
    [['--aws.region=us-east-1', '--config.file=/nonexistent.yaml'], 'compliance-pulse-exporter: --config.file: cannot read "/nonexistent.yaml" (ENOENT)'],
    [['--aws.region=us-east-1', `--catalog.file=${badCatalog}`], 'compliance-pulse-exporter: --catalog.file: rules.my-rule.severity:'],
  ])('stops at start-up on %j with a one-line reason', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it('stops when the listen address is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const { port } = blocker.address() as { port: number };
    try {
      const result = run(['--aws.region=us-east-1', `--web.listen-address=127.0.0.1:${port}`, `--storage.path=${join(dir, 'a.db')}`]);
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(`compliance-pulse-exporter: --web.listen-address: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      blocker.close();
    }
  });

  it('pointed at an endpoint through AWS_ENDPOINT_URL, reports exactly what it holds', async () => {
    // Time stands still in the account, so that nothing finishes between the poll and the comparison.
    const sim = await startSim({ scenario: 'default', seed: 31, clock: 'manual', startTime: new Date() });
    const port = await freePort();
    const credentials = sim.credentials();
    const child = spawn(process.execPath, [BIN, `--web.listen-address=127.0.0.1:${port}`, `--storage.path=${join(dir, 'endpoint.db')}`, '--aws.config-requests-per-second=200', '--aws.ssm-requests-per-second=200'], {
      env: { ...cleanEnv(), AWS_ENDPOINT_URL: sim.endpoint, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: 'us-east-1' },
      stdio: 'ignore',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await until(async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), 60_000);
      const samples = parseMetrics(await (await fetch(`${base}/metrics`)).text());
      const where = { account_id: DEFAULT_ACCOUNT_ID, region: 'us-east-1' };
      const byRule = sim.truth.evaluationCounts(DEFAULT_ACCOUNT_ID, 'us-east-1').byRule;
      const exact = series(samples, 'aws_config_rule_noncompliant_resources', where);
      expect(exact.length).toBeGreaterThan(50);
      for (const s of exact) expect([s.labels.rule, s.value]).toEqual([s.labels.rule, byRule[s.labels.rule as string]?.NON_COMPLIANT ?? 0]);
      // The exporter's clock is the real one: its 30-day window starts where its own request said.
      const asked = sim.calls
        .entries()
        .filter((c) => c.operation === 'DescribeAutomationExecutions')
        .map((c) => (c.params as { Filters?: { Key: string; Values: string[] }[] }).Filters?.find((f) => f.Key === 'StartTimeAfter')?.Values[0])
        .filter((v): v is string => v !== undefined);
      const from = Date.parse(asked[0] as string);
      const finished = sim.truth.automationExecutions(DEFAULT_ACCOUNT_ID, 'us-east-1').filter((e) => e.endTime && e.startTime.getTime() >= from).length;
      expect(finished).toBeGreaterThan(100);
      expect(sum(samples, 'aws_ssm_automation_executions_total', where)).toBe(finished);
      // Only the one region AWS_REGION names.
      expect(new Set(series(samples, 'compliance_pulse_poll_success').map((s) => s.labels.region))).toEqual(new Set(['us-east-1']));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await sim.close();
    }
  });

  it('--demo serves /metrics from the live simulated account within 30 s, the numbers move, and SIGTERM stops it', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, '--demo', `--web.listen-address=127.0.0.1:${port}`, `--storage.path=${join(dir, 'demo.db')}`, '--poll.interval=5s'], {
      env: cleanEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    try {
      const started = Date.now();
      await until(async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), 30_000);
      expect(Date.now() - started).toBeLessThan(30_000);
      const first = parseMetrics(await (await fetch(`${base}/metrics`)).text());
      expect(sum(first, 'aws_config_rule_info')).toBeGreaterThan(50);
      expect(sum(first, 'compliance_pulse_poll_success')).toBe(6);
      // The live account changes every few seconds: some number on the wall screen moves within a minute.
      const snapshot = (samples: ReturnType<typeof parseMetrics>) =>
        JSON.stringify(samples.filter((s) => s.name.startsWith('aws_') && !s.name.includes('timestamp')).map((s) => [s.name, s.labels, s.value]));
      await until(async () => {
        const now = parseMetrics(await (await fetch(`${base}/metrics`)).text());
        return snapshot(now) !== snapshot(first) ? true : undefined;
      }, 60_000);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stderr).not.toMatch(/"level":50/);
  }, 120_000);
});
