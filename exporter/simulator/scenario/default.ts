import { hashString, Random } from '../random';
import type { RegionState } from '../world/region-state';
import type { Evaluation } from '../world/types';
import type { World } from '../world/world';
import type { Catalog, ManagedRule } from './catalog';
import type { RunReason } from './failures';
import { addGeneratedRule, managedRuleSpec, type RuleSpec } from './generator';
import { generateHistory } from './history';
import { ResourcePool } from './resources';
import { CUSTOM_SECURITY_GROUP_RUNBOOK, documentRecord, RUNBOOKS, TAGGING_RUNBOOK } from './runbooks';
import type { RegionStory } from './story';
import { READ_ONLY_ROLE, type ScenarioDefinition } from './types';

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGIONS = ['us-east-1', 'ap-northeast-2'] as const;
export const SECURITY_HUB = 'securityhub.amazonaws.com';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The rule with more than 100 noncompliant security groups (MySQL open to the world in a legacy VPC). */
export const COMMON_PORTS_RULE = 'restricted-common-ports';
export const REQUIRED_TAGS_RULE = 'required-tags';
export const STALE_RULE = 'iam-password-policy';
export const FAILING_RULE = 'acme-ebs-snapshot-encrypted';

/** Typical pool sizes of a mid-size account; other types get 2–20 resources. */
const POOL_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  'AWS::EC2::SecurityGroup': [240, 280],
  'AWS::EC2::Instance': [50, 80],
  'AWS::EC2::Volume': [80, 120],
  'AWS::EC2::Snapshot': [10, 20],
  'AWS::S3::Bucket': [40, 60],
  'AWS::RDS::DBInstance': [10, 16],
  'AWS::KMS::Key': [12, 24],
  // No DynamoDB tables here: rules about them have no results (INSUFFICIENT_DATA).
  'AWS::DynamoDB::Table': [0, 0],
};

const REMEDIATIONS: ReadonlyArray<{ rule: string; runbook: string; automatic: boolean }> = [
  { rule: COMMON_PORTS_RULE, runbook: CUSTOM_SECURITY_GROUP_RUNBOOK, automatic: true },
  { rule: 'restricted-ssh', runbook: 'AWS-DisablePublicAccessForSecurityGroup', automatic: true },
  {
    rule: 's3-bucket-public-read-prohibited',
    runbook: 'AWS-DisableS3BucketPublicReadWrite',
    automatic: true,
  },
  {
    rule: 'rds-instance-public-access-check',
    runbook: 'AWSConfigRemediation-DisablePublicAccessToRDSInstance',
    automatic: true,
  },
  {
    rule: 'vpc-default-security-group-closed',
    runbook: 'AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules',
    automatic: true,
  },
  {
    rule: 'cmk-backing-key-rotation-enabled',
    runbook: 'AWSConfigRemediation-EnableKeyRotation',
    automatic: true,
  },
  { rule: 's3-bucket-logging-enabled', runbook: 'AWS-ConfigureS3BucketLogging', automatic: false },
  { rule: 'ec2-imdsv2-check', runbook: 'AWSConfigRemediation-EnforceEC2InstanceIMDSv2', automatic: false },
  { rule: 'my-team-s3-public-read', runbook: 'AWS-DisableS3BucketPublicReadWrite', automatic: false },
];

/** Security Hub's created-rule names and the managed rule each one runs. */
const SECURITY_HUB_HEADLINES: ReadonlyArray<
  readonly [createdName: string, managedRule: string, params?: Record<string, string>]
> = [
  ['s3-bucket-public-read-prohibited', 's3-bucket-public-read-prohibited'],
  [
    'vpc-sg-restricted-common-ports',
    'restricted-common-ports',
    {
      blockedPorts:
        '20,21,22,23,25,110,135,143,445,1433,1434,3000,3306,3389,4333,5000,5432,5500,5601,8080,8088,8888,9200,9300',
    },
  ],
  ['restricted-rdp', 'restricted-common-ports', { blockedPort1: '3389' }],
  ['restricted-ssh', 'restricted-ssh'],
  ['iam-root-access-key-check', 'iam-root-access-key-check'],
];

