import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '../../simulator';
import { loadCatalog } from '../../src/catalog/load';
import { createExporter } from '../../src/exporter';
import { createLogger } from '../../src/logger';
import { Store } from '../../src/store/store';
import { parseMetrics, scrape, startSim, sum, testConfig } from './harness';

const BIN = join(__dirname, '..', '..', 'bin', 'exporter.js');
const BUILT_STORE = join(__dirname, '..', '..', 'dist', 'src', 'store', 'store.js');
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));

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

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function exited(child: ChildProcess): Promise<Exited> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** The real binary, polling the simulator through AWS_ENDPOINT_URL. */
function startExporter(sim: RunningSimulator, port: number, storagePath: string): ChildProcess {
  const credentials = sim.credentials();
  return spawn(
    process.execPath,
    [
      BIN,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.path=${storagePath}`,
      '--aws.config-requests-per-second=200',
      '--aws.ssm-requests-per-second=200',
    ],
    {
      env: {
        ...cleanEnv(),
        AWS_ENDPOINT_URL: sim.endpoint,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((r) => child.once('close', r));
  child.kill(signal);
  await closed;
}

describe('store safety, with the real binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-store-safety-'));

  it('refuses a second exporter on the same store with one line and exit code 2; the first keeps serving', async () => {
    const sim = await startSim({ scenario: 'default', seed: 37, clock: 'manual', startTime: new Date() });
    const storagePath = join(dir, 'shared.db');
    const ready = (base: string) =>
      until(async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), 60_000);
    const firstPort = await freePort();
    const first = startExporter(sim, firstPort, storagePath);
    const firstExit = exited(first);
    let replacement: ChildProcess | undefined;
    try {
      const base = `http://127.0.0.1:${firstPort}`;
      await ready(base);

      const second = await exited(startExporter(sim, await freePort(), storagePath));
      expect(second.code).toBe(2);
      expect(second.stdout).toBe('');
      expect(second.stderr).toBe(
        `compliance-pulse-exporter: --storage.path: "${storagePath}" is in use by another process\n`,
      );

      expect((await fetch(`${base}/-/ready`)).status).toBe(200);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(sum(parseMetrics(await metrics.text()), 'compliance_pulse_poll_success')).toBe(3);

      // The kernel drops the lock with its holder, even killed: the next exporter opens the store at once.
      await stop(first, 'SIGKILL');
      const port = await freePort();
      replacement = startExporter(sim, port, storagePath);
      await ready(`http://127.0.0.1:${port}`);
    } finally {
      await stop(first, 'SIGTERM');
      if (replacement) await stop(replacement, 'SIGTERM');
      await sim.close();
    }
    expect((await firstExit).signal).toBe('SIGKILL');
  }, 120_000);

  /**
   * A writer like the exporter's SSM poll: each transaction records one new finished automation execution
   * and re-submits the previous one (polls overlap), then prints the counters it has committed. Execution n
   * is a function of n and the seed alone, so that a restarted writer continues the same sequence.
   */
  const WRITER = `
    const { writeSync } = require('node:fs');
    const { Store } = require(process.env.STORE_MODULE);
    const seed = Number(process.env.SEED);
    const store = new Store(process.env.STORE_PATH);
    const target = { accountId: '123456789012', region: 'us-east-1' };
    const execution = (n) => {
      const failed = (n * 7 + seed) % 10 < 3;
      const startedAt = 1_700_000_000 + n * 60;
      return {
        id: 'execution-' + n, document: 'AWS-X', status: failed ? 'Failed' : 'Success', startedAt,
        endedAt: startedAt + ((n * 7919 + seed * 104729) % 4000), failureMessage: failed ? 'Rate exceeded' : undefined,
        executedBy: undefined,
      };
    };
    let next = store.db.prepare('SELECT COUNT(*) AS n FROM automation_executions').get().n;
    for (;;) {
      const batch = next === 0 ? [execution(0)] : [execution(next - 1), execution(next)];
      store.write(() => store.automations.upsert(target, batch));
      next++;
      const executions = store.totals.counterSeries('aws_ssm_automation_executions_total').reduce((t, s) => t + s.value, 0);
      const durations = store.totals.histogramSeries('aws_ssm_automation_execution_duration_seconds').reduce((t, s) => t + s.count, 0);
      writeSync(1, JSON.stringify({ executions, durations }) + '\\n');
    }
  `;

  it('keeps every committed count through repeated SIGKILLs mid-write, and counts nothing twice', async () => {
    const storagePath = join(dir, 'crash.db');
    const seed = 41;
    let lastReported = { executions: 0, durations: 0 };
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['-e', WRITER], {
        env: { ...process.env, STORE_MODULE: BUILT_STORE, STORE_PATH: storagePath, SEED: String(seed) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const killAfter = 40 + ((round * 53 + seed) % 90);
      let lines = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        lines += chunk.toString().split('\n').length - 1;
        if (lines >= killAfter) child.kill('SIGKILL');
      });
      const result = await exited(child);
      expect([result.signal, result.stderr]).toEqual(['SIGKILL', '']);
      // Complete lines only: the kill may cut the last one.
      const reported = result.stdout
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as { executions: number; durations: number });
      expect(reported.length).toBeGreaterThanOrEqual(killAfter);
      const committed = reported[reported.length - 1] as { executions: number; durations: number };
      expect(committed.executions).toBeGreaterThan(lastReported.executions);

      const store = new Store(storagePath);
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = store.db
          .prepare(
            "SELECT COUNT(*) AS n, SUM(counted) AS counted, SUM(status = 'Failed') AS failed, SUM(ended_at - started_at) AS seconds FROM automation_executions",
          )
          .get() as { n: number; counted: number; failed: number; seconds: number };
        const executions = store.totals
          .counterSeries('aws_ssm_automation_executions_total')
          .reduce((t, s) => t + s.value, 0);
        const failures = store.totals
          .counterSeries('aws_ssm_automation_execution_failures_total')
          .reduce((t, s) => t + s.value, 0);
        const [durations] = store.totals.histogramSeries('aws_ssm_automation_execution_duration_seconds');
        // Never lower than what the writer had reported as committed...
        expect(executions).toBeGreaterThanOrEqual(committed.executions);
        expect(durations?.count).toBeGreaterThanOrEqual(committed.durations);
        // ...and never more than what happened: one count per recorded execution.
        expect({
          executions,
          failures,
          durations: durations?.count,
          buckets: durations?.bucketCounts.reduce((t, n) => t + n, 0),
        }).toEqual({
          executions: rows.n,
          failures: rows.failed,
          durations: rows.n,
          buckets: rows.n,
        });
        expect(rows.counted).toBe(rows.n);
        expect(durations?.sum).toBe(rows.seconds);
        lastReported = { executions, durations: durations?.count ?? 0 };
      } finally {
        store.close();
      }
    }
  }, 30_000);
});

