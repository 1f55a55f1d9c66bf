import type { Random } from '../random';
import { planExecution } from '../world/execution-planner';
import type { RegionState } from '../world/region-state';
import type {
  AutomationExecutionRecord,
  DocumentRecord,
  RemediationConfigRecord,
  ResourceRef,
} from '../world/types';
import { runOutcome, type RunReason } from './failures';

/**
 * The plot of a region: how its remediations end and what live mode keeps doing there. Scenario history
 * and live mode both ask the story, so the past and the present of an account tell the same tale.
 */
export interface RegionStory {
  /** The reason a remediation of this resource ends the way it does (one attempt). */
  remediationReason(ruleName: string, resourceType: string, resourceId: string, random: Random): RunReason;
  /** Live mode: a remediation of this rule keeps failing for this resource (it stays noncompliant). */
  persistentFailure?(ruleName: string, resourceId: string): boolean;
  /** Live mode makes a violation on this rule at least every [min, max] ms; its remediation is denied. */
  readonly accessDeniedDrill?: {
    readonly ruleName: string;
    readonly intervalMs: readonly [number, number];
    /** Resources whose remediation the automation role may not perform. */
    readonly candidates: (state: RegionState) => readonly string[];
  };
  /** The EventBridge tagging runbook that fixes required-tags violations. */
  readonly tagging?: {
    readonly ruleName: string;
    readonly documentName: string;
    readonly executedBy: string;
  };
}

/** Seconds to minutes, by runbook: waits for RDS modifications are long, API calls are quick. */
export function runDurations(
  documentName: string,
  reason: RunReason,
  random: Random,
): { pendingMs: number; durationMs: number } {
  const pendingMs = random.int(700, 4_000);
  if (reason === 'timed-out') return { pendingMs, durationMs: random.int(600_000, 640_000) };
  if (reason === 'cancelled') return { pendingMs, durationMs: random.int(20_000, 200_000) };
  if (documentName.includes('RDS')) return { pendingMs, durationMs: random.int(120_000, 540_000) };
  if (documentName.includes('IMDSv2')) return { pendingMs, durationMs: random.int(20_000, 90_000) };
  if (documentName.includes('SecurityGroup')) return { pendingMs, durationMs: random.int(3_000, 15_000) };
  return { pendingMs, durationMs: random.int(1_500, 8_000) };
}

const AUTOMATION_ROLE = 'ConfigRemediationAutomationRole';

/** ExecutedBy of runs Config starts: its remediation service-linked role. */
export function configRemediationPrincipal(accountId: string, random: Random): string {
  return `arn:aws:sts::${accountId}:assumed-role/AWSServiceRoleForConfigRemediation/${random.hex(16)}`;
}

function parametersFor(config: RemediationConfigRecord, resourceId: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(config.parameters)) {
    out[name] = 'resourceValue' in value ? [resourceId] : [...value.staticValues];
  }
  return out;
}

function roleNameOf(parameters: Record<string, string[]>): string {
  const arn = parameters['AutomationAssumeRole']?.[0] ?? '';
  return arn.slice(arn.lastIndexOf('/') + 1) || AUTOMATION_ROLE;
}

/** Plans and stores one Config remediation run of a resource. */
export function recordRemediationRun(
  state: RegionState,
  config: RemediationConfigRecord,
  ref: ResourceRef,
  startTime: number,
  reason: RunReason,
  random: Random,
  trigger: 'config-remediation' | 'manual' = 'config-remediation',
  timing = runDurations(config.targetId, reason, random),
): AutomationExecutionRecord {
  const document = state.document(config.targetId);
  const parameters = parametersFor(config, ref.resourceId);
  const id = random.uuid();
  const outcome = document
    ? runOutcome(reason, {
        accountId: state.accountId,
        region: state.region,
        resourceId: ref.resourceId,
        roleName: roleNameOf(parameters),
        executionId: id,
        document,
      })
    : { status: 'Success' as const };
  const record = planExecution(
    {
      id,
      documentName: config.targetId,
      ...(document ? { document } : {}),
      startTime,
      ...timing,
      ...outcome,
      executedBy: configRemediationPrincipal(state.accountId, random),
      parameters,
      trigger,
      remediation: ref,
      ...(outcome.status === 'Success' ? { fixes: ref } : {}),
    },
    random,
  );
  state.storeExecution(record);
  return record;
}

/** Plans and stores one EventBridge-started run of the tagging runbook. */
export function recordTaggingRun(
  state: RegionState,
  document: DocumentRecord,
  executedBy: string,
  resourceArn: string,
  startTime: number,
  reason: RunReason,
  random: Random,
  fixes?: ResourceRef,
  timing = runDurations(document.name, reason, random),
): AutomationExecutionRecord {
  const id = random.uuid();
  const outcome = runOutcome(reason, {
    accountId: state.accountId,
    region: state.region,
    resourceId: resourceArn,
    roleName: 'AutoTaggingAutomationRole',
    executionId: id,
    document,
  });
  const record = planExecution(
    {
      id,
      documentName: document.name,
      document,
      startTime,
      ...timing,
      ...outcome,
      executedBy,
      parameters: {
        ResourceArns: [resourceArn],
        Tags: ['{"Owner":"platform-team","CostCenter":"4410"}'],
        AutomationAssumeRole: [`arn:aws:iam::${state.accountId}:role/AutoTaggingAutomationRole`],
      },
      trigger: 'eventbridge',
      ...(fixes && outcome.status === 'Success' ? { fixes } : {}),
    },
    random,
  );
  state.storeExecution(record);
  return record;
}

/** An ARN for a Config resource key (what EventBridge passes to the tagging runbook). */
export function resourceArn(
  accountId: string,
  region: string,
  resourceType: string,
  resourceId: string,
): string {
  switch (resourceType) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${resourceId}`;
    case 'AWS::EC2::Instance':
      return `arn:aws:ec2:${region}:${accountId}:instance/${resourceId}`;
    case 'AWS::EC2::Volume':
      return `arn:aws:ec2:${region}:${accountId}:volume/${resourceId}`;
    case 'AWS::EC2::SecurityGroup':
      return `arn:aws:ec2:${region}:${accountId}:security-group/${resourceId}`;
    case 'AWS::RDS::DBInstance':
      return `arn:aws:rds:${region}:${accountId}:db:${resourceId}`;
    default:
      return `arn:aws:${resourceType.split('::')[1]?.toLowerCase() ?? 'aws'}:${region}:${accountId}:${resourceId}`;
  }
}
