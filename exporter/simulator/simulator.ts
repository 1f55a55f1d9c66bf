import type { AddressInfo } from 'node:net';
import { CallLog, type CallLogEntry } from './call-log';
import { Clock, type ClockMode, type SimClock } from './clock';
import { handleControl } from './control/http';
import { FaultInjector, type Fault } from './faults';
import { LiveEngine } from './live';
import type { LiveOptions } from './live-transitions';
import { TokenCodec } from './pagination';
import { RateLimiter, rateLimitTable, type RateLimitPreset, type RateLimitTable } from './rate-limit';
import { loadCatalog } from './scenario/catalog';
import { defaultAccountOf, defineScenario, SCENARIOS, type ScenarioName } from './scenario';
import { createSimulatorServer } from './server';
import { SessionStore, staticCredentials } from './sts/sessions';
import { createTruth, type Truth } from './truth';
import { World } from './world/world';

export interface SimulatorOptions {
  scenario?: ScenarioName;
  /** Seed of every generated value. Default 1. */
  seed?: number;
  /**
   * Moves the world on a timer (every tickMs, with the wall clock). Default false. An object turns live
   * mode on with options, e.g. `{ transitions: true }` for rule-level transitions (soak tests).
   */
  live?: boolean | LiveOptions;
  /** The simulated "now" when the simulator starts (fix it for determinism). Default: the current time. */
  startTime?: Date;
  /** Default: `wall` when live, else `manual`. */
  clock?: ClockMode;
  tickMs?: number;
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  rateLimits?: RateLimitPreset | RateLimitTable;
  /** ExternalId that the organization scenario's member roles require. */
  externalId?: string;
  /** Member accounts of the organization scenario (default 200). */
  members?: number;
  /** Built regions of the large presets kept in memory besides those in use (default 64). */
  maxCachedRegions?: number;
  log?: (line: string) => void;
}

export interface RunningSimulator {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly port: number;
  readonly scenario: ScenarioName;
  readonly seed: number;
  readonly accountIds: string[];
  readonly regions: string[];
  /** Long-term credentials whose access key id routes requests to the account (default: the scenario's). */
  credentials(accountId?: string): { accessKeyId: string; secretAccessKey: string };
  readonly clock: SimClock;
  /** One live step; works with either clock. */
  tick(): void;
  readonly faults: {
    add(fault: Fault): string;
    remove(id: string): void;
    clear(): void;
    list(): Array<{ id: string; fault: Fault; remaining?: number }>;
  };
  readonly calls: {
    entries(): CallLogEntry[];
    clear(): void;
    /** Entries with seq greater than the given one. */
    since(seq: number): CallLogEntry[];
    /** Seq of the newest entry (0 before any request). */
    lastSeq(): number;
  };
  /** The state, per account and region; read and change it (world.region(account, region)). */
  readonly world: World;
  readonly truth: Truth;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const scenario = options.scenario ?? 'default';
  if (!SCENARIOS.includes(scenario))
    throw new Error(`unknown scenario ${String(scenario)}; use one of ${SCENARIOS.join(', ')}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const live = options.live !== undefined && options.live !== false;
  const liveOptions = typeof options.live === 'object' ? options.live : {};
  const startTime = options.startTime ?? new Date();
  const clock = new Clock(options.clock ?? (live ? 'wall' : 'manual'), startTime);
  const log = options.log ?? (() => undefined);

  const world = new World({
    clock,
    seed,
    defaultAccountId: defaultAccountOf(scenario),
    ...(options.maxCachedRegions !== undefined ? { maxCachedRegions: options.maxCachedRegions } : {}),
  });
  const definition = defineScenario(scenario, world, loadCatalog(), {
    seed,
    startMs: startTime.getTime(),
    ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
    ...(options.members !== undefined ? { members: options.members } : {}),
  });
  const engine = new LiveEngine(world, clock, definition.live, seed, liveOptions);
  const callLog = new CallLog();
  const faults = new FaultInjector(seed);
  const truth = createTruth(world);
  const shutdown = new AbortController();
  const regions = [...definition.regions];
  const tick = (): void => engine.tick();

  const server = createSimulatorServer({
    world,
    clock,
    tokens: new TokenCodec(),
    sessions: new SessionStore(),
    faults,
    rateLimiter: new RateLimiter(rateLimitTable(options.rateLimits)),
    callLog,
    log,
    shutdown: shutdown.signal,
    control: (req, res, raw) =>
      handleControl({ scenario, seed, world, clock, callLog, faults, truth, regions, tick }, req, res, raw),
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpointHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const endpoint = `http://${endpointHost}:${port}`;

  const timer =
    live && clock.mode === 'wall'
      ? setInterval(() => {
          try {
            engine.tick();
          } catch (error) {
            log(`simulator: live tick failed: ${(error as Error).stack ?? String(error)}`);
          }
        }, options.tickMs ?? 2_000)
      : undefined;
  timer?.unref();
  log(`simulator: scenario ${scenario} (seed ${seed}) listening on ${endpoint}`);

  let closed: Promise<void> | undefined;
  return {
    endpoint,
    port,
    scenario,
    seed,
    accountIds: world.accountIds(),
    regions,
    credentials: (accountId = world.defaultAccountId) => staticCredentials(accountId),
    clock,
    tick,
    faults: {
      add: (fault) => faults.add(fault),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    calls: {
      entries: () => callLog.entries(),
      clear: () => callLog.clear(),
      since: (seq) => callLog.since(seq),
      lastSeq: () => callLog.lastSeq(),
    },
    world,
    truth,
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
