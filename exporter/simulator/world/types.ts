/**
 * The simulated account's state, in the simulator's own terms: camelCase fields and epoch-millisecond
 * times. The wire serializers (config-service/, ssm/) turn these into AWS's shapes.
 */

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';
/** Config never stores INSUFFICIENT_DATA on an individual evaluation result. */
export type EvaluationCompliance = Exclude<ComplianceType, 'INSUFFICIENT_DATA'>;
export type MaximumExecutionFrequency =
  'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';
export type RuleOwner = 'AWS' | 'CUSTOM_LAMBDA' | 'CUSTOM_POLICY';
export type ConfigRuleState = 'ACTIVE' | 'DELETING' | 'DELETING_RESULTS' | 'EVALUATING';
export type RuleMessageType =
  | 'ConfigurationItemChangeNotification'
  | 'ConfigurationSnapshotDeliveryCompleted'
  | 'ScheduledNotification'
  | 'OversizedConfigurationItemChangeNotification';

export const FREQUENCY_MS: Readonly<Record<MaximumExecutionFrequency, number>> = {
  One_Hour: 3_600_000,
  Three_Hours: 3 * 3_600_000,
  Six_Hours: 6 * 3_600_000,
  Twelve_Hours: 12 * 3_600_000,
  TwentyFour_Hours: 24 * 3_600_000,
};

export interface RuleEvaluationStatus {
  firstActivatedTime: number;
  firstEvaluationStarted: boolean;
  lastSuccessfulInvocationTime?: number;
  lastFailedInvocationTime?: number;
  lastSuccessfulEvaluationTime?: number;
  lastFailedEvaluationTime?: number;
  lastErrorCode?: string;
  lastErrorMessage?: string;
}

export interface ConfigRuleRecord {
  /** Creation order within the region; DescribeConfigRules answers in this order. */
  readonly seq: number;
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  description?: string;
  owner: RuleOwner;
  /** Managed-rule identifier (e.g. `INCOMING_SSH_DISABLED`) or a Lambda ARN. */
  sourceIdentifier: string;
  /** Only for custom rules; managed rules carry no SourceDetails. */
  sourceDetails?: Array<{
    messageType: RuleMessageType;
    maximumExecutionFrequency?: MaximumExecutionFrequency;
  }>;
  resourceTypes?: string[];
  /** JSON text, as Config returns it. */
  inputParameters?: string;
  maximumExecutionFrequency?: MaximumExecutionFrequency;
  state: ConfigRuleState;
  /** Service principal of a service-linked rule, e.g. `securityhub.amazonaws.com`. */
  createdBy?: string;
  visibility?: 'EXTERNAL' | 'INTERNAL';
  evaluationStatus: RuleEvaluationStatus;
  /** Simulation-only: a stalled periodic rule is never re-evaluated by live mode. */
  stalled?: boolean;
}

export interface Evaluation {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: EvaluationCompliance;
  readonly orderingTime: number;
  readonly recordedTime: number;
  readonly invokedTime: number;
  readonly annotation?: string;
}

export type RemediationParameterValue = { resourceValue: 'RESOURCE_ID' } | { staticValues: string[] };

export interface RemediationConfigRecord {
  readonly ruleName: string;
  /** SSM document name (TargetId). */
  targetId: string;
  targetVersion?: string;
  parameters: Record<string, RemediationParameterValue>;
  resourceType?: string;
  automatic: boolean;
  maximumAutomaticAttempts?: number;
  retryAttemptSeconds?: number;
  concurrentExecutionRatePercentage?: number;
  errorPercentage?: number;
  arn: string;
  createdByService?: string;
}

export type AutomationStatus =
  | 'Pending'
  | 'InProgress'
  | 'Waiting'
  | 'Success'
  | 'TimedOut'
  | 'Cancelling'
  | 'Cancelled'
  | 'Failed'
  | 'PendingApproval'
  | 'Approved'
  | 'Rejected'
  | 'Scheduled'
  | 'RunbookInProgress'
  | 'PendingChangeCalendarOverride'
  | 'ChangeCalendarOverrideApproved'
  | 'ChangeCalendarOverrideRejected'
  | 'CompletedWithSuccess'
  | 'CompletedWithFailure'
  | 'Exited';

