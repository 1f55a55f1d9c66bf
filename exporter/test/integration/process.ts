import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { RunningSimulator } from '../../simulator';
import { parseMetrics, type Sample } from './harness';

/** The built exporter binary, as users run it. */
export const BIN = join(__dirname, '..', '..', 'bin', 'exporter.js');

/** The test process's environment without AWS_* variables, so that nothing from the machine leaks in. */
export const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` every 100 ms until it returns a value (errors count as not yet). */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ExporterProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line the process has written so far. */
  logs(): Record<string, unknown>[];
  metrics(): Promise<Sample[]>;
  json(path: string): Promise<any>;
  /** SIGTERM, and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the exporter binary on a free port with `flags` and `env`; resolves once it listens. */
export async function startExporterProcess(flags: string[], env: NodeJS.ProcessEnv): Promise<ExporterProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, `--web.listen-address=127.0.0.1:${port}`, ...flags], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const logs = () =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  await until(() => (logs().some((l) => l.msg === 'listening') ? true : child.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined), 20_000, 'listening');
  return {
    url,
    child,
    logs,
    metrics: async () => parseMetrics(await (await fetch(`${url}/metrics`)).text()),
    json: async (path) => (await fetch(`${url}${path}`)).json(),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The environment that points the exporter at a simulator, as a user would with AWS_ENDPOINT_URL. */
export function simulatorEnv(sim: RunningSimulator, region = 'us-east-1'): NodeJS.ProcessEnv {
  const credentials = sim.credentials();
  return { AWS_ENDPOINT_URL: sim.endpoint, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: region };
}