/** Security groups in the legacy VPC, where the automation role may not revoke ingress rules. */
export function isLegacySecurityGroup(seed: number, groupId: string): boolean {
  return hashString(`${seed}:legacy-vpc:${groupId}`) % 100 < 72;
}

export function defaultStory(seed: number, accountId: string): RegionStory {
  return {
    remediationReason(ruleName, _type, resourceId, random): RunReason {
      if (ruleName === COMMON_PORTS_RULE && isLegacySecurityGroup(seed, resourceId)) return 'access-denied';
      const timedOut = ruleName.startsWith('rds-') ? 8 : 2;
      return random.weighted<RunReason>([
        ['success', 86],
        ['throttled', 3],
        ['timed-out', timedOut],
        ['resource-not-found', 2],
        ['invalid-parameter', 3],
        ['cancelled', 1],
      ]);
    },
    persistentFailure: (ruleName, resourceId) =>
      ruleName === COMMON_PORTS_RULE && isLegacySecurityGroup(seed, resourceId),
    accessDeniedDrill: {
      ruleName: COMMON_PORTS_RULE,
      intervalMs: [40_000, 80_000],
      candidates: (state) =>
        state
          .evaluations(COMMON_PORTS_RULE)
          .filter((e) => e.compliance === 'COMPLIANT' && isLegacySecurityGroup(seed, e.resourceId))
          .map((e) => e.resourceId),
    },
    tagging: {
      ruleName: REQUIRED_TAGS_RULE,
      documentName: TAGGING_RUNBOOK,
      executedBy: `arn:aws:sts::${accountId}:assumed-role/EventBridgeAutoTagRole/auto-tag-on-create`,
    },
  };
}

function securityHubName(base: string, random: Random): string {
  return `securityhub-${base}-${random.hex(8)}`;
}

function requireManaged(catalog: Catalog, name: string): ManagedRule {
  const rule = catalog.rule(name);
  if (!rule) throw new Error(`simulator: managed rule ${name} is missing from data/config-managed-rules.csv`);
  return rule;
}

