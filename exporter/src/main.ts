import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCatalog } from './catalog/load';
import { ConfigError } from './config/errors';
import { helpText } from './config/flags';
import { loadConfig, type Config } from './config/load';
import { createExporter } from './exporter';
import { createLogger, type Logger } from './logger';
import { packageVersion } from './package-files';

const PROGRAM = 'compliance-pulse-exporter';

/** A simulated AWS account, started by the bin launcher for --demo (production code never imports it). */
export interface DemoAccount {
  endpoint: string;
  regions: string[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Runbooks the demo account runs outside Config remediation (auto-tagging) that count as remediation. */
  remediationDocuments: string[];
  /** The demo account's request limits: the exporter paces itself at them. */
  requestsPerSecond: { config: number; ssm: number };
  close(): Promise<void>;
}
export type DemoAccountStarter = (options: { log: (line: string) => void }) => Promise<DemoAccount>;

/** The composition root: config → logger → exporter → HTTP server → background polling → graceful shutdown. */
export async function main(argv: readonly string[], hooks: { startDemoAccount?: DemoAccountStarter } = {}): Promise<void> {
  let config: Config;
  try {
    const loaded = loadConfig(argv);
    if (loaded.kind === 'help') {
      process.stdout.write(`${helpText(PROGRAM, packageVersion)}\n`);
      return;
    }
    if (loaded.kind === 'version') {
      process.stdout.write(`${PROGRAM} ${packageVersion}\n`);
      return;
    }
    config = loaded.config;
  } catch (err) {
    return exitWith(err);
  }

  const log = createLogger(config.logLevel);
  let demo: DemoAccount | undefined;
  try {
    if (config.demo) {
      if (!hooks.startDemoAccount) throw new ConfigError('--demo needs the simulator, which this build does not include');
      demo = await hooks.startDemoAccount({ log: (line) => log.info({ component: 'simulator' }, line) });
      if (config.regions.length === 0) config = { ...config, regions: demo.regions };
      if (config.remediationDocuments.length === 0) config = { ...config, remediationDocuments: demo.remediationDocuments };
      config = { ...config, rateLimits: demo.requestsPerSecond };
      log.info({ endpoint: demo.endpoint, regions: config.regions }, 'demo: polling a simulated AWS account');
    }
    const catalog = loadCatalog(config.catalogFile);
    const exporter = createExporter({
      config,
      catalog,
      log,
      ...(demo ? { connection: { endpoint: demo.endpoint, credentials: demo.credentials } } : {}),
    });
    const server = await listen(createServer(exporter.app), config);
    const address = server.address() as AddressInfo;
    log.info({ address: `${address.address}:${address.port}`, poll_interval_seconds: config.pollIntervalSeconds, storage: config.storagePath }, 'listening');
    onShutdown(log, async () => {
      server.close();
      server.closeAllConnections();
      await exporter.close();
      await demo?.close();
    });
    await exporter.start();
  } catch (err) {
    await demo?.close();
    return exitWith(err);
  }
}

function listen(server: Server, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${config.listen.host ?? ''}:${config.listen.port}`;
      reject(new ConfigError(`--web.listen-address: cannot listen on ${where} (${err.code ?? err.message})`));
    });
    server.listen(config.listen.port, config.listen.host, () => resolve(server));
  });
}

/** SIGINT/SIGTERM close everything in order; a second signal, or 10 s, forces the exit. */
function onShutdown(log: Logger, close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

function exitWith(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${PROGRAM}: ${err.message}\n`);
    process.exit(2);
  }
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(1);
}
