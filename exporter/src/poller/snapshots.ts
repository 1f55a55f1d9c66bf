import type { RuleClassification } from '../catalog/catalog';
import type {
  ComplianceType,
  ConfigRule,
  ConformancePackScore,
  RemediationConfiguration,
  RemediationState,
  RuleEvaluationStatus,
  Severity,
  Target,
} from '../model';

export type SourceName = 'config' | 'remediation' | 'ssm';
export const SOURCES: readonly SourceName[] = ['config', 'remediation', 'ssm'];

export interface ResourceTypeCounts {
  compliant: number;
  noncompliant: number;
}

/** What the exporter knows of one rule's per-resource results. */
export type RuleDetails =
  | {
      kind: 'ok';
      byResourceType: ReadonlyMap<string, ResourceTypeCounts>;
      /** `type\0id` of every NON_COMPLIANT resource. */
      noncompliant: readonly string[];
      lastRecordedAt: number | undefined;
    }
  | { kind: 'access_denied' }
  /** Read through an aggregator: the exact number of noncompliant resources, nothing per resource. */
  /** `noncompliant` is undefined while a capped row could not be counted yet. */
  | { kind: 'aggregate'; noncompliant: number | undefined }
  /**
   * Never read since the exporter started, and not readable now (the rule reports no results): what is
   * known is the rule's open findings in the store, `type\0id` each.
   */
  | { kind: 'open_findings'; noncompliant: readonly string[] };

/**
 * Why a rule's figures are the last known ones rather than current:
 * - `insufficient_data`: Config reports the rule INSUFFICIENT_DATA (or NOT_APPLICABLE): it has no results now;
 * - `not_listed`: the rule exists but DescribeComplianceByConfigRule did not list it;
 * - `read_failed`: its results could not be read this poll (an AWS error for this rule alone).
 * None of these is a fix: the rule's open findings stay open until its results say otherwise.
 */
export type StaleReason = 'insufficient_data' | 'not_listed' | 'read_failed';
export interface RuleStaleness {
  reason: StaleReason;
  /** When the figures stopped being current (epoch seconds). */
  since: number;
}

/**
 * The exact number of resources noncompliant with the rule, when known: counted from its results, read
 * from an aggregator, or Config's own count when that is below its cap.
 */
export function exactNoncompliant(view: Pick<RuleView, 'details' | 'contributors' | 'compliance'>): number | undefined {
  const d = view.details;
  if (d.kind === 'ok' || d.kind === 'open_findings') return d.noncompliant.length;
  if (d.kind === 'aggregate') return d.noncompliant;
  // Not NON_COMPLIANT (COMPLIANT, or INSUFFICIENT_DATA: no results at all) means none.
  if (view.compliance !== 'NON_COMPLIANT') return 0;
  return view.contributors && !view.contributors.capExceeded ? view.contributors.capped : undefined;
}

export interface RuleView {
  rule: ConfigRule;
  classification: RuleClassification;
  compliance: ComplianceType;
  contributors: { capped: number; capExceeded: boolean } | undefined;
  status: RuleEvaluationStatus | undefined;
  details: RuleDetails;
  /** Set while the figures are the last known ones, not current. */
  stale: RuleStaleness | undefined;
  /** First-seen time of the rule's oldest open finding. */
  oldestOpenFinding: number | undefined;
}

/** Per-resource figures, which only reading the account itself gives (not an aggregator). */
export interface ResourceFigures {
  /** Distinct noncompliant resources per severity, from rules whose details are available. */
  noncompliantBySeverity: Readonly<Record<Severity, number>>;
  /** Distinct noncompliant resources over all severities. */
  noncompliantTotal: number;
  /** COMPLIANT and NON_COMPLIANT results of the rules whose details are available. */
  evaluations: { compliant: number; noncompliant: number };
}

export interface ConfigSnapshot {
  takenAt: number;
  /** `account`: read from the account itself; `aggregator`: rule-level data and exact counts from an aggregator. */
  origin: 'account' | 'aggregator';
  rules: readonly RuleView[];
  resources: ResourceFigures | undefined;
  /** Rules whose state is COMPLIANT or NON_COMPLIANT, and how many of them are NON_COMPLIANT. */
  rulesEvaluated: number;
  rulesNoncompliant: number;
  conformancePacks: readonly ConformancePackScore[];
}

export interface RemediationSnapshot {
  takenAt: number;
  configurations: ReadonlyMap<string, RemediationConfiguration>;
  /** QUEUED / IN_PROGRESS executions per rule. */
  inProgress: ReadonlyMap<string, Readonly<Record<'QUEUED' | 'IN_PROGRESS', number>>>;
  /** Latest remediation state per `rule\0type\0id`. */
  latestState: ReadonlyMap<string, RemediationState>;
}

export interface SsmSnapshot {
  takenAt: number;
  running: readonly { document: string; status: string; count: number }[];
}

export interface SourceStatus {
  ok: boolean;
  lastAttemptAt: number;
  /** How long the last poll took, in seconds. */
  lastDurationSeconds: number;
  lastSuccessAt: number | undefined;
  lastError: string | undefined;
}

export interface TargetState {
  target: Target;
  /** The sources polled for this target: all three, or only `config` for accounts seen through an aggregator. */
  sources: SourceName[];
  config: ConfigSnapshot | undefined;
  remediation: RemediationSnapshot | undefined;
  ssm: SsmSnapshot | undefined;
  status: Partial<Record<SourceName, SourceStatus>>;
  /** Changes whenever anything of this target does (for caches of what is derived from it). */
  version: number;
  /** How long the target's last complete poll cycle took, in seconds (its sources run in sequence). */
  lastCycleSeconds: number;
}

/**
 * The latest snapshot of every source of every target. Pollers replace snapshots whole; readers
 * (/metrics, the API) only ever see complete ones. `version` changes whenever anything does.
 */
export class ExporterState {
  private readonly byTarget = new Map<string, TargetState>();
  private changes = 0;
  /** Set once every target has finished its first poll cycle. */
  ready = false;

  get version(): number {
    return this.changes;
  }

  targets(): TargetState[] {
    return [...this.byTarget.values()];
  }

  addTarget(target: Target, sources: readonly SourceName[] = SOURCES): TargetState {
    const key = `${target.accountId}/${target.region}`;
    let state = this.byTarget.get(key);
    if (!state) {
      state = { target, sources: [], config: undefined, remediation: undefined, ssm: undefined, status: {}, version: 0, lastCycleSeconds: 0 };
      this.byTarget.set(key, state);
      this.changes++;
    }
    for (const source of sources) if (!state.sources.includes(source)) state.sources.push(source);
    state.sources.sort((a, b) => SOURCES.indexOf(a) - SOURCES.indexOf(b));
    state.version++;
    return state;
  }

  publish<S extends SourceName>(state: TargetState, source: S, snapshot: NonNullable<TargetState[S]>, at: number, durationSeconds: number): void {
    (state as unknown as Record<SourceName, unknown>)[source] = snapshot;
    state.status[source] = { ok: true, lastAttemptAt: at, lastDurationSeconds: durationSeconds, lastSuccessAt: at, lastError: undefined };
    state.version++;
    this.changes++;
  }

  fail(state: TargetState, source: SourceName, at: number, durationSeconds: number, error: string): void {
    const previous = state.status[source];
    state.status[source] = { ok: false, lastAttemptAt: at, lastDurationSeconds: durationSeconds, lastSuccessAt: previous?.lastSuccessAt, lastError: error };
    state.version++;
    this.changes++;
  }
}
