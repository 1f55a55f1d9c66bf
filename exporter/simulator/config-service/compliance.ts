import { cursorTuple } from '../pagination';
import { AwsError, configError } from '../protocol/errors';
import { InputReader, type JsonObject } from '../protocol/input';
import { epochSeconds, nextToken, readCursor, type JsonOperation } from '../protocol/operation';
import type { ComplianceType, ConfigRuleRecord, Evaluation } from '../world/types';
import {
  COMPLIANCE_TYPES,
  complianceShape,
  CONTRIBUTOR_CAP,
  detailsHidden,
  invalidNextToken,
  noSuchRule,
  PARAMETER_ERRORS,
  regionOf,
  ruleNames,
} from './common';
import { pageOfRules, seqCursor } from './rules';

const COMPLIANCE_PAGE_SIZE = 25;
const DETAILS_DEFAULT_LIMIT = 10;
/** GetComplianceSummaryByConfigRule counts rules, capped at 25 each. */
const RULE_SUMMARY_CAP = 25;

export function evaluationResultShape(ruleName: string, e: Evaluation): JsonObject {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: ruleName,
        ResourceType: e.resourceType,
        ResourceId: e.resourceId,
        EvaluationMode: 'DETECTIVE',
      },
      OrderingTimestamp: epochSeconds(e.orderingTime),
    },
    ComplianceType: e.compliance,
    ResultRecordedTime: epochSeconds(e.recordedTime),
    ConfigRuleInvokedTime: epochSeconds(e.invokedTime),
    ...(e.annotation !== undefined ? { Annotation: e.annotation } : {}),
  };
}

export const describeComplianceByConfigRule: JsonOperation = {
  service: 'config',
  name: 'DescribeComplianceByConfigRule',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    const names = ruleNames(input);
    const types = input.stringList('ComplianceTypes', { min: 0, max: 3, enumValues: COMPLIANCE_TYPES });
    const state = regionOf(ctx);
    const wanted = types && types.length > 0 ? new Set(types) : undefined;
    const complianceOf = (rule: ConfigRuleRecord): ComplianceType =>
      state ? state.reportedCompliance(rule.name) : 'INSUFFICIENT_DATA';
    const page = pageOfRules(state, names, seqCursor(body, ctx), COMPLIANCE_PAGE_SIZE, (rule) =>
      wanted ? wanted.has(complianceOf(rule)) : true,
    );
    return {
      ComplianceByConfigRules: page.rules.map((rule) => {
        const compliance = complianceOf(rule);
        const nonCompliant = state?.complianceCounts(rule.name).NON_COMPLIANT ?? 0;
        return { ConfigRuleName: rule.name, Compliance: complianceShape(compliance, nonCompliant) };
      }),
      ...(page.more ? { NextToken: nextToken(body, ctx, [page.lastSeq]) } : {}),
    };
  },
};

export const getComplianceDetailsByConfigRule: JsonOperation = {
  service: 'config',
  name: 'GetComplianceDetailsByConfigRule',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    const ruleName = input.requiredString('ConfigRuleName', { min: 1, max: 128 });
    const types = input.stringList('ComplianceTypes', { min: 0, max: 3, enumValues: COMPLIANCE_TYPES });
    if (types?.includes('INSUFFICIENT_DATA')) {
      throw configError(
        'InvalidParameterValueException',
        'INSUFFICIENT_DATA cannot be used as a ComplianceType for filtering results.',
      );
    }
    const limit = input.limit('Limit', 0, 100) || DETAILS_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string', 'string'] as const, invalidNextToken);

    const state = regionOf(ctx);
    const rule = state?.rule(ruleName);
    if (!state || !rule) throw noSuchRule(ruleName);
    if (detailsHidden(rule)) {
      throw new AwsError(
        'AccessDeniedException',
        'An AWS service owns ServiceLinkedConfigRule. You do not have permissions to take action on this rule.',
      );
    }
    const store = state.evaluationStore(ruleName);
    const all = store?.view() ?? [];
    const wanted = types && types.length > 0 ? new Set<string>(types) : undefined;
    const results: JsonObject[] = [];
    let last: Evaluation | undefined;
    let i = store ? store.indexAfter(after) : 0;
    for (; i < all.length && results.length < limit; i++) {
      const e = all[i] as Evaluation;
      if (wanted && !wanted.has(e.compliance)) continue;
      results.push(evaluationResultShape(ruleName, e));
      last = e;
    }
    let more = false;
    for (; i < all.length; i++) {
      if (!wanted || wanted.has((all[i] as Evaluation).compliance)) {
        more = true;
        break;
      }
    }
    return {
      EvaluationResults: results,
      ...(more && last ? { NextToken: nextToken(body, ctx, [last.resourceType, last.resourceId]) } : {}),
    };
  },
};

