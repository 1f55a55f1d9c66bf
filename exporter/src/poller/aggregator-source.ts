import type { AggregateRuleCompliance, AggregatorReader } from '../aws/aggregator-reader';
import { describeAwsError, isUnreachable } from '../aws/errors';
import type { Catalog, RuleClassification } from '../catalog/catalog';
import { targetKey, type ConfigRule, type Target } from '../model';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { ConfigSnapshot, ExporterState, RuleView } from './snapshots';
import { cycleSignal, type PollCycle, type PollObserver } from './target-poller';

export interface AggregatorSourceOptions {
  reader: AggregatorReader;
  catalog: Catalog;
  store: Store;
  state: ExporterState;
  observer: PollObserver;
  now: () => number;
  fullRefreshIntervalSeconds: number;
  log: Logger;
  /** Aborted when the exporter shuts down: a poll cut short then is not a failure. */
  lifetime: AbortSignal;
  timeoutSeconds: number;
}

/** What an aggregator row says about a rule: all we know of it without reading the account itself. */
const ruleOf = (name: string): ConfigRule => ({
  name,
  id: '',
  arn: '',
  sourceOwner: '',
  sourceIdentifier: '',
  createdBy: undefined,
  inputParameters: undefined,
  periodSeconds: undefined,
  state: 'ACTIVE',
});

/**
 * AWS Config for a whole organisation through an aggregator: one stream of (rule, account, region)
 * compliance rows, 1,000 per call, published as every account's and region's Config snapshot. Config caps
 * noncompliant counts at 100; where it says the cap was exceeded, the noncompliant results are paged
 * through to count them exactly, again only when the row changed (or at the full refresh). A capped row
 * whose details cannot be read affects only that account and rule (its last exact count is kept, marked
 * stale); only the listing itself failing, or AWS not answering, fails the whole poll.
 */
export class AggregatorSource implements PollCycle {
  /** Exact counts of capped rows; `staleSince` is set while the last read failed. */
  private readonly exact = new Map<string, { fingerprint: string; readAt: number; count: number | undefined; staleSince?: number }>();
  private readonly published = new Set<string>();
  /** One rule object and classification per rule name, shared by every account that has the rule. */
  private readonly known = new Map<string, { rule: ConfigRule; classification: RuleClassification }>();

  constructor(private readonly options: AggregatorSourceOptions) {}

  async runCycle(): Promise<{ joined: Promise<void> }> {
    const { state, observer, now, log } = this.options;
    const started = performance.now();
    const at = now();
    const cycle = cycleSignal(this.options.lifetime, this.options.timeoutSeconds);
    try {
      const snapshots = await this.poll(at, cycle.signal);
      const elapsed = (performance.now() - started) / 1000;
      for (const key of this.published) {
        // An account or region the aggregator no longer reports has no results: publish it empty.
        if (!snapshots.has(key)) snapshots.set(key, { target: targetOfKey(key), snapshot: emptySnapshot(at) });
      }
      for (const [key, { target, snapshot }] of snapshots) {
        this.published.add(key);
        const targetState = state.addTarget(target, ['config']);
        state.publish(targetState, 'config', snapshot, at, elapsed);
        observer.pollFinished(targetState, 'config', elapsed, true);
      }
    } catch (err) {
      if (this.options.lifetime.aborted) return { joined: Promise.resolve() };
      const elapsed = (performance.now() - started) / 1000;
      const error = cycle.signal.aborted ? cycle.reason() : describeAwsError(err);
      for (const t of state.targets()) {
        if (!this.published.has(targetKey(t.target))) continue;
        state.fail(t, 'config', at, elapsed, error);
        observer.pollFinished(t, 'config', elapsed, false);
      }
      log.warn({ source: 'aggregator', error }, 'aggregator poll failed; keeping the last good data, marked stale');
    } finally {
      cycle.end();
    }
    return { joined: Promise.resolve() };
  }

