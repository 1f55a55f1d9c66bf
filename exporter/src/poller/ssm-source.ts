import type { AutomationReader } from '../aws/ssm-reader';
import type { RemediationConfiguration, Target } from '../model';
import type { Store } from '../store/store';
import type { SsmSnapshot } from './snapshots';

export interface SsmSourceOptions {
  reader: AutomationReader;
  store: Store;
  now: () => number;
  lookbackSeconds: number;
  overlapSeconds: number;
  /** Runbooks counted as remediation although no Config remediation configuration targets them. */
  extraRemediationDocuments: readonly string[];
  /** GetAutomationExecution calls allowed per poll for reading which resource a remediation fixed. */
  detailBudget: number;
}

/**
 * Polls SSM Automation history for one target: a backfill of the look-back window on first start, then
 * incremental reads from the newest start seen (minus an overlap, so that late-listed executions are not
 * missed), plus a re-read of executions still running from before that window.
 */
export class SsmSource {
  constructor(
    private readonly target: Target,
    private readonly options: SsmSourceOptions,
  ) {}

  async poll(signal: AbortSignal): Promise<SsmSnapshot> {
    const { reader, store } = this.options;
    const now = this.options.now();
    const newest = store.automations.newestStart(this.target);
    const since = Math.max(now - this.options.lookbackSeconds, newest === undefined ? -Infinity : newest - this.options.overlapSeconds);

    const listed = await reader.listStartedAfter(since, signal);
    const olderRunning = store.automations.runningStartedBefore(this.target, since);
    const rechecked = olderRunning.length > 0 ? await reader.listByIds(olderRunning, signal) : [];
    const gone = olderRunning.filter((id) => !rechecked.some((e) => e.id === id));
    store.write(() => {
      store.automations.upsert(this.target, [...listed, ...rechecked]);
      store.automations.forgetRunning(gone);
    });

    return { takenAt: now, running: store.automations.runningCounts(this.target) };
  }

  /**
   * Joins finished remediation runbook runs to the resource (and rule) they fixed, from the runbook's
   * parameters (GetAutomationExecution, at most `detailBudget` calls per poll, newest first).
   * `configurations` are the target's remediation configurations.
   */
  async readRemediatedResources(configurations: ReadonlyMap<string, RemediationConfiguration>, signal: AbortSignal): Promise<void> {
    const { reader, store } = this.options;
    const byDocument = new Map<string, RemediationConfiguration[]>();
    for (const c of configurations.values()) byDocument.set(c.document, [...(byDocument.get(c.document) ?? []), c]);
    const extra = new Set(this.options.extraRemediationDocuments);

    let budget = this.options.detailBudget;
    while (budget > 0) {
      const pending = store.automations.pendingDetails(this.target, budget);
      if (pending.length === 0) return;
      for (const { id, document } of pending) {
        const candidates = byDocument.get(document) ?? [];
        if (candidates.length === 0 && !extra.has(document)) {
          // Not a remediation runbook: nothing to join, no call spent.
          store.automations.recordDetail(id, { rule: undefined, resourceId: undefined, failureMessage: undefined });
          continue;
        }
        budget--;
        const detail = await reader.getDetail(id, signal);
        const parameter = candidates.find((c) => c.resourceParameter !== undefined)?.resourceParameter;
        const resourceId = parameter === undefined ? undefined : detail?.parameters[parameter]?.[0];
        const rule = candidates.length === 1 ? candidates[0]?.rule : store.remediations.ruleForResource(this.target, document, resourceId);
        store.automations.recordDetail(id, { rule, resourceId, failureMessage: detail?.failureMessage });
        if (budget === 0) return;
      }
    }
  }
}