export const getComplianceSummaryByConfigRule: JsonOperation = {
  service: 'config',
  name: 'GetComplianceSummaryByConfigRule',
  handle(_body, ctx) {
    const state = regionOf(ctx);
    let compliant = 0;
    let nonCompliant = 0;
    for (const rule of state?.rules() ?? []) {
      const compliance = state?.reportedCompliance(rule.name);
      if (compliance === 'COMPLIANT') compliant++;
      if (compliance === 'NON_COMPLIANT') nonCompliant++;
    }
    const capped = (n: number) => ({
      CappedCount: Math.min(n, RULE_SUMMARY_CAP),
      CapExceeded: n > RULE_SUMMARY_CAP,
    });
    return {
      ComplianceSummary: {
        CompliantResourceCount: capped(compliant),
        NonCompliantResourceCount: capped(nonCompliant),
        ComplianceSummaryTimestamp: epochSeconds(ctx.clock.nowMs()),
      },
    };
  },
};

export const getComplianceSummaryByResourceType: JsonOperation = {
  service: 'config',
  name: 'GetComplianceSummaryByResourceType',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    const types = input.stringList('ResourceTypes', { min: 0, max: 20, itemMin: 1, itemMax: 256 });
    const state = regionOf(ctx);
    // A resource is noncompliant if any rule says so, compliant if some rule says so and none disagrees.
    const verdicts = new Map<string, Map<string, boolean>>();
    for (const rule of state?.rules() ?? []) {
      for (const e of state?.evaluations(rule.name) ?? []) {
        if (
          e.compliance === 'NOT_APPLICABLE' ||
          (types && types.length > 0 && !types.includes(e.resourceType))
        )
          continue;
        let byId = verdicts.get(e.resourceType);
        if (!byId) verdicts.set(e.resourceType, (byId = new Map()));
        byId.set(e.resourceId, (byId.get(e.resourceId) ?? false) || e.compliance === 'NON_COMPLIANT');
      }
    }
    const capped = (n: number) => ({
      CappedCount: Math.min(n, CONTRIBUTOR_CAP),
      CapExceeded: n > CONTRIBUTOR_CAP,
    });
    const summary = (resourceType: string | undefined, byIds: Array<Map<string, boolean>>): JsonObject => {
      let compliant = 0;
      let nonCompliant = 0;
      for (const byId of byIds) {
        for (const bad of byId.values()) {
          if (bad) nonCompliant++;
          else compliant++;
        }
      }
      return {
        ...(resourceType !== undefined ? { ResourceType: resourceType } : {}),
        ComplianceSummary: {
          CompliantResourceCount: capped(compliant),
          NonCompliantResourceCount: capped(nonCompliant),
          ComplianceSummaryTimestamp: epochSeconds(ctx.clock.nowMs()),
        },
      };
    };
    const list =
      types && types.length > 0
        ? types.map((t) => summary(t, [verdicts.get(t) ?? new Map()]))
        : [summary(undefined, [...verdicts.values()])];
    return { ComplianceSummariesByResourceType: list };
  },
};