/** The curated rules every region has; they all land among the first 60 rules. */
function headlineSpecs(catalog: Catalog, random: Random, accountId: string, region: string): RuleSpec[] {
  const managed = (name: string, overrides: Partial<RuleSpec> = {}): RuleSpec => ({
    ...managedRuleSpec(requireManaged(catalog, name), catalog, random),
    ...overrides,
  });
  const specs: RuleSpec[] = [
    managed(COMMON_PORTS_RULE, {
      inputParameters: {
        blockedPort1: '20',
        blockedPort2: '21',
        blockedPort3: '3389',
        blockedPort4: '3306',
        blockedPort5: '4333',
      },
    }),
    // Automatic remediation keeps these mostly clean: what stays open is what the runbook cannot fix.
    managed('restricted-ssh', { nonCompliantRate: random.float(0.01, 0.03) }),
    managed('s3-bucket-public-read-prohibited', { nonCompliantRate: random.float(0.02, 0.06) }),
    managed('rds-instance-public-access-check', { nonCompliantRate: 0.1 }),
    managed('vpc-default-security-group-closed', {
      maxResources: 12,
      nonCompliantRate: random.float(0.05, 0.2),
    }),
    managed('cmk-backing-key-rotation-enabled', {
      evaluatedTypes: ['AWS::KMS::Key'],
      frequency: 'TwentyFour_Hours',
      changeTriggered: false,
      nonCompliantRate: random.float(0.03, 0.1),
    }),
    managed('s3-bucket-logging-enabled'),
    managed('ec2-imdsv2-check'),
    managed(REQUIRED_TAGS_RULE, {
      evaluatedTypes: [
        'AWS::EC2::Instance',
        'AWS::EC2::SecurityGroup',
        'AWS::EC2::Volume',
        'AWS::RDS::DBInstance',
        'AWS::S3::Bucket',
      ],
      inputParameters: { tag1Key: 'Owner', tag2Key: 'CostCenter' },
      nonCompliantRate: random.float(0.12, 0.22),
      annotate: (_type, id) => `Resource ${id} is missing required tag CostCenter.`,
    }),
    managed(STALE_RULE, { frequency: 'One_Hour', changeTriggered: false }),
    managed('cloudtrail-enabled', {
      frequency: 'TwentyFour_Hours',
      changeTriggered: false,
      nonCompliantRate: 0,
    }),
    managed('access-keys-rotated', {
      frequency: 'TwentyFour_Hours',
      changeTriggered: false,
      inputParameters: { maxAccessKeyAge: '90' },
    }),
    {
      ...managed('s3-bucket-public-read-prohibited'),
      name: 'my-team-s3-public-read',
      description: 'Team copy of S3_BUCKET_PUBLIC_READ_PROHIBITED for the data platform buckets.',
      maxResources: 25,
    },
    {
      ...managed('restricted-ssh'),
      name: 'secops-no-public-ssh',
      description: 'SecOps copy of INCOMING_SSH_DISABLED.',
    },
    {
      name: FAILING_RULE,
      owner: 'CUSTOM_LAMBDA',
      sourceIdentifier: `arn:aws:lambda:${region}:${accountId}:function:config-rule-ebs-snapshot-encrypted`,
      evaluatedTypes: ['AWS::EC2::Snapshot'],
      changeTriggered: true,
      description: 'Custom rule: EBS snapshots must be encrypted with the team KMS key.',
    },
  ];
  for (const [createdName, managedName, params] of SECURITY_HUB_HEADLINES) {
    specs.push({
      ...managedRuleSpec(requireManaged(catalog, managedName), catalog, random),
      name: securityHubName(createdName, random),
      createdBy: SECURITY_HUB,
      visibility: 'INTERNAL',
      ...(params ? { inputParameters: params } : {}),
    });
  }
  // Two managed rules that no Security Hub control uses (besides required-tags).
  const withoutControl = catalog.managedRules.filter(
    (r) =>
      catalog.controls(r.name).length === 0 &&
      r.resourceTypes.length > 0 &&
      !specs.some((s) => s.name === r.name),
  );
  for (const rule of random.shuffle(withoutControl).slice(0, 2))
    specs.push(managedRuleSpec(rule, catalog, random));
  return specs;
}

function fillSpecs(catalog: Catalog, random: Random, taken: Set<string>, count: number): RuleSpec[] {
  const specs: RuleSpec[] = [];
  for (const managed of random.shuffle(catalog.managedRules)) {
    if (specs.length >= count) break;
    if (taken.has(managed.name)) continue;
    taken.add(managed.name);
    const asSecurityHub = catalog.controls(managed.name).length > 0 && random.chance(0.25);
    const name = asSecurityHub ? securityHubName(managed.name, random) : managed.name;
    specs.push({
      ...managedRuleSpec(managed, catalog, random, name),
      ...(asSecurityHub ? { createdBy: SECURITY_HUB, visibility: 'INTERNAL' as const } : {}),
    });
  }
  return specs;
}

/** MySQL open to the world on ~130 security groups, all in the legacy VPC. */
function commonPortsEvaluations(
  pool: ResourcePool,
  seed: number,
  random: Random,
  startMs: number,
  region: string,
): Evaluation[] {
  const evaluated = random.shuffle(pool.ids('AWS::EC2::SecurityGroup')).slice(0, random.int(175, 190));
  const legacy = evaluated.filter((id) => isLegacySecurityGroup(seed, id));
  const target = Math.min(
    legacy.length,
    region === 'us-east-1' ? random.int(122, 140) : random.int(104, 118),
  );
  const open = new Set(random.shuffle(legacy).slice(0, target));
  return evaluated
    .map((resourceId): Evaluation => {
      const nonCompliant = open.has(resourceId);
      // Some of these have been open for months, older than SSM's 30-day history.
      const since = nonCompliant
        ? startMs - random.int(10 * 60_000, 90 * DAY_MS)
        : startMs - random.int(HOUR_MS, 30 * DAY_MS);
      const recordedTime = since + random.int(2_000, 10_000);
      const ports = random.chance(0.8) ? '3306' : random.pick(['3306, 3389', '21, 3306', '3306, 4333']);
      return {
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId,
        compliance: nonCompliant ? 'NON_COMPLIANT' : 'COMPLIANT',
        orderingTime: since,
        invokedTime: recordedTime - random.int(300, 1_500),
        recordedTime,
        ...(nonCompliant ? { annotation: `Port ${ports} open to 0.0.0.0/0 and ::/0.` } : {}),
      };
    })
    .sort((a, b) => (a.resourceId < b.resourceId ? -1 : 1));
}

