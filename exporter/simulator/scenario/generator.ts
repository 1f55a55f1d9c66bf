import { Random } from '../random';
import { ruleComplianceOf } from '../world/evaluation-store';
import type { RegionState } from '../world/region-state';
import {
  FREQUENCY_MS,
  type Evaluation,
  type EvaluationCompliance,
  type MaximumExecutionFrequency,
  type RuleOwner,
} from '../world/types';
import type { RegionSource, RuleSummary } from '../world/world';
import type { Catalog, ManagedRule } from './catalog';
import { ACCOUNT_RESOURCE_TYPE, type ResourcePool } from './resources';

// Aliases: looking up globals such as Math is slow inside vm contexts (jest), where benchmarks also run.
const { max, min, pow, round } = Math;

const DAY_MS = 86_400_000;
const FREQUENCIES: readonly MaximumExecutionFrequency[] = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
];

/** Everything needed to generate one rule and its results in a region. */
export interface RuleSpec {
  readonly name: string;
  readonly sourceIdentifier: string;
  readonly owner?: RuleOwner;
  /** Types whose resources the rule evaluates; empty means the account itself (`AWS::::Account`). */
  readonly evaluatedTypes: readonly string[];
  /** Scope.ComplianceResourceTypes as shown by DescribeConfigRules; default: evaluatedTypes. */
  readonly scopeTypes?: readonly string[];
  readonly frequency?: MaximumExecutionFrequency;
  readonly changeTriggered: boolean;
  readonly inputParameters?: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly createdBy?: string;
  readonly visibility?: 'EXTERNAL' | 'INTERNAL';
  /** Evaluate at most this many of the pool's resources. */
  readonly maxResources?: number;
  /** Fixed share of NON_COMPLIANT results (0–1) instead of a seeded one. */
  readonly nonCompliantRate?: number;
  /** An annotation for a NON_COMPLIANT result. */
  readonly annotate?: (resourceType: string, resourceId: string) => string | undefined;
}

export interface RuleCounts {
  readonly total: number;
  readonly nonCompliant: number;
  readonly notApplicable: number;
}

/** A spec from a catalog managed rule: seeded frequency, up to three of its resource types. */
export function managedRuleSpec(
  managed: ManagedRule,
  catalog: Catalog,
  random: Random,
  name = managed.name,
): RuleSpec {
  const types =
    managed.resourceTypes.length > 3
      ? random.shuffle(managed.resourceTypes).slice(0, 3).sort()
      : managed.resourceTypes;
  const title = catalog.controls(managed.name)[0]?.title;
  return {
    name,
    sourceIdentifier: managed.sourceIdentifier,
    evaluatedTypes: types,
    changeTriggered: managed.changeTriggered || !managed.periodic,
    ...(managed.periodic ? { frequency: random.pick(FREQUENCIES) } : {}),
    ...(title ? { description: title.slice(0, 256) } : {}),
  };
}

function ruleRandom(seed: number, accountId: string, region: string, ruleName: string): Random {
  return Random.derive(seed, accountId, region, 'rule', ruleName);
}

/** Seeded counts of a rule's results; the first draws of the rule's stream, so evaluations agree with them. */
function drawCounts(spec: RuleSpec, pool: ResourcePool, random: Random): RuleCounts {
  const types = spec.evaluatedTypes.length > 0 ? spec.evaluatedTypes : [ACCOUNT_RESOURCE_TYPE];
  const available = types.reduce((sum, t) => sum + pool.size(t), 0);
  const total = min(available, spec.maxResources ?? available);
  const rate = spec.nonCompliantRate ?? (random.chance(0.35) ? 0 : random.float(0.03, 0.5));
  const naRate = random.chance(0.08) ? random.float(0.05, 0.3) : 0;
  const nonCompliant = min(
    total,
    total === 1 ? (random.chance(rate > 0 ? 0.5 : 0) ? 1 : 0) : round(rate * total),
  );
  const notApplicable = min(total - nonCompliant, round(naRate * total));
  return { total, nonCompliant, notApplicable };
}

/** The rule's evaluation times, consistent with its trigger and frequency. */
export interface RuleTimes {
  readonly lastSuccessfulEvaluationTime: number;
  readonly firstActivatedTime: number;
}

function ruleTimes(spec: RuleSpec, random: Random, startMs: number): RuleTimes {
  const frequencyMs = spec.frequency ? FREQUENCY_MS[spec.frequency] : 0;
  const lastSuccessfulEvaluationTime = spec.changeTriggered
    ? startMs - random.int(30_000, 2 * 3_600_000)
    : startMs - round(random.float(0.05, 0.9) * frequencyMs);
  return { lastSuccessfulEvaluationTime, firstActivatedTime: startMs - random.int(30, 400) * DAY_MS };
}

