import { configError, type AwsError } from '../protocol/errors';
import type { InputErrors, InputReader } from '../protocol/input';
import type { RequestContext } from '../protocol/operation';
import type { RegionState } from '../world/region-state';
import type { ComplianceType } from '../world/types';

export const COMPLIANCE_TYPES: readonly ComplianceType[] = [
  'COMPLIANT',
  'NON_COMPLIANT',
  'NOT_APPLICABLE',
  'INSUFFICIENT_DATA',
];

/** The cap on ComplianceContributorCount for resources (assumed from Config's summary docs). */
export const CONTRIBUTOR_CAP = 100;

/** Config's non-aggregator read APIs report bad parameters as InvalidParameterValueException. */
export const PARAMETER_ERRORS: InputErrors = {
  invalid: (message) => configError('InvalidParameterValueException', message),
};

/** The aggregate-compliance APIs model InvalidLimitException and ValidationException. */
export const AGGREGATOR_ERRORS: InputErrors = {
  invalid: (message) => configError('ValidationException', message),
  limit: (message) => configError('InvalidLimitException', message),
};

/** Conformance-pack APIs and DescribeConfigurationAggregators model both parameter and limit errors. */
export const PARAMETER_AND_LIMIT_ERRORS: InputErrors = {
  invalid: (message) => configError('InvalidParameterValueException', message),
  limit: (message) => configError('InvalidLimitException', message),
};

/** Operations with no modeled error answer bad input with the service-wide ValidationException. */
export const VALIDATION_ERRORS: InputErrors = {
  invalid: (message) => configError('ValidationException', message),
};

export function invalidNextToken(): AwsError {
  return configError('InvalidNextTokenException', 'The nextToken provided is invalid');
}

export function noSuchRule(name: string): AwsError {
  return configError(
    'NoSuchConfigRuleException',
    `The ConfigRule '${name}' provided in the request is invalid. Please check the configRule name.`,
  );
}

/** Rule names accept 1–128 characters everywhere: Security Hub's names exceed the 64 some inputs model. */
export function ruleNames(input: InputReader, member = 'ConfigRuleNames', max = 25): string[] | undefined {
  return input.stringList(member, { min: 0, max, itemMin: 1, itemMax: 128 });
}

/** The caller's region state; undefined when Config is not set up there (answers are then empty). */
export function regionOf(ctx: RequestContext): RegionState | undefined {
  return ctx.world.existingRegion(ctx.accountId, ctx.region);
}

export function contributorCount(nonCompliant: number): { CappedCount: number; CapExceeded: boolean } {
  return {
    CappedCount: Math.min(nonCompliant, CONTRIBUTOR_CAP),
    CapExceeded: nonCompliant > CONTRIBUTOR_CAP,
  };
}

/** Compliance as DescribeComplianceByConfigRule and the aggregator report it. */
export function complianceShape(compliance: ComplianceType, nonCompliant: number): Record<string, unknown> {
  return compliance === 'NON_COMPLIANT'
    ? { ComplianceType: compliance, ComplianceContributorCount: contributorCount(nonCompliant) }
    : { ComplianceType: compliance };
}

/** Whether a rule is a service-linked rule whose results only its owning service may read. */
export function detailsHidden(rule: { createdBy?: string; visibility?: string }): boolean {
  return rule.createdBy !== undefined || rule.visibility === 'INTERNAL';
}