/** A periodic rule whose last evaluation is several frequencies old: it needs a re-evaluation. */
function makeStale(state: RegionState, random: Random, startMs: number): void {
  const at = startMs - random.int(4 * HOUR_MS, 9 * HOUR_MS);
  state.loadEvaluations(
    STALE_RULE,
    state
      .evaluations(STALE_RULE)
      .map((e) => ({ ...e, orderingTime: at - 2_000, invokedTime: at - 1_000, recordedTime: at })),
  );
  state.updateRule(STALE_RULE, { stalled: true });
  state.updateEvaluationStatus(STALE_RULE, {
    lastSuccessfulInvocationTime: at - 1_500,
    lastSuccessfulEvaluationTime: at,
  });
}

/** A custom rule whose last evaluation failed after its last success. */
function makeFailing(
  state: RegionState,
  random: Random,
  startMs: number,
  accountId: string,
  region: string,
): void {
  const lastSuccess = startMs - random.int(2 * DAY_MS, 4 * DAY_MS);
  const lastFailure = startMs - random.int(5 * 60_000, 30 * 60_000);
  state.loadEvaluations(
    FAILING_RULE,
    state.evaluations(FAILING_RULE).map((e) => ({
      ...e,
      recordedTime: Math.min(e.recordedTime, lastSuccess),
      invokedTime: Math.min(e.invokedTime, lastSuccess - 1_000),
      orderingTime: Math.min(e.orderingTime, lastSuccess - 2_000),
    })),
  );
  state.updateRule(FAILING_RULE, {
    sourceDetails: [
      { messageType: 'ConfigurationItemChangeNotification' },
      { messageType: 'OversizedConfigurationItemChangeNotification' },
    ],
  });
  state.updateEvaluationStatus(FAILING_RULE, {
    lastSuccessfulInvocationTime: lastSuccess - 1_000,
    lastSuccessfulEvaluationTime: lastSuccess,
    lastFailedInvocationTime: lastFailure - 1_000,
    lastFailedEvaluationTime: lastFailure,
    lastErrorCode: 'AccessDenied',
    lastErrorMessage: `AWS Config could not invoke arn:aws:lambda:${region}:${accountId}:function:config-rule-ebs-snapshot-encrypted: config.amazonaws.com is not authorized to perform lambda:InvokeFunction.`,
  });
}