  private async poll(now: number, signal: AbortSignal): Promise<Map<string, { target: Target; snapshot: ConfigSnapshot }>> {
    const { reader, catalog, store, log } = this.options;
    const rows = await reader.listCompliance(signal);
    const byTarget = new Map<string, { target: Target; rows: AggregateRuleCompliance[] }>();
    for (const row of rows) {
      const key = `${row.accountId}/${row.region}`;
      let entry = byTarget.get(key);
      if (!entry) byTarget.set(key, (entry = { target: { accountId: row.accountId, region: row.region }, rows: [] }));
      entry.rows.push(row);
    }

    const seen = new Set<string>();
    const snapshots = new Map<string, { target: Target; snapshot: ConfigSnapshot }>();
    const newlyFailing: { id: string; error: string }[] = [];
    for (const [key, { target, rows: targetRows }] of byTarget) {
      const views: RuleView[] = [];
      let rulesEvaluated = 0;
      let rulesNoncompliant = 0;
      for (const row of targetRows) {
        let known = this.known.get(row.rule);
        if (!known) {
          const rule = ruleOf(row.rule);
          this.known.set(row.rule, (known = { rule, classification: catalog.classify(rule) }));
        }
        let noncompliant: number | undefined = row.compliance === 'NON_COMPLIANT' ? (row.contributors?.capped ?? 0) : 0;
        let staleSince: number | undefined;
        if (row.contributors?.capExceeded) {
          const id = `${key}/${row.rule}`;
          seen.add(id);
          const print = `${row.contributors.capped}|${row.compliance}`;
          const cached = this.exact.get(id);
          if (cached && cached.fingerprint === print && now - cached.readAt < this.options.fullRefreshIntervalSeconds) noncompliant = cached.count;
          else {
            try {
              noncompliant = (await reader.listNoncompliant(row.rule, row.accountId, row.region, signal)).length;
              this.exact.set(id, { fingerprint: print, readAt: now, count: noncompliant });
            } catch (err) {
              if (isUnreachable(err) || signal.aborted) throw err;
              if (cached?.staleSince === undefined) newlyFailing.push({ id, error: describeAwsError(err) });
              // An empty fingerprint never matches: the next poll reads the row again.
              staleSince = cached?.staleSince ?? now;
              noncompliant = cached?.count;
              this.exact.set(id, { fingerprint: '', readAt: now, count: cached?.count, staleSince });
            }
          }
        }
        if (row.compliance === 'COMPLIANT' || row.compliance === 'NON_COMPLIANT') rulesEvaluated++;
        if (row.compliance === 'NON_COMPLIANT') rulesNoncompliant++;
        views.push({
          rule: known.rule,
          classification: known.classification,
          compliance: row.compliance,
          contributors: row.contributors,
          status: undefined,
          details: { kind: 'aggregate', noncompliant },
          stale: staleSince === undefined ? undefined : { reason: 'read_failed', since: staleSince },
          oldestOpenFinding: undefined,
        });
      }
      snapshots.set(key, {
        target,
        snapshot: { takenAt: now, origin: 'aggregator', rules: views, resources: undefined, rulesEvaluated, rulesNoncompliant, conformancePacks: [] },
      });
    }
    for (const id of this.exact.keys()) if (!seen.has(id)) this.exact.delete(id);
    if (newlyFailing.length > 0) {
      log.warn(
        { source: 'aggregator', rows: newlyFailing.map((f) => f.id), error: newlyFailing[0]?.error },
        'could not count the noncompliant resources of some capped rows; their last counts are kept, marked stale',
      );
    }
    store.write(() => {
      for (const { target, snapshot } of snapshots.values()) {
        store.samples.record(target, now, { evaluationsCompliant: 0, evaluationsNoncompliant: 0, rulesEvaluated: snapshot.rulesEvaluated, rulesNoncompliant: snapshot.rulesNoncompliant });
        store.monitoring.recordAggregatorPoll(target, now);
      }
    });
    return snapshots;
  }
}

function targetOfKey(key: string): Target {
  const [accountId = '', region = ''] = key.split('/');
  return { accountId, region };
}

function emptySnapshot(now: number): ConfigSnapshot {
  return { takenAt: now, origin: 'aggregator', rules: [], resources: undefined, rulesEvaluated: 0, rulesNoncompliant: 0, conformancePacks: [] };
}
