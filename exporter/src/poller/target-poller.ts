import type { Logger } from 'pino';
import { describeAwsError } from '../aws/errors';
import type { Severity } from '../model';
import type { ConfigSource } from './config-source';
import type { RemediationSource } from './remediation-source';
import type { ExporterState, SourceName, TargetState } from './snapshots';
import type { SsmSource } from './ssm-source';

/** Told about every finished poll; the exporter's self-metrics implement it. */
export interface PollObserver {
  pollFinished(state: TargetState, source: SourceName, seconds: number, ok: boolean): void;
}

export interface TargetSources {
  /** Absent when an aggregator provides the target's Config data. */
  config: ConfigSource | undefined;
  remediation: RemediationSource;
  ssm: SsmSource;
}

/** Something the poller runs once per interval. */
export interface PollCycle {
  /** Resolves once every source has published or failed; `joined` when follow-up work is done too. */
  runCycle(): Promise<{ joined: Promise<void> }>;
}

export interface CycleSignal {
  /** Aborted at shutdown, or when the cycle's deadline passes, so that no poll waits forever on AWS. */
  signal: AbortSignal;
  /** Why the cycle was cut short, for the log (a shutdown is not logged). */
  reason(): string;
  /** Clears the deadline and the shutdown listener once the cycle is over. */
  end(): void;
}

/**
 * Not AbortSignal.any([lifetime, AbortSignal.timeout(…)]): in Node 20 a timeout signal held only by a
 * composite one can be garbage collected before it fires (nodejs/node#57736), and the composite signals
 * would pile up as listeners on the long-lived shutdown signal. A plain controller and timer, cleared at
 * the end of every cycle, has neither problem.
 */
export function cycleSignal(lifetime: AbortSignal, timeoutSeconds: number): CycleSignal {
  const controller = new AbortController();
  const onShutdown = () => controller.abort(lifetime.reason);
  if (lifetime.aborted) onShutdown();
  else lifetime.addEventListener('abort', onShutdown, { once: true });
  const timer = setTimeout(() => controller.abort(new Error('poll deadline passed')), timeoutSeconds * 1000);
  timer.unref();
  return {
    signal: controller.signal,
    reason: () => `the poll did not finish within ${timeoutSeconds}s (--poll.timeout)`,
    end() {
      clearTimeout(timer);
      lifetime.removeEventListener('abort', onShutdown);
    },
  };
}

/**
 * One poll cycle of one target: Config and SSM history at the same time, then remediation status (it
 * needs Config's rule list, and SSM's activity tells which rules to re-read), then the join of runbook
 * runs to the resources they fixed. A failing source keeps its last good snapshot and is marked; the
 * others still run. The whole cycle, join included, ends by its deadline.
 */
export class TargetPoller implements PollCycle {
  constructor(
    readonly state: TargetState,
    private readonly sources: TargetSources,
    private readonly exporterState: ExporterState,
    private readonly observer: PollObserver,
    private readonly now: () => number,
    private readonly log: Logger,
    /** Aborted when the exporter shuts down: polls cut short then are not failures. */
    private readonly lifetime: AbortSignal,
    private readonly timeoutSeconds: number,
  ) {}

  async runCycle(): Promise<{ joined: Promise<void> }> {
    const started = performance.now();
    const cycle = cycleSignal(this.lifetime, this.timeoutSeconds);
    const config = this.sources.config;
    await Promise.all([
      config ? this.run('config', cycle, () => config.poll(cycle.signal)) : undefined,
      this.run('ssm', cycle, () => this.sources.ssm.poll(cycle.signal)),
    ]);
    await this.runRemediation(cycle);
    this.state.lastCycleSeconds = (performance.now() - started) / 1000;
    return { joined: this.joinRunbookRuns(cycle).finally(() => cycle.end()) };
  }

  private async runRemediation(cycle: CycleSignal): Promise<void> {
    const config = this.state.config;
    if (config) {
      const severities = new Map<string, Severity>(config.rules.map((v) => [v.rule.name, v.classification.severity]));
      await this.run('remediation', cycle, () => this.sources.remediation.poll(severities, cycle.signal));
    } else {
      this.exporterState.fail(this.state, 'remediation', this.now(), 0, 'waiting for a first successful Config poll');
    }
  }

  private async joinRunbookRuns(cycle: CycleSignal): Promise<void> {
    const configurations = this.state.remediation?.configurations;
    if (!configurations) return;
    try {
      await this.sources.ssm.readRemediatedResources(configurations, cycle.signal);
    } catch (err) {
      if (this.lifetime.aborted) return;
      // Not fatal: the executions are counted already; only their resource is missing until the next poll.
      const error = cycle.signal.aborted ? cycle.reason() : describeAwsError(err);
      this.log.warn({ error }, 'could not read remediated resources yet');
    }
  }

  private async run<S extends SourceName>(
    source: S,
    cycle: CycleSignal,
    poll: () => Promise<NonNullable<TargetState[S]>>,
  ): Promise<void> {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    try {
      const snapshot = await poll();
      this.exporterState.publish(this.state, source, snapshot, this.now(), elapsed());
      this.observer.pollFinished(this.state, source, elapsed(), true);
    } catch (err) {
      if (this.lifetime.aborted) return;
      const error = cycle.signal.aborted ? cycle.reason() : describeAwsError(err);
      this.exporterState.fail(this.state, source, this.now(), elapsed(), error);
      this.observer.pollFinished(this.state, source, elapsed(), false);
      this.log.warn({ source, error }, 'poll failed; keeping the last good data, marked stale');
    }
  }
}
