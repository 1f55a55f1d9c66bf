import type { ConfigReader, EvaluationResultsAnswer } from '../aws/config-reader';
import { describeAwsError, isUnreachable } from '../aws/errors';
import type { Catalog } from '../catalog/catalog';
import type { Logger } from '../logger';
import {
  SEVERITIES,
  type ConfigRule,
  type ConformancePackScore,
  type EvaluationResult,
  type RuleCompliance,
  type RuleEvaluationStatus,
  type Severity,
  type Target,
} from '../model';
import type { Store } from '../store/store';
import type { ConfigSnapshot, ResourceTypeCounts, RuleDetails, RuleStaleness, RuleView, StaleReason } from './snapshots';

interface CachedRule {
  fingerprint: string;
  fetchedAt: number;
  details: RuleDetails;
  stale: RuleStaleness | undefined;
}

export interface ConfigSourceOptions {
  reader: ConfigReader;
  store: Store;
  catalog: Catalog;
  /** Epoch seconds. */
  now: () => number;
  fullRefreshIntervalSeconds: number;
  log: Logger;
}

/** Config's rule-level states for which a rule has current results to read. */
const reportsResults = (c: RuleCompliance | undefined): boolean =>
  c?.compliance === 'COMPLIANT' || c?.compliance === 'NON_COMPLIANT';

/**
 * Rule-level state changes show in DescribeComplianceByConfigRule and DescribeConfigRuleEvaluationStatus;
 * a rule's per-resource results are re-read only when one of those moved (or at the slow full refresh),
 * so a steady-state poll costs a few summary pages plus the rules that actually changed.
 */
export function fingerprint(compliance: RuleCompliance | undefined, status: RuleEvaluationStatus | undefined): string {
  return [
    compliance?.compliance,
    compliance?.contributors?.capped,
    compliance?.contributors?.capExceeded,
    status?.lastSuccessfulEvaluation,
    status?.lastFailedEvaluation,
  ].join('|');
}

export function summarise(results: readonly EvaluationResult[]): RuleDetails {
  const byResourceType = new Map<string, ResourceTypeCounts>();
  const noncompliant: string[] = [];
  let lastRecordedAt: number | undefined;
  for (const r of results) {
    let counts = byResourceType.get(r.resourceType);
    if (!counts) byResourceType.set(r.resourceType, (counts = { compliant: 0, noncompliant: 0 }));
    if (r.compliance === 'COMPLIANT') counts.compliant++;
    else {
      counts.noncompliant++;
      noncompliant.push(`${r.resourceType}\u0000${r.resourceId}`);
    }
    if (r.recordedAt !== undefined && (lastRecordedAt === undefined || r.recordedAt > lastRecordedAt)) {
      lastRecordedAt = r.recordedAt;
    }
  }
  return { kind: 'ok', byResourceType, noncompliant, lastRecordedAt };
}

/**
 * Polls AWS Config for one target: rules, rule compliance, evaluation status, exact per-resource results.
 *
 * What a rule's state means for its findings: only a rule that Config reports COMPLIANT or NON_COMPLIANT
 * has results, and only then are its findings reconciled (a resource seen COMPLIANT again, or gone from
 * the results, is a fix). A rule that is INSUFFICIENT_DATA, NOT_APPLICABLE or missing from the listing is
 * unknown: its last figures are kept, marked stale, and its open findings stay open. A rule whose results
 * cannot be read (an AWS error for that rule alone) is treated the same way; only a failing listing, or
 * AWS not answering at all, fails the poll. The findings opened by the first read of a rule that existed at
 * the target's first successful poll are pre-existing (MonitoringStore).
 */
export class ConfigSource {
  private readonly cache = new Map<string, CachedRule>();
  private ruleList: { rules: ConfigRule[]; listedAt: number } | undefined;
  /** ConfigRuleId per rule name at the previous poll, to tell a rule deleted and created again. */
  private readonly ruleIds = new Map<string, string>();
  private conformancePacks: readonly ConformancePackScore[] = [];
  private conformancePacksFailing = false;

  constructor(
    private readonly target: Target,
    private readonly options: ConfigSourceOptions,
  ) {}

