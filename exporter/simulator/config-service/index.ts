import type { JsonOperation } from '../protocol/operation';
import {
  describeAggregateComplianceByConfigRules,
  describeConfigurationAggregators,
  getAggregateComplianceDetailsByConfigRule,
  getAggregateConfigRuleComplianceSummary,
} from './aggregator';
import {
  describeComplianceByConfigRule,
  getComplianceDetailsByConfigRule,
  getComplianceSummaryByConfigRule,
  getComplianceSummaryByResourceType,
} from './compliance';
import { describeConformancePackCompliance, listConformancePackComplianceScores } from './conformance-packs';
import {
  describeRemediationConfigurations,
  describeRemediationExceptions,
  describeRemediationExecutionStatus,
} from './remediation';
import { describeConfigRuleEvaluationStatus, describeConfigRules } from './rules';

/** AWS Config (`StarlingDoveService.*`) operations the simulator answers. */
export const CONFIG_OPERATIONS: readonly JsonOperation[] = [
  describeConfigRules,
  describeComplianceByConfigRule,
  getComplianceDetailsByConfigRule,
  getComplianceSummaryByConfigRule,
  getComplianceSummaryByResourceType,
  describeConfigRuleEvaluationStatus,
  describeRemediationConfigurations,
  describeRemediationExecutionStatus,
  describeRemediationExceptions,
  describeConfigurationAggregators,
  describeAggregateComplianceByConfigRules,
  getAggregateComplianceDetailsByConfigRule,
  getAggregateConfigRuleComplianceSummary,
  describeConformancePackCompliance,
  listConformancePackComplianceScores,
];