export const AUTOMATION_STATUSES: readonly AutomationStatus[] = [
  'Pending',
  'InProgress',
  'Waiting',
  'Success',
  'TimedOut',
  'Cancelling',
  'Cancelled',
  'Failed',
  'PendingApproval',
  'Approved',
  'Rejected',
  'Scheduled',
  'RunbookInProgress',
  'PendingChangeCalendarOverride',
  'ChangeCalendarOverrideApproved',
  'ChangeCalendarOverrideRejected',
  'CompletedWithSuccess',
  'CompletedWithFailure',
  'Exited',
];

/** The terminal statuses an execution the simulator plans can end in. */
export type FinalStatus = 'Success' | 'Failed' | 'TimedOut' | 'Cancelled';

export type FailureStage = 'InputValidation' | 'PreVerification' | 'Invocation' | 'PostVerification';
export type FailureType = 'Action' | 'Permission' | 'Throttling' | 'Verification' | 'Internal';

export interface StepFailure {
  message: string;
  details?: { stage: FailureStage; type: FailureType; details?: Record<string, string[]> };
}

/** One step as it will run: the simulator plans whole timelines and projects them onto "now". */
export interface StepPlan {
  readonly stepExecutionId: string;
  readonly name: string;
  readonly action: string;
  readonly onFailure?: string;
  readonly isCritical?: boolean;
  readonly isEnd?: boolean;
  readonly nextStep?: string;
  readonly timeoutSeconds?: number;
  readonly maxAttempts?: number;
  readonly inputs?: Record<string, string>;
  readonly startTime: number;
  readonly endTime: number;
  readonly status: FinalStatus;
  readonly failure?: StepFailure;
  readonly outputs?: Record<string, string[]>;
}

/** Why an execution ran: a Config remediation, an EventBridge rule, or a person. */
export type ExecutionTrigger = 'config-remediation' | 'eventbridge' | 'manual';

export interface ResourceRef {
  readonly ruleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
}

export interface AutomationExecutionRecord {
  readonly id: string;
  readonly documentName: string;
  readonly documentVersion: string;
  /** ExecutionStartTime; the execution is Pending from here. */
  readonly startTime: number;
  /** Pending → InProgress. */
  readonly runningTime: number;
  /** InProgress → finalStatus; ExecutionEndTime. */
  readonly endTime: number;
  readonly finalStatus: FinalStatus;
  readonly executedBy: string;
  readonly mode: 'Auto' | 'Interactive';
  readonly parameters: Record<string, string[]>;
  readonly outputs?: Record<string, string[]>;
  readonly failureMessage?: string;
  readonly steps: readonly StepPlan[];
  readonly trigger: ExecutionTrigger;
  /** For Config remediations: the (rule, resource) key whose remediation status this execution is. */
  readonly remediation?: ResourceRef;
  /** The evaluation that turns COMPLIANT when this execution succeeds (remediations and the tagging runbook). */
  readonly fixes?: ResourceRef;
}

export interface DocumentParameter {
  name: string;
  type: 'String' | 'StringList';
  description?: string;
  defaultValue?: string;
}

export interface DocumentStep {
  name: string;
  action: string;
  onFailure?: string;
  isCritical?: boolean;
  timeoutSeconds?: number;
  maxAttempts?: number;
  inputs?: Record<string, string>;
  /** The AWS API the step calls (`ec2:RevokeSecurityGroupIngress`), used to phrase failures. */
  api?: string;
}

export interface DocumentRecord {
  readonly name: string;
  /** `Amazon` for AWS-owned runbooks, else the owning account id. */
  owner: string;
  documentVersion: string;
  description: string;
  createdDate: number;
  parameters: DocumentParameter[];
  steps: DocumentStep[];
  hash: string;
  displayName?: string;
  targetType?: string;
}

export interface ConformancePackRecord {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  ruleNames: string[];
}

export interface AggregatorRecord {
  readonly name: string;
  readonly arn: string;
  creationTime: number;
  lastUpdatedTime: number;
  /** Organization-wide aggregator: covers every account of the simulated organization. */
  organizationSource?: { roleArn: string; awsRegions?: string[]; allAwsRegions?: boolean };
  accountSource?: { accountIds: string[]; awsRegions?: string[]; allAwsRegions?: boolean };
  createdBy?: string;
}

export interface RoleRecord {
  readonly accountId: string;
  readonly roleName: string;
  externalId?: string;
  maxSessionDurationSeconds: number;
}
