import type { ConfigReader } from '../aws/config-reader';
import type { RemediationConfiguration, RemediationExecution, RemediationState, Severity, Target } from '../model';
import type { Store } from '../store/store';
import type { RemediationSnapshot } from './snapshots';

export interface RemediationSourceOptions {
  reader: ConfigReader;
  store: Store;
  now: () => number;
  fullRefreshIntervalSeconds: number;
  /** How far back SSM activity counts as new since the previous poll (the SSM overlap). */
  overlapSeconds: number;
}

export const remediationKey = (rule: string, resourceType: string, resourceId: string): string =>
  `${rule}\u0000${resourceType}\u0000${resourceId}`;

/**
 * Polls Config's remediation configurations and execution statuses for one target. Every remediation
 * runs an SSM Automation runbook, so a rule's statuses are re-read only when its runbook shows SSM activity
 * since the previous poll (or at the full refresh); configurations only when the rule list changed.
 */
export class RemediationSource {
  private configurations: { rules: string; readAt: number; byRule: Map<string, RemediationConfiguration> } | undefined;
  private readonly statuses = new Map<string, { readAt: number; executions: RemediationExecution[] }>();
  private lastPollAt: number | undefined;

  constructor(
    private readonly target: Target,
    private readonly options: RemediationSourceOptions,
  ) {}

  /** `rules` are the target's rule names with their severities, from its latest Config snapshot. */
  async poll(rules: ReadonlyMap<string, Severity>, signal: AbortSignal): Promise<RemediationSnapshot> {
    const { reader, store, fullRefreshIntervalSeconds } = this.options;
    const now = this.options.now();
    const ruleNames = [...rules.keys()].sort();
    const ruleKey = ruleNames.join('\n');
    if (!this.configurations || this.configurations.rules !== ruleKey || now - this.configurations.readAt >= fullRefreshIntervalSeconds) {
      const byRule = new Map<string, RemediationConfiguration>();
      for (const c of await reader.listRemediationConfigurations(ruleNames, signal)) byRule.set(c.rule, c);
      this.configurations = { rules: ruleKey, readAt: now, byRule };
    }
    const configurations = this.configurations.byRule;

    const active = this.lastPollAt === undefined ? undefined : store.automations.documentsActiveSince(this.target, this.lastPollAt - this.options.overlapSeconds);
    const read: RemediationExecution[] = [];
    for (const c of configurations.values()) {
      const cached = this.statuses.get(c.rule);
      const due = !cached || now - cached.readAt >= fullRefreshIntervalSeconds || !active || active.has(c.document);
      if (!due) continue;
      const executions = await reader.listRemediationExecutions(c.rule, signal);
      this.statuses.set(c.rule, { readAt: now, executions });
      read.push(...executions);
    }
    for (const rule of this.statuses.keys()) if (!configurations.has(rule)) this.statuses.delete(rule);

    store.write(() =>
      store.remediations.recordFinished(this.target, read, (rule) => ({
        severity: rules.get(rule) ?? 'UNKNOWN',
        runbook: configurations.get(rule)?.document ?? '',
      })),
    );
    this.lastPollAt = now;

    const inProgress = new Map<string, Record<'QUEUED' | 'IN_PROGRESS', number>>();
    const latest = new Map<string, { state: RemediationState; invokedAt: number }>();
    for (const { executions } of this.statuses.values()) {
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
    }
    return {
      takenAt: now,
      configurations,
      inProgress,
      latestState: new Map([...latest].map(([key, v]) => [key, v.state])),
    };
  }
}
