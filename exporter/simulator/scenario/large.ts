import { Random } from '../random';
import type { RegionState } from '../world/region-state';
import type { World } from '../world/world';
import type { Catalog } from './catalog';
import type { RunReason } from './failures';
import { generatedRegion, managedRuleSpec, type RuleSpec } from './generator';
import { generateHistory } from './history';
import { poolSize, ResourcePool } from './resources';
import { documentRecord, RUNBOOKS } from './runbooks';
import type { RegionStory } from './story';
import type { ScenarioDefinition } from './types';

export const LARGE_ACCOUNT_ID = '345678901234';
export const LARGE_REGIONS = ['ap-northeast-2', 'eu-west-1', 'us-east-1', 'us-west-2'] as const;
const RULES_PER_REGION = 250;
const DAY_MS = 86_400_000;

/** Outcomes without a plot: mostly successes, every failure kind now and then. */
export const genericStory: RegionStory = {
  remediationReason: (_rule, _type, _id, random): RunReason =>
    random.weighted<RunReason>([
      ['success', 85],
      ['throttled', 3],
      ['timed-out', 3],
      ['resource-not-found', 2],
      ['invalid-parameter', 3],
      ['access-denied', 3],
      ['cancelled', 1],
    ]),
};

/** Remediation configurations on the rules that have one of the simulated runbooks, plus 30 days of history. */
export function addRemediation(state: RegionState, catalog: Catalog, random: Random, startMs: number): void {
  let added = 0;
  for (const rule of state.rules()) {
    const runbookName = catalog.runbook(rule.name);
    const runbook = runbookName ? RUNBOOKS[runbookName] : undefined;
    if (!runbook || rule.createdBy) continue;
    if (!state.document(runbook.name))
      state.addDocument(documentRecord(runbook, state.accountId, startMs - 900 * DAY_MS));
    state.setRemediationConfiguration({
      ruleName: rule.name,
      targetId: runbook.name,
      resourceType: state.evaluations(rule.name)[0]?.resourceType ?? 'AWS::EC2::SecurityGroup',
      automatic: random.chance(0.7),
      parameters: {
        [runbook.resourceParameter]: { resourceValue: 'RESOURCE_ID' },
        AutomationAssumeRole: {
          staticValues: [`arn:aws:iam::${state.accountId}:role/ConfigRemediationAutomationRole`],
        },
      },
    });
    added++;
  }
  if (added > 0) generateHistory(state, { startMs, random, story: genericStory, fixedShare: 0.15 });
}

/** `large`: one account, 4 regions × 250 rules, more than 100,000 evaluation results. */
export function defineLargeScenario(
  world: World,
  catalog: Catalog,
  seed: number,
  startMs: number,
): ScenarioDefinition {
  for (const region of LARGE_REGIONS) {
    const random = Random.derive(seed, LARGE_ACCOUNT_ID, region, 'large-rules');
    const rules: RuleSpec[] = random
      .shuffle(catalog.managedRules)
      .slice(0, RULES_PER_REGION)
      .map((managed) => managedRuleSpec(managed, catalog, random));
    const pool = new ResourcePool(seed, LARGE_ACCOUNT_ID, region, (type) =>
      poolSize(seed, LARGE_ACCOUNT_ID, region, type, 120, 320, 0.08),
    );
    world.defineRegion(
      LARGE_ACCOUNT_ID,
      region,
      generatedRegion({
        seed,
        accountId: LARGE_ACCOUNT_ID,
        region,
        startMs,
        rules,
        pool,
        afterBuild: (state) =>
          addRemediation(
            state,
            catalog,
            Random.derive(seed, LARGE_ACCOUNT_ID, region, 'large-history'),
            startMs,
          ),
      }),
    );
  }
  return {
    regions: [...LARGE_REGIONS],
    live: LARGE_REGIONS.map((region) => ({ accountId: LARGE_ACCOUNT_ID, region, story: genericStory })),
  };
}
