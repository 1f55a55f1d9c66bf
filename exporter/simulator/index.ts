/**
 * The simulated AWS account: AWS Config and SSM (JSON 1.1) and STS (Query) on one HTTP port, for tests,
 * benchmarks and the demo. Nothing in exporter/src imports this.
 */
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator';
export { startDemoAccount, type DemoAccount } from './demo';
export type { CallLogEntry } from './call-log';
export type { SimClock, ClockMode } from './clock';
export type { Fault, FaultEffect, FaultScope } from './faults';
export type { LiveOptions } from './live-transitions';
export { AWS_RATE_LIMITS, type RateLimit, type RateLimitPreset, type RateLimitTable } from './rate-limit';
export type { ScenarioName } from './scenario';
export { SCENARIOS } from './scenario';
export {
  COMMON_PORTS_RULE,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGIONS,
  FAILING_RULE,
  isLegacySecurityGroup,
  REQUIRED_TAGS_RULE,
  SECURITY_HUB,
  STALE_RULE,
} from './scenario/default';
export { LARGE_ACCOUNT_ID, LARGE_REGIONS } from './scenario/large';
export {
  AGGREGATOR_NAME,
  MANAGEMENT_ACCOUNT_ID,
  MEMBER_COUNT,
  ORGANIZATION_REGIONS,
} from './scenario/organization';
export { READ_ONLY_ROLE } from './scenario/types';
export { CUSTOM_SECURITY_GROUP_RUNBOOK, TAGGING_RUNBOOK } from './scenario/runbooks';
export type {
  AutomationExecutionSummary,
  EvaluationCounts,
  FinishedRemediation,
  NoncompliantResource,
  RegionSummary,
  ResourceIdentifier,
  RuleState,
  Truth,
} from './truth';
export type { World, RuleSummary, Organization } from './world/world';
export type {
  EvaluationInput,
  ExecutionInput,
  RegionState,
  RemediationConfigInput,
  RuleInput,
} from './world/region-state';
export type { ComplianceCounts } from './world/evaluation-store';
export type { AutomationExecutionView, RemediationStatusView, StepView } from './world/execution-view';
export type * from './world/types';
