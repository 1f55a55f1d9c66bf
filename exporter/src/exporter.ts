import { setTimeout as sleep } from 'node:timers/promises';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { AggregatorReader } from './aws/aggregator-reader';
import { assumeRoleProvider } from './aws/assume-role';
import { ConfigReader } from './aws/config-reader';
import { createTargetClients, resolveAccountId, type AwsConnection, type RequestHooks, type TargetClients } from './aws/clients';
import { describeAwsError } from './aws/errors';
import { RateLimiter } from './aws/rate-limiter';
import { reachabilityLog } from './aws/reachability-log';
import { AutomationReader } from './aws/ssm-reader';
import type { Catalog } from './catalog/catalog';
import type { Config } from './config/load';
import { createApiRouter } from './http/api/router';
import { createApp } from './http/app';
import { createMetrics, type Metrics } from './metrics/registry';
import type { Target } from './model';
import { packageVersion } from './package-files';
import { AggregatorSource } from './poller/aggregator-source';
import { ConfigSource } from './poller/config-source';
import { Poller } from './poller/poller';
import { RemediationSource } from './poller/remediation-source';
import { ExporterState } from './poller/snapshots';
import { SsmSource } from './poller/ssm-source';
import { TargetPoller } from './poller/target-poller';
import { describeStoreError } from './store/database';
import { Store } from './store/store';
import { shutdownController } from './abort';

export interface ExporterOptions {
  config: Config;
  catalog: Catalog;
  log: Logger;
  /** Endpoint and credentials overrides (the demo's simulated account); the SDK's defaults otherwise. */
  connection?: Pick<AwsConnection, 'endpoint' | 'credentials'>;
  /** Epoch seconds; tests pass the simulator's clock. */
  now?: () => number;
}

export interface Exporter {
  app: Express;
  state: ExporterState;
  store: Store;
  metrics: Metrics;
  /** Learns the account, then polls in the background until `close`. */
  start(): Promise<void>;
  /** Learns the account if needed, then runs one complete poll cycle of every target (tests, benchmarks). */
  pollOnce(): Promise<void>;
  close(): Promise<void>;
}

