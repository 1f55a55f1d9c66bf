import { Random } from '../random';
import type { World } from '../world/world';
import type { Catalog } from './catalog';
import { generatedRegion, managedRuleSpec, type RuleSpec } from './generator';
import { addRemediation, genericStory } from './large';
import { poolSize, ResourcePool } from './resources';
import { READ_ONLY_ROLE, type ScenarioDefinition } from './types';

export const MANAGEMENT_ACCOUNT_ID = '111122223333';
export const ORGANIZATION_REGIONS = ['ap-northeast-2', 'eu-west-1', 'us-east-1', 'us-west-2'] as const;
export const MEMBER_COUNT = 200;
export const AGGREGATOR_NAME = 'org-compliance-aggregator';
const RULES_PER_REGION = 300;

function memberAccountIds(seed: number, count: number): string[] {
  const random = Random.derive(seed, 'organization-members');
  const ids = new Set<string>();
  while (ids.size < count) {
    const id = String(random.int(200_000_000_000, 999_999_999_999));
    if (id !== MANAGEMENT_ACCOUNT_ID) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * `organization`: a management account whose Config aggregator covers 200 member accounts (or
 * `memberCount`, for scaling benchmarks and small tests) × 4 regions,
 * 300 rules each (an organization-wide rule set), over a million evaluation results. Member regions
 * exist as seeded plans and are built only when a request looks at their details; unchanged ones are
 * dropped again when too many are built.
 */
export function defineOrganizationScenario(
  world: World,
  catalog: Catalog,
  seed: number,
  startMs: number,
  externalId: string | undefined,
  memberCount: number = MEMBER_COUNT,
): ScenarioDefinition {
  const ruleRandom = Random.derive(seed, 'organization-rules');
  const rules: RuleSpec[] = ruleRandom
    .shuffle(catalog.managedRules)
    .slice(0, RULES_PER_REGION)
    .map((managed) => managedRuleSpec(managed, catalog, ruleRandom));
  const members = memberAccountIds(seed, memberCount);
  const accounts = [MANAGEMENT_ACCOUNT_ID, ...members].sort();
  for (const accountId of accounts) {
    world.addRole({
      accountId,
      roleName: READ_ONLY_ROLE,
      ...(externalId !== undefined ? { externalId } : {}),
    });
    for (const region of ORGANIZATION_REGIONS) {
      const pool = new ResourcePool(seed, accountId, region, (type) =>
        poolSize(seed, accountId, region, type, 2, 12, 0.12),
      );
      const management = accountId === MANAGEMENT_ACCOUNT_ID;
      world.defineRegion(
        accountId,
        region,
        generatedRegion({
          seed,
          accountId,
          region,
          startMs,
          rules,
          pool,
          ...(management
            ? {
                afterBuild: (state) =>
                  addRemediation(
                    state,
                    catalog,
                    Random.derive(seed, accountId, region, 'org-history'),
                    startMs,
                  ),
              }
            : {}),
        }),
      );
    }
  }
  world.organization = { managementAccountId: MANAGEMENT_ACCOUNT_ID, accountIds: accounts };
  const home = world.region(MANAGEMENT_ACCOUNT_ID, 'us-east-1');
  home.addAggregator({
    name: AGGREGATOR_NAME,
    arn: `arn:aws:config:us-east-1:${MANAGEMENT_ACCOUNT_ID}:config-aggregator/config-aggregator-${Random.derive(seed, 'aggregator').letters(8)}`,
    creationTime: startMs - 200 * 86_400_000,
    lastUpdatedTime: startMs - 20 * 86_400_000,
    organizationSource: {
      roleArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/service-role/AWSConfigRoleForOrganizations`,
      awsRegions: [...ORGANIZATION_REGIONS],
      allAwsRegions: false,
    },
  });
  home.mutations = 0;
  return {
    regions: [...ORGANIZATION_REGIONS],
    live: ORGANIZATION_REGIONS.map((region) => ({
      accountId: MANAGEMENT_ACCOUNT_ID,
      region,
      story: genericStory,
    })),
  };
}