function buildDefaultRegion(state: RegionState, catalog: Catalog, seed: number, startMs: number): void {
  const { accountId, region } = state;
  const random = Random.derive(seed, accountId, region, 'default-scenario');
  const pool = new ResourcePool(seed, accountId, region, (type) => {
    const [min, max] = POOL_SIZES[type] ?? [2, 20];
    return Random.derive(seed, accountId, region, 'pool-size', type).int(min, max);
  });

  const headline = headlineSpecs(catalog, random, accountId, region);
  const taken = new Set(headline.map((s) => s.name));
  const total = random.int(70, 85);
  const fill = fillSpecs(catalog, random, taken, total - headline.length);
  // Headline rules take random places among the first 45; the rest follow in catalog-shuffled order.
  const slots = random
    .shuffle([...Array(45).keys()])
    .slice(0, headline.length)
    .sort((a, b) => a - b);
  const ordered: RuleSpec[] = [];
  let h = 0;
  let f = 0;
  for (let position = 0; position < headline.length + fill.length; position++) {
    const spec = slots[h] === position ? headline[h++] : (fill[f++] ?? headline[h++]);
    if (spec) ordered.push(spec);
  }
  for (const spec of ordered) addGeneratedRule(state, spec, pool, seed, startMs);
  const commonPorts = commonPortsEvaluations(pool, seed, random, startMs, region);
  state.loadEvaluations(COMMON_PORTS_RULE, commonPorts);
  const lastCommonPorts = commonPorts.reduce((max, e) => Math.max(max, e.recordedTime), 0);
  state.updateEvaluationStatus(COMMON_PORTS_RULE, {
    lastSuccessfulInvocationTime: lastCommonPorts - 800,
    lastSuccessfulEvaluationTime: lastCommonPorts,
  });
  makeStale(state, random, startMs);
  makeFailing(state, random, startMs, accountId, region);

  for (const runbook of Object.values(RUNBOOKS)) {
    state.addDocument(
      documentRecord(runbook, accountId, startMs - (runbook.owner === 'Amazon' ? 900 : 60) * DAY_MS),
    );
  }
  const roleArn = `arn:aws:iam::${accountId}:role/ConfigRemediationAutomationRole`;
  for (const { rule, runbook, automatic } of REMEDIATIONS) {
    const definition = RUNBOOKS[runbook];
    if (!state.rule(rule) || !definition) continue;
    state.setRemediationConfiguration({
      ruleName: rule,
      targetId: runbook,
      targetVersion: '$DEFAULT',
      resourceType: state.evaluations(rule)[0]?.resourceType ?? 'AWS::EC2::SecurityGroup',
      automatic,
      parameters: {
        [definition.resourceParameter]: { resourceValue: 'RESOURCE_ID' },
        AutomationAssumeRole: { staticValues: [roleArn] },
      },
    });
  }

  const ruleNames = state.rules().map((r) => r.name);
  const customerRules = state.rules().filter((r) => !r.createdBy);
  state.addConformancePack({
    name: 'Operational-Best-Practices-for-Amazon-S3',
    ruleNames: customerRules.filter((r) => r.sourceIdentifier.startsWith('S3_')).map((r) => r.name),
  });
  state.addConformancePack({
    name: 'Security-Baseline',
    ruleNames: [
      COMMON_PORTS_RULE,
      'restricted-ssh',
      STALE_RULE,
      'cloudtrail-enabled',
      'vpc-default-security-group-closed',
      'rds-instance-public-access-check',
    ].filter((n) => ruleNames.includes(n)),
  });
  const dynamo = catalog.managedRules
    .filter((r) => r.resourceTypes.includes('AWS::DynamoDB::Table'))
    .slice(0, 2);
  for (const rule of dynamo) {
    if (!state.rule(rule.name))
      addGeneratedRule(state, managedRuleSpec(rule, catalog, random), pool, seed, startMs);
  }
  state.addConformancePack({
    name: 'Operational-Best-Practices-for-Amazon-DynamoDB',
    ruleNames: dynamo.map((r) => r.name),
  });

  generateHistory(state, {
    startMs,
    random,
    story: defaultStory(seed, accountId),
    fixedShare: 0.4,
    taggingPerDay: [20, 40],
  });
}

/**
 * `default`: what `npm start` shows. One account in us-east-1 and ap-northeast-2 with 70–85 rules per
 * region drawn from the catalog, Security Hub's service-linked copies, customer copies, remediation with
 * 30 days of SSM history, and the access-denied story of the legacy VPC.
 */
export function defineDefaultScenario(
  world: World,
  catalog: Catalog,
  seed: number,
  startMs: number,
  externalId: string | undefined,
): ScenarioDefinition {
  world.addRole({
    accountId: DEFAULT_ACCOUNT_ID,
    roleName: READ_ONLY_ROLE,
    ...(externalId !== undefined ? { externalId } : {}),
  });
  for (const region of DEFAULT_REGIONS) {
    world.defineRegion(DEFAULT_ACCOUNT_ID, region, {
      build: (state) => buildDefaultRegion(state, catalog, seed, startMs),
    });
  }
  return {
    regions: [...DEFAULT_REGIONS],
    live: DEFAULT_REGIONS.map((region) => ({
      accountId: DEFAULT_ACCOUNT_ID,
      region,
      story: defaultStory(seed, DEFAULT_ACCOUNT_ID),
    })),
  };
}