  /**
   * Rule metadata changes rarely; the summaries list every rule anyway, so DescribeConfigRules is read
   * again only when their rule names or ids differ from the cached list, or at the full refresh.
   */
  private async rules(statuses: ReadonlyMap<string, RuleEvaluationStatus>, names: readonly string[], now: number, signal: AbortSignal): Promise<ConfigRule[]> {
    const cached = this.ruleList;
    const known = new Map(cached?.rules.map((r) => [r.name, r.id]));
    const same =
      cached &&
      known.size === names.length &&
      names.every((n) => known.has(n)) &&
      [...statuses.values()].every((s) => s.ruleId === undefined || s.ruleId === known.get(s.rule));
    if (cached && same && now - cached.listedAt < this.options.fullRefreshIntervalSeconds) return cached.rules;
    const rules = await this.options.reader.listRules(signal);
    this.ruleList = { rules, listedAt: now };
    return rules;
  }

  /** Keeps a rule's last figures (or, without any, its open findings), marked stale since the first time. */
  private markStale(rule: string, reason: StaleReason, now: number): CachedRule {
    const cached = this.cache.get(rule);
    const details: RuleDetails = cached?.details ?? {
      kind: 'open_findings',
      noncompliant: this.options.store.findings.openResourceKeys(this.target, rule),
    };
    // An empty fingerprint never matches, so the results are read again as soon as the rule reports.
    const entry = { fingerprint: '', fetchedAt: cached?.fetchedAt ?? 0, details, stale: { reason, since: cached?.stale?.since ?? now } };
    this.cache.set(rule, entry);
    return entry;
  }

