import { detailsHidden } from './config-service/common';
import { Random } from './random';
import { ACCOUNT_RESOURCE_TYPE } from './scenario/resources';
import type { RegionState } from './world/region-state';
import type { ConfigRuleRecord, Evaluation } from './world/types';

/** Live mode's options beyond `live: true`. */
export interface LiveOptions {
  /**
   * Rules pass through rule-level transitions at random (seeded): results deleted and re-evaluated a few
   * ticks later, every result NOT_APPLICABLE for a while, the rule deleted and re-created with the same
   * name, a resource deleted (NOT_APPLICABLE in every rule). For soak tests; default false.
   */
  transitions?: boolean;
  /** Chance per tick and region that a transition starts (0–1). Default 0.1. */
  transitionChance?: number;
}

const DEFAULT_TRANSITION_CHANCE = 0.1;

type TransitionKind = 'results-deleted' | 'not-applicable' | 'rule-recreated' | 'resource-deleted';
const TRANSITION_KINDS: readonly TransitionKind[] = [
  'results-deleted',
  'not-applicable',
  'rule-recreated',
  'resource-deleted',
];

/** Ticks until a rule in transition is evaluated again (both ends inclusive). */
const REEVALUATION_TICKS: Readonly<Record<Exclude<TransitionKind, 'resource-deleted'>, [number, number]>> = {
  'results-deleted': [2, 5],
  'not-applicable': [3, 10],
  'rule-recreated': [2, 5],
};

/** A rule waiting for the evaluation that ends its transition, with its results from before it. */
interface PendingEvaluation {
  readonly ruleName: string;
  readonly dueTick: number;
  readonly before: readonly Evaluation[];
}

function resourceKey(resourceType: string, resourceId: string): string {
  return `${resourceType}\u0000${resourceId}`;
}

export function transitionChanceOf(options: LiveOptions): number {
  const chance = options.transitionChance ?? DEFAULT_TRANSITION_CHANCE;
  if (!(chance >= 0 && chance <= 1))
    throw new Error(`transitionChance must be between 0 and 1, got ${chance}`);
  return chance;
}

/**
 * One live region's rule-level transitions. Which rule, which transition and how long it lasts come from a
 * stream of their own, so turning transitions on does not change the draws of live mode's other events.
 */
export class RuleTransitions {
  private readonly random: Random;
  private pending: PendingEvaluation[] = [];
  /** Resources deleted while live mode ran: a re-evaluation does not bring them back. */
  private readonly gone = new Set<string>();
  private ticks = 0;

  constructor(
    seed: number,
    accountId: string,
    region: string,
    private readonly chance: number,
  ) {
    this.random = Random.derive(seed, accountId, region, 'transitions');
  }

  /** Live mode removed a resource by other means. */
  resourceGone(resourceType: string, resourceId: string): void {
    this.gone.add(resourceKey(resourceType, resourceId));
  }

  step(state: RegionState, now: number): void {
    this.ticks++;
    this.reevaluateDue(state, now);
    if (!this.random.chance(this.chance)) return;
    const kind = this.random.pick(TRANSITION_KINDS);
    const candidates = this.candidates(state);
    if (candidates.length === 0) return;
    const rule = this.random.pick(candidates);
    if (kind === 'resource-deleted') {
      this.deleteResource(state, rule, now);
      return;
    }
    const before = state.evaluations(rule.name).slice();
    if (kind === 'results-deleted') state.deleteEvaluationResults(rule.name);
    else if (kind === 'not-applicable') state.setAllNotApplicable(rule.name, now);
    else state.recreateRule(rule.name);
    const [min, max] = REEVALUATION_TICKS[kind];
    this.pending.push({ ruleName: rule.name, dueTick: this.ticks + this.random.int(min, max), before });
  }

  /**
   * Rules a customer can put through a transition: not service-linked (their owner manages them), not the
   * scenario's stalled rule (its story is that it is never evaluated), not already in one, and with results.
   */
  private candidates(state: RegionState): ConfigRuleRecord[] {
    const busy = new Set(this.pending.map((p) => p.ruleName));
    return state
      .rules()
      .filter(
        (r) =>
          !detailsHidden(r) &&
          !r.stalled &&
          !busy.has(r.name) &&
          (state.evaluationStore(r.name)?.size ?? 0) > 0,
      );
  }

  private deleteResource(state: RegionState, rule: ConfigRuleRecord, now: number): void {
    const existing = state
      .evaluations(rule.name)
      .filter((e) => e.compliance !== 'NOT_APPLICABLE' && e.resourceType !== ACCOUNT_RESOURCE_TYPE);
    if (existing.length === 0) return;
    const { resourceType, resourceId } = this.random.pick(existing);
    state.deleteResource(resourceType, resourceId, now);
    this.resourceGone(resourceType, resourceId);
  }

  /** The evaluation that ends a transition: the results from before come back, minus deleted resources. */
  private reevaluateDue(state: RegionState, now: number): void {
    const due = this.pending.filter((p) => p.dueTick <= this.ticks);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.dueTick > this.ticks);
    for (const { ruleName, before } of due) {
      if (!state.rule(ruleName)) continue;
      for (const e of before) {
        if (this.gone.has(resourceKey(e.resourceType, e.resourceId))) continue;
        state.setEvaluation(ruleName, {
          resourceType: e.resourceType,
          resourceId: e.resourceId,
          compliance: e.compliance,
          orderingTime: now - 1_000,
          invokedTime: now - 500,
          recordedTime: now,
          ...(e.annotation !== undefined ? { annotation: e.annotation } : {}),
        });
      }
      state.markEvaluated(ruleName, now);
    }
  }
}
