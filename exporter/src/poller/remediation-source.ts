import type { ConfigReader } from '../aws/config-reader';
import type { RemediationConfiguration, RemediationExecution, RemediationState, Severity, Target } from '../model';
import type { Store } from '../store/store';
import type { RemediationSnapshot } from './snapshots';

export interface RemediationSourceOptions {
  reader: ConfigReader;
  store: Store;
  now: () => number;
}

export const remediationKey = (rule: string, resourceType: string, resourceId: string): string =>
  `${rule}\u0000${resourceType}\u0000${resourceId}`;

/** Polls Config's remediation configurations and execution statuses for one target. */
export class RemediationSource {
  constructor(
    private readonly target: Target,
    private readonly options: RemediationSourceOptions,
  ) {}

  /** `rules` are the target's rule names with their severities, from its latest Config snapshot. */
  async poll(rules: ReadonlyMap<string, Severity>): Promise<RemediationSnapshot> {
    const { reader, store } = this.options;
    const now = this.options.now();
    const configurations = new Map<string, RemediationConfiguration>();
    for (const c of await reader.listRemediationConfigurations([...rules.keys()])) configurations.set(c.rule, c);

    const executions: RemediationExecution[] = [];
    for (const rule of configurations.keys()) executions.push(...(await reader.listRemediationExecutions(rule)));

    store.write(() =>
      store.remediations.recordFinished(this.target, executions, (rule) => ({
        severity: rules.get(rule) ?? 'UNKNOWN',
        runbook: configurations.get(rule)?.document ?? '',
      })),
    );

    const inProgress = new Map<string, Record<'QUEUED' | 'IN_PROGRESS', number>>();
    const latest = new Map<string, { state: RemediationState; invokedAt: number }>();
    for (const e of executions) {
      if (e.state === 'QUEUED' || e.state === 'IN_PROGRESS') {
        let counts = inProgress.get(e.rule);
        if (!counts) inProgress.set(e.rule, (counts = { QUEUED: 0, IN_PROGRESS: 0 }));
        counts[e.state]++;
      }
      const key = remediationKey(e.rule, e.resourceType, e.resourceId);
      const previous = latest.get(key);
      if (!previous || e.invokedAt > previous.invokedAt) latest.set(key, { state: e.state, invokedAt: e.invokedAt });
    }
    return {
      takenAt: now,
      configurations,
      inProgress,
      latestState: new Map([...latest].map(([key, v]) => [key, v.state])),
    };
  }
}
