import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics, sum } from './harness';

const BIN = join(__dirname, '..', '..', 'bin', 'exporter.js');
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: cleanEnv(), timeout: 30_000 });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

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
