import { InputReader, type JsonObject } from '../protocol/input';
import { cursorTuple } from '../pagination';
import {
  epochSeconds,
  nextToken,
  readCursor,
  type JsonOperation,
  type RequestContext,
} from '../protocol/operation';
import type { ConfigRuleRecord } from '../world/types';
import type { RegionState } from '../world/region-state';
import { invalidNextToken, noSuchRule, PARAMETER_ERRORS, regionOf, ruleNames } from './common';

const RULES_PAGE_SIZE = 25;
const STATUS_DEFAULT_LIMIT = 50;

export function configRuleShape(rule: ConfigRuleRecord): JsonObject {
  return {
    ConfigRuleName: rule.name,
    ConfigRuleArn: rule.arn,
    ConfigRuleId: rule.id,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.resourceTypes ? { Scope: { ComplianceResourceTypes: rule.resourceTypes } } : {}),
    Source: {
      Owner: rule.owner,
      SourceIdentifier: rule.sourceIdentifier,
      ...(rule.sourceDetails
        ? {
            SourceDetails: rule.sourceDetails.map((d) => ({
              EventSource: 'aws.config',
              MessageType: d.messageType,
              ...(d.maximumExecutionFrequency
                ? { MaximumExecutionFrequency: d.maximumExecutionFrequency }
                : {}),
            })),
          }
        : {}),
    },
    ...(rule.inputParameters !== undefined ? { InputParameters: rule.inputParameters } : {}),
    ...(rule.maximumExecutionFrequency ? { MaximumExecutionFrequency: rule.maximumExecutionFrequency } : {}),
    ConfigRuleState: rule.state,
    ...(rule.createdBy ? { CreatedBy: rule.createdBy } : {}),
    EvaluationModes: [{ Mode: 'DETECTIVE' }],
    ...(rule.visibility ? { RuleEvaluationVisibility: rule.visibility } : {}),
  };
}

/**
 * Rules selected by an optional name list, in creation order, as a page of at most `pageSize` starting
 * after the cursor. Unknown names are NoSuchConfigRuleException.
 */
export function pageOfRules(
  state: RegionState | undefined,
  names: string[] | undefined,
  afterSeq: number | undefined,
  pageSize: number,
  accept: (rule: ConfigRuleRecord) => boolean = () => true,
): { rules: ConfigRuleRecord[]; lastSeq: number | undefined; more: boolean } {
  if (names && names.length > 0) {
    const selected = names.map((name) => {
      const rule = state?.rule(name);
      if (!rule) throw noSuchRule(name);
      return rule;
    });
    const unique = [...new Set(selected)]
      .sort((a, b) => a.seq - b.seq)
      .filter((r) => afterSeq === undefined || r.seq > afterSeq);
    const filtered = unique.filter(accept);
    const page = filtered.slice(0, pageSize);
    return { rules: page, lastSeq: page[page.length - 1]?.seq, more: filtered.length > pageSize };
  }
  if (!state) return { rules: [], lastSeq: undefined, more: false };
  const all = state.rules();
  const rules: ConfigRuleRecord[] = [];
  let i = state.ruleIndexAfter(afterSeq);
  for (; i < all.length && rules.length < pageSize; i++) {
    const rule = all[i] as ConfigRuleRecord;
    if (accept(rule)) rules.push(rule);
  }
  let more = false;
  for (; i < all.length; i++) {
    if (accept(all[i] as ConfigRuleRecord)) {
      more = true;
      break;
    }
  }
  return { rules, lastSeq: rules[rules.length - 1]?.seq, more };
}

export function seqCursor(input: JsonObject, ctx: RequestContext): number | undefined {
  const cursor = readCursor(input, ctx, invalidNextToken);
  return cursor === undefined ? undefined : cursorTuple(cursor, ['number'] as const, invalidNextToken)[0];
}

export const describeConfigRules: JsonOperation = {
  service: 'config',
  name: 'DescribeConfigRules',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    const names = ruleNames(input);
    const filters = input.object('Filters');
    const mode = filters?.enumValue('EvaluationMode', ['DETECTIVE', 'PROACTIVE'] as const);
    const visibility = filters?.enumValue('RuleEvaluationVisibility', ['EXTERNAL', 'INTERNAL'] as const);
    const afterSeq = seqCursor(body, ctx);
    const accept = (rule: ConfigRuleRecord): boolean =>
      mode !== 'PROACTIVE' &&
      (visibility === undefined || (visibility === 'INTERNAL') === (rule.visibility === 'INTERNAL'));
    const page = pageOfRules(regionOf(ctx), names, afterSeq, RULES_PAGE_SIZE, accept);
    return {
      ConfigRules: page.rules.map(configRuleShape),
      ...(page.more ? { NextToken: nextToken(body, ctx, [page.lastSeq]) } : {}),
    };
  },
};

export const describeConfigRuleEvaluationStatus: JsonOperation = {
  service: 'config',
  name: 'DescribeConfigRuleEvaluationStatus',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    const names = ruleNames(input);
    const limit = input.limit('Limit', 0, 50) || STATUS_DEFAULT_LIMIT;
    const page = pageOfRules(regionOf(ctx), names, seqCursor(body, ctx), limit);
    return {
      ConfigRulesEvaluationStatus: page.rules.map((rule) => {
        const s = rule.evaluationStatus;
        const time = (ms: number | undefined): number | undefined =>
          ms === undefined ? undefined : epochSeconds(ms);
        return omitUndefined({
          ConfigRuleName: rule.name,
          ConfigRuleArn: rule.arn,
          ConfigRuleId: rule.id,
          LastSuccessfulInvocationTime: time(s.lastSuccessfulInvocationTime),
          LastFailedInvocationTime: time(s.lastFailedInvocationTime),
          LastSuccessfulEvaluationTime: time(s.lastSuccessfulEvaluationTime),
          LastFailedEvaluationTime: time(s.lastFailedEvaluationTime),
          FirstActivatedTime: epochSeconds(s.firstActivatedTime),
          LastErrorCode: s.lastErrorCode,
          LastErrorMessage: s.lastErrorMessage,
          FirstEvaluationStarted: s.firstEvaluationStarted,
        });
      }),
      ...(page.more ? { NextToken: nextToken(body, ctx, [page.lastSeq]) } : {}),
    };
  },
};

function omitUndefined(record: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
