import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadCatalog } from '../../src/catalog/load';
import { loadConfig, type Config } from '../../src/config/load';
import { createExporter, type Exporter } from '../../src/exporter';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator';

/** A fixed start time, so that scenario data is identical run after run. */
export const START = new Date('2026-11-29T03:00:00.000Z');

export const tempStorePath = (): string => join(mkdtempSync(join(tmpdir(), 'cp-it-')), 'store.db');

export function startSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ startTime: START, clock: 'manual', ...options });
}

/** The real configuration parser, given flags; budgets are raised so tests are not paced like AWS. */
export function testConfig(sim: RunningSimulator, flags: string[] = []): Config {
  const given = (name: string) => flags.some((f) => f.startsWith(`--${name}`));
  const defaults = [
    ...(given('aws.region') || given('config.file') ? [] : sim.regions.map((r) => `--aws.region=${r}`)),
    ...(given('aws.config-requests-per-second') ? [] : ['--aws.config-requests-per-second=500']),
    ...(given('aws.ssm-requests-per-second') ? [] : ['--aws.ssm-requests-per-second=500']),
    `--storage.path=${tempStorePath()}`,
  ];
  const loaded = loadConfig([...defaults, ...flags], {});
  if (loaded.kind !== 'run') throw new Error('expected a run configuration');
  return loaded.config;
}

export function exporterFor(sim: RunningSimulator, config: Config, accountId?: string): Exporter {
  return createExporter({
    config,
    catalog: loadCatalog(config.catalogFile),
    log: pino({ level: 'silent' }),
    connection: { endpoint: sim.endpoint, credentials: sim.credentials(accountId) },
    now: () => sim.clock.now().getTime() / 1000,
  });
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves the exporter's app on an ephemeral port. */
export function serve(exporter: Exporter): Promise<Served> {
  const server = createServer(exporter.app);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (enough of it for our own output). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = (pair[2] as string).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(exporter: Exporter): Promise<Sample[]> {
  return parseMetrics(Buffer.concat(await exporter.metrics.render()).toString());
}

/** Sum of the samples of a metric whose labels include `match`. */
export function sum(samples: readonly Sample[], name: string, match: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

export function series(samples: readonly Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}
