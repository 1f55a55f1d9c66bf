/** Plain domain types shared by every layer. Times are epoch seconds; nothing here comes from the AWS SDK. */

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';

export const FAILURE_REASONS = [
  'access_denied',
  'throttled',
  'timeout',
  'resource_not_found',
  'invalid_parameter',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** One AWS account in one region: the unit of polling and of failure isolation. */
export interface Target {
  accountId: string;
  region: string;
}

export const targetKey = (t: Target): string => `${t.accountId}/${t.region}`;

export interface ConfigRule {
  name: string;
  /** ConfigRuleId: a rule deleted and created again under the same name gets a new one. */
  id: string;
  arn: string;
  sourceOwner: string;
  /** Managed-rule identifier (e.g. INCOMING_SSH_DISABLED) or a Lambda ARN for custom rules. */
  sourceIdentifier: string;
  /** Set only for service-linked rules, e.g. "securityhub.amazonaws.com". */
  createdBy: string | undefined;
  inputParameters: string | undefined;
  /** MaximumExecutionFrequency in seconds, for rules that run periodically. */
  periodSeconds: number | undefined;
  state: string;
}

export interface RuleCompliance {
  rule: string;
  compliance: ComplianceType;
  /** Config's own noncompliant count, capped (at 100). */
  contributors: { capped: number; capExceeded: boolean } | undefined;
}

export interface RuleEvaluationStatus {
  rule: string;
  ruleId: string | undefined;
  lastSuccessfulEvaluation: number | undefined;
  lastFailedEvaluation: number | undefined;
  lastErrorCode: string | undefined;
}

/**
 * One current result of a rule for a resource, with Config's three times (epoch seconds; undefined when
 * Config leaves them out). What each means, in the words of the Config API reference:
 */
export interface EvaluationResult {
  resourceType: string;
  resourceId: string;
  compliance: 'COMPLIANT' | 'NON_COMPLIANT';
  /**
   * EvaluationResultIdentifier.OrderingTimestamp: "The time of the event that triggered the evaluation of
   * your Amazon Web Services resources. The time can indicate when Config delivered a configuration item
   * change notification, or it can indicate when Config delivered the configuration snapshot, depending on
   * which event triggered the evaluation." For a change-triggered rule, the change that made the resource
   * (non)compliant; for a periodic one (Evaluation.OrderingTimestamp), "when Config triggered the evaluation
   * at the frequency that you specified (for example, every 24 hours)".
   */
  triggeredAt: number | undefined;
  /** EvaluationResult.ConfigRuleInvokedTime: "The time when the Config rule evaluated the Amazon Web Services resource." */
  evaluatedAt: number | undefined;
  /**
   * EvaluationResult.ResultRecordedTime: "The time when Config recorded the evaluation result." A periodic
   * rule records every result again at each evaluation, changed or not.
   */
  recordedAt: number | undefined;
  annotation: string | undefined;
}

export interface RemediationConfiguration {
  rule: string;
  document: string;
  automatic: boolean;
  /** The runbook parameter that receives the noncompliant resource's id (e.g. GroupId). */
  resourceParameter: string | undefined;
}

export type RemediationState = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface RemediationExecution {
  rule: string;
  resourceType: string;
  resourceId: string;
  state: RemediationState;
  invokedAt: number;
  updatedAt: number;
  /** The first failed step's message, when there is one. */
  errorMessage: string | undefined;
}

export interface AutomationExecution {
  id: string;
  document: string;
  status: string;
  startedAt: number;
  endedAt: number | undefined;
  failureMessage: string | undefined;
  executedBy: string | undefined;
}

/** What GetAutomationExecution adds to the listing: the runbook's parameters and why a step failed. */
export interface AutomationExecutionDetail {
  id: string;
  parameters: Record<string, string[]>;
  failureType: string | undefined;
  failureMessage: string | undefined;
}

export interface ConformancePackScore {
  pack: string;
  /** 0–1, or undefined while Config reports INSUFFICIENT_DATA. */
  score: number | undefined;
}

/** Terminal SSM Automation statuses; everything else is still running. */
export const TERMINAL_AUTOMATION_STATUSES: ReadonlySet<string> = new Set([
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'Rejected',
  'CompletedWithSuccess',
  'CompletedWithFailure',
  'Exited',
  'ChangeCalendarOverrideRejected',
]);
export const SUCCESS_AUTOMATION_STATUSES: ReadonlySet<string> = new Set(['Success', 'CompletedWithSuccess']);