/** Generates a rule's sorted results; draws continue the rule's stream after drawCounts and ruleTimes. */
function drawEvaluations(
  spec: RuleSpec,
  counts: RuleCounts,
  times: RuleTimes,
  pool: ResourcePool,
  random: Random,
  startMs: number,
): Evaluation[] {
  const types = spec.evaluatedTypes.length > 0 ? spec.evaluatedTypes : [ACCOUNT_RESOURCE_TYPE];
  let resources: Array<readonly [string, string]> = types.flatMap((t) =>
    pool.ids(t).map((id) => [t, id] as const),
  );
  if (resources.length > counts.total) resources = random.shuffle(resources).slice(0, counts.total);
  const order = random.shuffle(resources.map((_, i) => i));
  const compliance: EvaluationCompliance[] = new Array<EvaluationCompliance>(resources.length).fill(
    'COMPLIANT',
  );
  order.forEach((resourceIndex, rank) => {
    if (rank < counts.nonCompliant) compliance[resourceIndex] = 'NON_COMPLIANT';
    else if (rank < counts.nonCompliant + counts.notApplicable) compliance[resourceIndex] = 'NOT_APPLICABLE';
  });
  const evaluations = resources.map(([resourceType, resourceId], i): Evaluation => {
    const c = compliance[i] ?? 'COMPLIANT';
    let recordedTime: number;
    let orderingTime: number;
    if (spec.changeTriggered) {
      // Change-triggered results date from the last change of each resource; older ones are more common.
      const age = round(pow(random.next(), 2) * 30 * DAY_MS) + random.int(60_000, 600_000);
      recordedTime = min(times.lastSuccessfulEvaluationTime, startMs - age);
      orderingTime = recordedTime - random.int(2_000, 90_000);
    } else {
      recordedTime = times.lastSuccessfulEvaluationTime - random.int(0, 3_000);
      orderingTime = recordedTime - random.int(1_000, 5_000);
    }
    const invokedTime = recordedTime - random.int(200, 3_000);
    const annotation = c === 'NON_COMPLIANT' ? spec.annotate?.(resourceType, resourceId) : undefined;
    return {
      resourceType,
      resourceId,
      compliance: c,
      orderingTime: min(orderingTime, invokedTime),
      recordedTime,
      invokedTime,
      ...(annotation !== undefined ? { annotation } : {}),
    };
  });
  return evaluations.sort((a, b) =>
    a.resourceType < b.resourceType
      ? -1
      : a.resourceType > b.resourceType
        ? 1
        : a.resourceId < b.resourceId
          ? -1
          : a.resourceId > b.resourceId
            ? 1
            : 0,
  );
}

/** Adds one generated rule, with its results and evaluation status, to a region. */
export function addGeneratedRule(
  state: RegionState,
  spec: RuleSpec,
  pool: ResourcePool,
  seed: number,
  startMs: number,
): RuleCounts {
  const random = ruleRandom(seed, state.accountId, state.region, spec.name);
  const counts = drawCounts(spec, pool, random);
  const times = ruleTimes(spec, random, startMs);
  const evaluations = drawEvaluations(spec, counts, times, pool, random, startMs);
  const lastEvaluation = spec.changeTriggered
    ? evaluations.reduce((latest, e) => max(latest, e.recordedTime), times.lastSuccessfulEvaluationTime)
    : times.lastSuccessfulEvaluationTime;
  const scopeTypes = spec.scopeTypes ?? spec.evaluatedTypes;
  state.addRule({
    name: spec.name,
    sourceIdentifier: spec.sourceIdentifier,
    owner: spec.owner ?? 'AWS',
    id: `config-rule-${random.letters(6)}`,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(scopeTypes.length > 0 && spec.changeTriggered ? { resourceTypes: [...scopeTypes] } : {}),
    ...(spec.inputParameters ? { inputParameters: { ...spec.inputParameters } } : {}),
    ...(spec.frequency ? { maximumExecutionFrequency: spec.frequency } : {}),
    ...(spec.createdBy ? { createdBy: spec.createdBy } : {}),
    ...(spec.visibility ? { visibility: spec.visibility } : {}),
    evaluationStatus: {
      firstActivatedTime: times.firstActivatedTime,
      firstEvaluationStarted: true,
      lastSuccessfulInvocationTime: lastEvaluation - random.int(500, 5_000),
      lastSuccessfulEvaluationTime: lastEvaluation,
    },
  });
  state.loadEvaluations(spec.name, evaluations);
  return counts;
}

export interface GeneratedRegionOptions {
  readonly seed: number;
  readonly accountId: string;
  readonly region: string;
  readonly startMs: number;
  readonly rules: readonly RuleSpec[];
  readonly pool: ResourcePool;
  /** Scenario-specific additions after the generated rules (remediation, history, ...). */
  readonly afterBuild?: (state: RegionState) => void;
}

/**
 * A region made of generated rules. Without an afterBuild step it also offers a plan: rule summaries
 * computed from the seeded counts alone, so aggregator answers need not build every member region.
 */
export function generatedRegion(options: GeneratedRegionOptions): RegionSource {
  const build = (state: RegionState): void => {
    for (const spec of options.rules)
      addGeneratedRule(state, spec, options.pool, options.seed, options.startMs);
    options.afterBuild?.(state);
  };
  if (options.afterBuild) return { build };
  let cached: { summaries: RuleSummary[]; evaluationCount: number } | undefined;
  const plan = (): { summaries: RuleSummary[]; evaluationCount: number } => {
    if (!cached) {
      let evaluationCount = 0;
      const summaries = options.rules
        .map((spec): RuleSummary => {
          const counts = drawCounts(
            spec,
            options.pool,
            ruleRandom(options.seed, options.accountId, options.region, spec.name),
          );
          evaluationCount += counts.total;
          const compliant = counts.total - counts.nonCompliant - counts.notApplicable;
          return {
            ruleName: spec.name,
            compliance: ruleComplianceOf({
              COMPLIANT: compliant,
              NON_COMPLIANT: counts.nonCompliant,
              NOT_APPLICABLE: counts.notApplicable,
            }),
            nonCompliantCount: counts.nonCompliant,
          };
        })
        .sort((a, b) => (a.ruleName < b.ruleName ? -1 : a.ruleName > b.ruleName ? 1 : 0));
      cached = { summaries, evaluationCount };
    }
    return cached;
  };
  return {
    build,
    plan: {
      summaries: () => plan().summaries,
      get evaluationCount() {
        return plan().evaluationCount;
      },
    },
  };
}
