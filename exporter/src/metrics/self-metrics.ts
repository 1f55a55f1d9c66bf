import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AwsRequestObserver } from '../aws/clients';
import { SOURCES, type ExporterState } from '../poller/snapshots';
import type { PollObserver } from '../poller/target-poller';

/** The outcome of each hourly pruning of the store's history. */
export interface PruneObserver {
  succeeded(at: number): void;
  failed(): void;
}

export interface SelfMetrics {
  awsRequests: AwsRequestObserver;
  polls: PollObserver;
  prunes: PruneObserver;
}

/** The exporter's own health: poll outcomes, every AWS request it makes, and the store's pruning. */
export function registerSelfMetrics(
  registry: Registry,
  state: ExporterState,
  options: { version: string; pollIntervalSeconds: number },
): SelfMetrics {
  new Gauge({
    name: 'compliance_pulse_build_info',
    help: 'Build information, value 1.',
    labelNames: ['version', 'node_version'],
    registers: [registry],
    collect() {
      this.set({ version: options.version, node_version: process.version }, 1);
    },
  });

  new Gauge({
    name: 'compliance_pulse_poll_interval_seconds',
    help: 'The configured poll interval; staleness alerts compare data age with it.',
    registers: [registry],
    collect() {
      this.set(options.pollIntervalSeconds);
    },
  });

  new Gauge({
    name: 'compliance_pulse_poll_success',
    help: '1 if the last poll of the source succeeded, 0 if it failed (its last good data is still served).',
    labelNames: ['account_id', 'region', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of state.targets()) {
        for (const source of SOURCES) {
          const status = t.status[source];
          if (status)
            this.set({ account_id: t.target.accountId, region: t.target.region, source }, status.ok ? 1 : 0);
        }
      }
    },
  });

  new Gauge({
    name: 'compliance_pulse_last_successful_poll_timestamp_seconds',
    help: 'When the source was last polled successfully; alert on its age to catch stale data.',
    labelNames: ['account_id', 'region', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of state.targets()) {
        for (const source of SOURCES) {
          const at = t.status[source]?.lastSuccessAt;
          if (at !== undefined)
            this.set({ account_id: t.target.accountId, region: t.target.region, source }, at);
        }
      }
    },
  });

  const pollFailures = new Counter({
    name: 'compliance_pulse_poll_failures_total',
    help: 'Failed polls per source.',
    labelNames: ['account_id', 'region', 'source'],
    registers: [registry],
  });
  const pollDuration = new Histogram({
    name: 'compliance_pulse_poll_duration_seconds',
    help: 'Wall time of each poll of a source.',
    labelNames: ['source'],
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'compliance_pulse_aws_requests_total',
    help: 'HTTP requests made to AWS, retries included.',
    labelNames: ['service', 'operation'],
    registers: [registry],
  });
  const requestErrors = new Counter({
    name: 'compliance_pulse_aws_request_errors_total',
    help: 'Failed HTTP requests to AWS by error code, whether or not a retry then succeeded.',
    labelNames: ['service', 'operation', 'code'],
    registers: [registry],
  });

  const pruneFailures = new Counter({
    name: 'compliance_pulse_store_prune_failures_total',
    help: 'Failed prunes of the store history (the history is kept until a prune succeeds).',
    registers: [registry],
  });
  const lastPrune = new Gauge({
    name: 'compliance_pulse_store_last_prune_timestamp_seconds',
    help: 'When the store history was last pruned successfully; 0 until the first prune, at start.',
    registers: [registry],
  });

  return {
    awsRequests: {
      request: (service, operation) => requests.inc({ service, operation }),
      error: (service, operation, code) => requestErrors.inc({ service, operation, code }),
    },
    polls: {
      pollFinished(t, source, seconds, ok) {
        pollDuration.observe({ source }, seconds);
        const labels = { account_id: t.target.accountId, region: t.target.region, source };
        if (ok) pollFailures.inc(labels, 0);
        else pollFailures.inc(labels);
      },
    },
    prunes: {
      succeeded: (at) => lastPrune.set(at),
      failed: () => pruneFailures.inc(),
    },
  };
}
