import type { ConfigReader, EvaluationResultsAnswer } from '../aws/config-reader';
import type { Catalog } from '../catalog/catalog';
import { SEVERITIES, type ConfigRule, type EvaluationResult, type RuleCompliance, type RuleEvaluationStatus, type Severity, type Target } from '../model';
import type { Store } from '../store/store';
import type { ConfigSnapshot, ResourceTypeCounts, RuleDetails, RuleView } from './snapshots';

interface CachedRule {
  fingerprint: string;
  fetchedAt: number;
  details: RuleDetails;
}

export interface ConfigSourceOptions {
  reader: ConfigReader;
  store: Store;
  catalog: Catalog;
  /** Epoch seconds. */
  now: () => number;
  fullRefreshIntervalSeconds: number;
}

/**
 * Rule-level state changes show in DescribeComplianceByConfigRule and DescribeConfigRuleEvaluationStatus;
 * a rule's per-resource results are re-read only when one of those moved (or at the slow full refresh),
 * so a steady-state poll costs a few summary pages plus the rules that actually changed.
 */
function fingerprint(compliance: RuleCompliance | undefined, status: RuleEvaluationStatus | undefined): string {
  return [
    compliance?.compliance,
    compliance?.contributors?.capped,
    compliance?.contributors?.capExceeded,
    status?.lastSuccessfulEvaluation,
    status?.lastFailedEvaluation,
  ].join('|');
}

function summarise(results: readonly EvaluationResult[]): RuleDetails {
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
    if (lastRecordedAt === undefined || r.recordedAt > lastRecordedAt) lastRecordedAt = r.recordedAt;
  }
  return { kind: 'ok', byResourceType, noncompliant, lastRecordedAt };
}

/** Polls AWS Config for one target: rules, rule compliance, evaluation status, exact per-resource results. */
export class ConfigSource {
  private readonly cache = new Map<string, CachedRule>();
  private ruleList: { rules: ConfigRule[]; listedAt: number } | undefined;

  constructor(
    private readonly target: Target,
    private readonly options: ConfigSourceOptions,
  ) {}

  /**
   * Rule metadata changes rarely; the summaries list every rule anyway, so DescribeConfigRules is read
   * again only when their rule names differ from the cached list, or at the full refresh.
   */
  private async rules(names: readonly string[], now: number): Promise<ConfigRule[]> {
    const cached = this.ruleList;
    const known = new Set(cached?.rules.map((r) => r.name));
    const same = cached && known.size === names.length && names.every((n) => known.has(n));
    if (cached && same && now - cached.listedAt < this.options.fullRefreshIntervalSeconds) return cached.rules;
    const rules = await this.options.reader.listRules();
    this.ruleList = { rules, listedAt: now };
    return rules;
  }

  async poll(): Promise<ConfigSnapshot> {
    const { reader, store, catalog } = this.options;
    const now = this.options.now();
    const compliance = new Map((await reader.listCompliance()).map((c) => [c.rule, c]));
    const statuses = new Map((await reader.listEvaluationStatus()).map((s) => [s.rule, s]));
    const rules = await this.rules([...new Set([...compliance.keys(), ...statuses.keys()])], now);
    const classifications = new Map(rules.map((r) => [r.name, catalog.classify(r)]));

    // Results read this poll are written even if a later call fails: they are facts, and the cache keeps
    // the progress, but the snapshot is only published when the whole poll succeeds.
    const fresh: { rule: string; results: EvaluationResult[] }[] = [];
    const vanished = new Set<string>();
    try {
      for (const rule of rules) {
        const print = fingerprint(compliance.get(rule.name), statuses.get(rule.name));
        const cached = this.cache.get(rule.name);
        if (cached && cached.fingerprint === print && now - cached.fetchedAt < this.options.fullRefreshIntervalSeconds) continue;
        // A rule that is neither COMPLIANT nor NON_COMPLIANT has no results to read (INSUFFICIENT_DATA).
        const state = compliance.get(rule.name)?.compliance;
        const answer: EvaluationResultsAnswer =
          state === 'COMPLIANT' || state === 'NON_COMPLIANT' ? await reader.getEvaluationResults(rule.name) : { kind: 'ok', results: [] };
        if (answer.kind === 'no_such_rule') {
          vanished.add(rule.name);
          continue;
        }
        const details: RuleDetails = answer.kind === 'ok' ? summarise(answer.results) : { kind: 'access_denied' };
        this.cache.set(rule.name, { fingerprint: print, fetchedAt: now, details });
        if (answer.kind === 'ok') fresh.push({ rule: rule.name, results: answer.results });
      }
    } finally {
      store.write(() => {
        for (const { rule, results } of fresh) {
          const c = classifications.get(rule);
          if (c) store.findings.reconcileRule(this.target, { name: rule, severity: c.severity, controlId: c.controlId }, results, now);
        }
      });
    }

    const current = new Set(rules.map((r) => r.name).filter((name) => !vanished.has(name)));
    for (const name of this.cache.keys()) if (!current.has(name)) this.cache.delete(name);
    const conformancePacks = await reader.listConformancePackScores();

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
      if (cached.details.kind === 'ok') {
        const set = noncompliantBySeverity.get(classification.severity);
        for (const key of cached.details.noncompliant) set?.add(key);
        for (const counts of cached.details.byResourceType.values()) {
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
        details: cached.details,
        oldestOpenFinding: cached.details.kind === 'ok' ? oldest.get(rule.name)?.firstSeen : undefined,
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
}