  async poll(signal: AbortSignal): Promise<ConfigSnapshot> {
    const { reader, store, catalog, log } = this.options;
    const now = this.options.now();
    const compliance = new Map((await reader.listCompliance(signal)).map((c) => [c.rule, c]));
    const statuses = new Map((await reader.listEvaluationStatus(signal)).map((s) => [s.rule, s]));
    const rules = await this.rules(statuses, [...new Set([...compliance.keys(), ...statuses.keys()])], now, signal);
    const classifications = new Map(rules.map((r) => [r.name, catalog.classify(r)]));

    // A rule deleted and created again under the same name is a new rule: the old one's findings end.
    const recreated = rules.filter((r) => r.id !== '' && this.ruleIds.has(r.name) && this.ruleIds.get(r.name) !== r.id);
    if (recreated.length > 0) {
      store.write(() => {
        for (const rule of recreated) {
          store.findings.closeRule(this.target, rule.name, now);
          store.monitoring.forgetRule(this.target, rule.name);
        }
      });
      for (const rule of recreated) this.cache.delete(rule.name);
    }
    this.ruleIds.clear();
    for (const rule of rules) this.ruleIds.set(rule.name, rule.id);

    // Results read this poll are written even if a later call fails: they are facts, and the cache keeps
    // the progress, but the snapshot is only published when the whole poll succeeds.
    const fresh: { rule: string; results: EvaluationResult[] }[] = [];
    const vanished = new Set<string>();
    const newlyFailing: { rule: string; error: string }[] = [];
    try {
      for (const rule of rules) {
        const ruleCompliance = compliance.get(rule.name);
        if (!reportsResults(ruleCompliance)) {
          this.markStale(rule.name, ruleCompliance ? 'insufficient_data' : 'not_listed', now);
          continue;
        }
        const print = fingerprint(ruleCompliance, statuses.get(rule.name));
        const cached = this.cache.get(rule.name);
        if (cached && cached.fingerprint === print && now - cached.fetchedAt < this.options.fullRefreshIntervalSeconds) continue;
        let answer: EvaluationResultsAnswer;
        try {
          answer = await reader.getEvaluationResults(rule.name, signal);
        } catch (err) {
          if (isUnreachable(err) || signal.aborted) throw err;
          if (cached?.stale?.reason !== 'read_failed') newlyFailing.push({ rule: rule.name, error: describeAwsError(err) });
          this.markStale(rule.name, 'read_failed', now);
          continue;
        }
        if (answer.kind === 'no_such_rule') {
          vanished.add(rule.name);
          continue;
        }
        const details: RuleDetails = answer.kind === 'ok' ? summarise(answer.results) : { kind: 'access_denied' };
        this.cache.set(rule.name, { fingerprint: print, fetchedAt: now, details, stale: undefined });
        if (answer.kind === 'ok') fresh.push({ rule: rule.name, results: answer.results });
      }
    } finally {
      store.write(() => {
        for (const { rule, results } of fresh) {
          const c = classifications.get(rule);
          if (!c) continue;
          const preExisting = store.monitoring.recordResultsRead(this.target, rule, now);
          const identity = { name: rule, severity: c.severity, controlId: c.controlId };
          store.findings.reconcileRule(this.target, identity, results, now, preExisting);
        }
      });
    }
    if (newlyFailing.length > 0) {
      const [first] = newlyFailing;
      log.warn(
        { source: 'config', rules: newlyFailing.map((f) => f.rule), error: first?.error },
        'could not read the results of some rules; their last figures are kept, marked stale',
      );
    }

    const current = new Set(rules.map((r) => r.name).filter((name) => !vanished.has(name)));
    for (const name of this.cache.keys()) if (!current.has(name)) this.cache.delete(name);
    const conformancePacks = await this.readConformancePacks(signal);

    const views: RuleView[] = [];
    const noncompliantBySeverity = new Map<Severity, Set<string>>(SEVERITIES.map((s) => [s, new Set<string>()]));
    const evaluations = { compliant: 0, noncompliant: 0 };
    let rulesEvaluated = 0;
    let rulesNoncompliant = 0;
    const oldest = store.findings.oldestOpenByRule(this.target);
    for (const rule of rules) {
      const cached = this.cache.get(rule.name);
      const classification = classifications.get(rule.name);
      if (!cached || !classification) continue;
      const ruleCompliance = compliance.get(rule.name);
      const state = ruleCompliance?.compliance ?? 'INSUFFICIENT_DATA';
      if (state === 'COMPLIANT' || state === 'NON_COMPLIANT') rulesEvaluated++;
      if (state === 'NON_COMPLIANT') rulesNoncompliant++;
      const { details } = cached;
      if (details.kind === 'ok' || details.kind === 'open_findings') {
        const set = noncompliantBySeverity.get(classification.severity);
        for (const key of details.noncompliant) set?.add(key);
      }
      if (details.kind === 'ok') {
        for (const counts of details.byResourceType.values()) {
          evaluations.compliant += counts.compliant;
          evaluations.noncompliant += counts.noncompliant;
        }
      }
      views.push({
        rule,
        classification,
        compliance: state,
        contributors: ruleCompliance?.contributors,
        status: statuses.get(rule.name),
        details,
        stale: cached.stale,
        oldestOpenFinding: details.kind === 'access_denied' ? undefined : oldest.get(rule.name)?.firstSeen,
      });
    }

    store.write(() => {
      for (const rule of store.findings.rulesWithOpenFindings(this.target)) {
        if (!current.has(rule)) store.findings.closeRule(this.target, rule, now);
      }
      store.samples.record(this.target, now, {
        evaluationsCompliant: evaluations.compliant,
        evaluationsNoncompliant: evaluations.noncompliant,
        rulesEvaluated,
        rulesNoncompliant,
      });
      store.monitoring.recordSuccessfulPoll(this.target, now, [...current]);
    });

    const all = new Set<string>();
    for (const set of noncompliantBySeverity.values()) for (const key of set) all.add(key);
    return {
      takenAt: now,
      origin: 'account',
      rules: views,
      resources: {
        noncompliantBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, noncompliantBySeverity.get(s)?.size ?? 0])) as Record<Severity, number>,
        noncompliantTotal: all.size,
        evaluations,
      },
      rulesEvaluated,
      rulesNoncompliant,
      conformancePacks,
    };
  }

  /** Conformance pack scores are a feature of their own: when they cannot be read, compliance still publishes. */
  private async readConformancePacks(signal: AbortSignal): Promise<readonly ConformancePackScore[]> {
    try {
      this.conformancePacks = await this.options.reader.listConformancePackScores(signal);
      this.conformancePacksFailing = false;
    } catch (err) {
      if (isUnreachable(err) || signal.aborted) throw err;
      if (!this.conformancePacksFailing) {
        this.options.log.warn({ source: 'config', error: describeAwsError(err) }, 'could not read conformance pack scores; keeping the last ones');
      }
      this.conformancePacksFailing = true;
    }
    return this.conformancePacks;
  }
}