describe('store pruning in the exporter', () => {
  it('survives a failing prune: one warning with where and why, counted, and the next prune is timestamped', async () => {
    const sim = await startSim({ scenario: 'empty' });
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => lines.push(line) });
    const now = () => sim.clock.now().getTime() / 1000;
    const start = (config: ReturnType<typeof testConfig>) =>
      createExporter({
        config,
        catalog: loadCatalog(config.catalogFile),
        log,
        connection: { endpoint: sim.endpoint, credentials: sim.credentials() },
        now,
      });
    const failing = testConfig(sim, ['--aws.region=us-east-1']);
    const exporter = start(failing);
    const healthy = start(testConfig(sim, ['--aws.region=us-east-1']));
    try {
      // A connection that may not write: the prune's DELETE fails with SQLITE_READONLY.
      exporter.store.db.pragma('query_only = ON');
      await exporter.start();
      const samples = await scrape(exporter);
      expect(sum(samples, 'compliance_pulse_store_prune_failures_total')).toBe(1);
      expect(sum(samples, 'compliance_pulse_store_last_prune_timestamp_seconds')).toBe(0);
      const warnings = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => String(entry.msg).includes('prune'));
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 40,
          storage: failing.storagePath,
          error: 'SQLITE_READONLY: attempt to write a readonly database',
        }),
      ]);

      await healthy.start();
      const pruned = await scrape(healthy);
      expect(sum(pruned, 'compliance_pulse_store_prune_failures_total')).toBe(0);
      expect(sum(pruned, 'compliance_pulse_store_last_prune_timestamp_seconds')).toBe(now());
    } finally {
      await exporter.close();
      await healthy.close();
      await sim.close();
    }
  });
});
