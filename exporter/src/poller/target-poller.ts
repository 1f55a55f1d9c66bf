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
  config: ConfigSource;
  remediation: RemediationSource;
  ssm: SsmSource;
}

/**
 * One poll cycle of one target: Config first (remediation needs its rule list), then remediation status,
 * then SSM history. A failing source keeps its last good snapshot and is marked; the others still run.
 */
export class TargetPoller {
  constructor(
    readonly state: TargetState,
    private readonly sources: TargetSources,
    private readonly exporterState: ExporterState,
    private readonly observer: PollObserver,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  async runCycle(): Promise<void> {
    await this.run('config', () => this.sources.config.poll());
    const config = this.state.config;
    if (config) {
      const severities = new Map<string, Severity>(config.rules.map((v) => [v.rule.name, v.classification.severity]));
      await this.run('remediation', () => this.sources.remediation.poll(severities));
    } else {
      this.exporterState.fail(this.state, 'remediation', this.now(), 'waiting for a first successful Config poll');
    }
    await this.run('ssm', () => this.sources.ssm.poll(this.state.remediation?.configurations));
  }

  private async run<S extends SourceName>(source: S, poll: () => Promise<NonNullable<TargetState[S]>>): Promise<void> {
    const started = performance.now();
    try {
      const snapshot = await poll();
      this.exporterState.publish(this.state, source, snapshot, this.now());
      this.observer.pollFinished(this.state, source, (performance.now() - started) / 1000, true);
    } catch (err) {
      const error = describeAwsError(err);
      this.exporterState.fail(this.state, source, this.now(), error);
      this.observer.pollFinished(this.state, source, (performance.now() - started) / 1000, false);
      this.log.warn({ source, error }, 'poll failed; keeping the last good data, marked stale');
    }
  }
}