/** Wires the exporter together without listening or touching signals; main.ts and the tests share it. */
export function createExporter(options: ExporterOptions): Exporter {
  const { config, catalog, log } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const connection: AwsConnection = { maxAttempts: config.maxAttempts, requestTimeoutMs: config.requestTimeoutSeconds * 1000, ...options.connection };
  const store = new Store(config.storagePath);
  const state = new ExporterState();
  const metrics = createMetrics(state, store.totals, { version: packageVersion, pollIntervalSeconds: config.pollIntervalSeconds });
  const limiter = new RateLimiter((service) => (service === 'ssm' ? config.rateLimits.ssm : config.rateLimits.config));
  const hooks: RequestHooks = { limiter, requests: metrics.awsRequests, reachability: reachabilityLog(log, config.requestTimeoutSeconds) };
  const app = createApp({ metrics, state, log, api: createApiRouter({ state, store, config, now }) });

  const clients: TargetClients[] = [];
  let poller: Poller | undefined;
  const lifetime = shutdownController();
  // A failed prune (disk full, store busy) only delays pruning to the next hour: logged and counted, never thrown.
  const prune = () => {
    try {
      store.prune(now() - config.retentionSeconds);
      metrics.prunes.succeeded(now());
    } catch (err) {
      metrics.prunes.failed();
      log.warn(
        { error: describeStoreError(err), storage: config.storagePath },
        'could not prune the store history; retrying in an hour',
      );
    }
  };
  const pruneTimer = setInterval(prune, 3600_000);
  pruneTimer.unref();

  /**
   * The targets: the credentials' own account in each region, or the listed accounts through their roles;
   * plus, with an aggregator, one cycle that reads every account's Config data through it.
   */
  async function discoverTargets(): Promise<Poller> {
    if (poller) return poller;
    const home = config.accounts.length === 0 || config.aggregator ? await resolveAccountIdPatiently() : undefined;
    const direct: { target: Target; connection: AwsConnection }[] = [];
    if (config.accounts.length > 0) {
      for (const account of config.accounts) {
        const credentials = assumeRoleProvider({
          roleArn: account.roleArn,
          externalId: account.externalId,
          region: config.regions[0] as string,
          connection,
          observer: metrics.awsRequests,
        });
        for (const region of account.regions) direct.push({ target: { accountId: account.accountId, region }, connection: { ...connection, credentials } });
      }
    } else {
      for (const region of config.regions) direct.push({ target: { accountId: home as string, region }, connection });
    }

    const pollers = direct.map(({ target, connection: targetConnection }) => {
      const targetClients = createTargetClients(target, targetConnection, hooks);
      const targetLog = log.child({ account_id: target.accountId, region: target.region });
      clients.push(targetClients);
      const configReader = new ConfigReader(targetClients.config);
      return new TargetPoller(
        state.addTarget(target),
        {
          config: config.aggregator
            ? undefined
            : new ConfigSource(target, { reader: configReader, store, catalog, now, fullRefreshIntervalSeconds: config.fullRefreshIntervalSeconds, log: targetLog }),
          remediation: new RemediationSource(target, {
            reader: configReader,
            store,
            now,
            fullRefreshIntervalSeconds: config.fullRefreshIntervalSeconds,
            overlapSeconds: config.ssmOverlapSeconds,
          }),
          ssm: new SsmSource(target, {
            reader: new AutomationReader(targetClients.ssm),
            store,
            now,
            lookbackSeconds: config.ssmLookbackSeconds,
            overlapSeconds: config.ssmOverlapSeconds,
            extraRemediationDocuments: config.remediationDocuments,
            detailBudget: 50,
          }),
        },
        state,
        metrics.polls,
        now,
        targetLog,
        lifetime.signal,
        config.pollTimeoutSeconds,
      );
    });

    let leader: AggregatorSource | undefined;
    if (config.aggregator) {
      const aggregatorTarget = { accountId: home as string, region: config.regions[0] as string };
      const aggregatorClients = createTargetClients(aggregatorTarget, connection, hooks);
      clients.push(aggregatorClients);
      leader = new AggregatorSource({
        reader: new AggregatorReader(aggregatorClients.config, config.aggregator),
        catalog,
        store,
        state,
        observer: metrics.polls,
        now,
        fullRefreshIntervalSeconds: config.fullRefreshIntervalSeconds,
        log: log.child({ aggregator: config.aggregator }),
        lifetime: lifetime.signal,
        timeoutSeconds: config.pollTimeoutSeconds,
      });
    }
    poller = new Poller({ leader, targets: pollers, state, intervalSeconds: config.pollIntervalSeconds, maxConcurrentTargets: config.maxConcurrentTargets, log });
    return poller;
  }

  /** GetCallerIdentity with backoff: AWS being unreachable at start-up is not a reason to exit. */
  async function resolveAccountIdPatiently(): Promise<string> {
    const region = config.regions[0] as string;
    for (let attempt = 0; ; attempt++) {
      try {
        const accountId = await resolveAccountId(region, connection, hooks, lifetime.signal);
        log.info({ account_id: accountId, regions: config.regions }, 'polling AWS account');
        return accountId;
      } catch (err) {
        if (lifetime.signal.aborted) throw err;
        const waitMs = Math.min(60_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
        log.warn({ error: describeAwsError(err), retry_in_ms: Math.round(waitMs) }, 'cannot learn the AWS account yet');
        await sleep(waitMs, undefined, { signal: lifetime.signal });
      }
    }
  }

  return {
    app,
    state,
    store,
    metrics,
    async start() {
      prune();
      (await discoverTargets()).start();
    },
    async pollOnce() {
      const { joined } = await (await discoverTargets()).pollOnce();
      await joined;
      state.ready = true;
    },
    async close() {
      lifetime.abort();
      clearInterval(pruneTimer);
      // Cut waiting and in-flight AWS requests first, so that running polls end at once (not as failures).
      limiter.close();
      for (const c of clients) c.destroy();
      await poller?.stop();
      store.close();
    },
  };
}
