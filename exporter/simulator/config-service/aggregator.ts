import { cursorTuple } from '../pagination';
import { configError, type AwsError } from '../protocol/errors';
import { InputReader, type JsonObject } from '../protocol/input';
import {
  epochSeconds,
  nextToken,
  readCursor,
  type JsonOperation,
  type RequestContext,
} from '../protocol/operation';
import type { AggregatorRecord, Evaluation } from '../world/types';
import type { RuleSummary, World } from '../world/world';
import {
  AGGREGATOR_ERRORS,
  complianceShape,
  invalidNextToken,
  PARAMETER_AND_LIMIT_ERRORS,
  regionOf,
} from './common';
import { evaluationResultShape } from './compliance';

const AGGREGATORS_DEFAULT_LIMIT = 100;
const AGGREGATE_COMPLIANCE_DEFAULT_LIMIT = 1000;
const AGGREGATE_DETAILS_DEFAULT_LIMIT = 50;
/**
 * How many (account, region, rule) rows one DescribeAggregateComplianceByConfigRules page examines. A
 * selective filter can therefore produce a page with no items but a NextToken, which AWS documents.
 */
export const AGGREGATE_SCAN_BUDGET = 2500;

const AGGREGATOR_NAME = /^[\w-]+$/;

function noSuchAggregator(): AwsError {
  return configError(
    'NoSuchConfigurationAggregatorException',
    'The configuration aggregator does not exist. Check the configuration aggregator name and try again.',
  );
}

function aggregatorShape(a: AggregatorRecord): JsonObject {
  return {
    ConfigurationAggregatorName: a.name,
    ConfigurationAggregatorArn: a.arn,
    ...(a.accountSource
      ? {
          AccountAggregationSources: [
            {
              AccountIds: a.accountSource.accountIds,
              AllAwsRegions: a.accountSource.allAwsRegions ?? false,
              ...(a.accountSource.awsRegions ? { AwsRegions: a.accountSource.awsRegions } : {}),
            },
          ],
        }
      : {}),
    ...(a.organizationSource
      ? {
          OrganizationAggregationSource: {
            RoleArn: a.organizationSource.roleArn,
            ...(a.organizationSource.awsRegions ? { AwsRegions: a.organizationSource.awsRegions } : {}),
            AllAwsRegions: a.organizationSource.allAwsRegions ?? false,
          },
        }
      : {}),
    CreationTime: epochSeconds(a.creationTime),
    LastUpdatedTime: epochSeconds(a.lastUpdatedTime),
    ...(a.createdBy ? { CreatedBy: a.createdBy } : {}),
  };
}

function requireAggregator(input: InputReader, ctx: RequestContext): AggregatorRecord {
  const name = input.requiredString('ConfigurationAggregatorName', {
    min: 1,
    max: 256,
    pattern: AGGREGATOR_NAME,
  });
  const aggregator = regionOf(ctx)?.aggregator(name);
  if (!aggregator) throw noSuchAggregator();
  return aggregator;
}

/** The (account, region) pairs an aggregator covers, sorted. */
export function aggregatedSources(
  world: World,
  aggregator: AggregatorRecord,
): Array<readonly [string, string]> {
  const source = aggregator.organizationSource ?? aggregator.accountSource;
  const accounts = aggregator.organizationSource
    ? [...(world.organization?.accountIds ?? [])]
    : [...(aggregator.accountSource?.accountIds ?? [])];
  const out: Array<readonly [string, string]> = [];
  for (const accountId of accounts.sort()) {
    const regions =
      source?.allAwsRegions || !source?.awsRegions ? world.regions(accountId) : [...source.awsRegions].sort();
    for (const region of regions) out.push([accountId, region]);
  }
  return out;
}

export const describeConfigurationAggregators: JsonOperation = {
  service: 'config',
  name: 'DescribeConfigurationAggregators',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_AND_LIMIT_ERRORS);
    const names = input.stringList('ConfigurationAggregatorNames', {
      min: 0,
      max: 10,
      itemMin: 1,
      itemMax: 256,
    });
    const limit = input.limit('Limit', 0, 100) || AGGREGATORS_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string'] as const, invalidNextToken)[0];
    const state = regionOf(ctx);
    let selected: AggregatorRecord[];
    if (names && names.length > 0) {
      selected = names.map((name) => {
        const aggregator = state?.aggregator(name);
        if (!aggregator) throw noSuchAggregator();
        return aggregator;
      });
    } else {
      selected = [...(state?.aggregators() ?? [])];
    }
    const remaining = selected
      .filter((a) => after === undefined || a.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = remaining.slice(0, limit);
    const last = page[page.length - 1];
    return {
      ConfigurationAggregators: page.map(aggregatorShape),
      ...(remaining.length > limit && last ? { NextToken: nextToken(body, ctx, [last.name]) } : {}),
    };
  },
};

export const describeAggregateComplianceByConfigRules: JsonOperation = {
  service: 'config',
  name: 'DescribeAggregateComplianceByConfigRules',
  handle(body, ctx) {
    const input = new InputReader(body, AGGREGATOR_ERRORS);
    const aggregator = requireAggregator(input, ctx);
    const filters = input.object('Filters');
    const ruleFilter = filters?.optionalString('ConfigRuleName', { min: 1, max: 128 });
    const complianceFilter = filters?.enumValue('ComplianceType', [
      'COMPLIANT',
      'NON_COMPLIANT',
      'NOT_APPLICABLE',
      'INSUFFICIENT_DATA',
    ] as const);
    if (complianceFilter === 'NOT_APPLICABLE' || complianceFilter === 'INSUFFICIENT_DATA') {
      throw AGGREGATOR_ERRORS.invalid(
        `The compliance type ${complianceFilter} is not supported. Use COMPLIANT or NON_COMPLIANT.`,
      );
    }
    const accountFilter = filters?.optionalString('AccountId', { pattern: /^\d{12}$/ });
    const regionFilter = filters?.optionalString('AwsRegion', { min: 1, max: 64 });
    const limit = input.limit('Limit', 0, 1000) || AGGREGATE_COMPLIANCE_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined
        ? undefined
        : cursorTuple(cursor, ['string', 'string', 'string'] as const, invalidNextToken);

    const sources = aggregatedSources(ctx.world, aggregator).filter(
      ([a, r]) =>
        (accountFilter === undefined || a === accountFilter) &&
        (regionFilter === undefined || r === regionFilter),
    );
    const items: JsonObject[] = [];
    let examined = 0;
    let lastKey: [string, string, string] | undefined;
    let exhausted = true;
    const consider = (accountId: string, region: string, s: RuleSummary): void => {
      // Rules without results are not listed (AWS: "Does not display rules that do not have compliance results").
      if (s.compliance !== 'COMPLIANT' && s.compliance !== 'NON_COMPLIANT') return;
      if (complianceFilter !== undefined && s.compliance !== complianceFilter) return;
      items.push({
        ConfigRuleName: s.ruleName,
        Compliance: complianceShape(s.compliance, s.nonCompliantCount),
        AccountId: accountId,
        AwsRegion: region,
      });
    };
    const pageFull = (): boolean => items.length === limit || examined === AGGREGATE_SCAN_BUDGET;
    outer: for (const [accountId, region] of sources) {
      if (after && (accountId < after[0] || (accountId === after[0] && region < after[1]))) continue;
      const samePartition = after !== undefined && accountId === after[0] && region === after[1];
      const summaries = ctx.world.ruleSummaries(accountId, region);
      if (ruleFilter !== undefined) {
        // A name filter is a direct lookup: one examined row per region.
        if (samePartition && after[2] >= ruleFilter) continue;
        if (pageFull()) {
          exhausted = false;
          break;
        }
        examined++;
        lastKey = [accountId, region, ruleFilter];
        const s = summaries[lowerBoundByName(summaries, ruleFilter)];
        if (s?.ruleName === ruleFilter) consider(accountId, region, s);
        continue;
      }
      for (let i = samePartition ? upperBoundByName(summaries, after[2]) : 0; i < summaries.length; i++) {
        if (pageFull()) {
          exhausted = false;
          break outer;
        }
        const s = summaries[i] as RuleSummary;
        examined++;
        lastKey = [accountId, region, s.ruleName];
        consider(accountId, region, s);
      }
    }
    return {
      AggregateComplianceByConfigRules: items,
      ...(!exhausted && lastKey ? { NextToken: nextToken(body, ctx, lastKey) } : {}),
    };
  },
};

function lowerBoundByName(summaries: readonly RuleSummary[], name: string): number {
  let lo = 0;
  let hi = summaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((summaries[mid] as RuleSummary).ruleName < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBoundByName(summaries: readonly RuleSummary[], name: string): number {
  let lo = 0;
  let hi = summaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((summaries[mid] as RuleSummary).ruleName <= name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const getAggregateComplianceDetailsByConfigRule: JsonOperation = {
  service: 'config',
  name: 'GetAggregateComplianceDetailsByConfigRule',
  handle(body, ctx) {
    const input = new InputReader(body, AGGREGATOR_ERRORS);
    const aggregator = requireAggregator(input, ctx);
    const ruleName = input.requiredString('ConfigRuleName', { min: 1, max: 128 });
    const accountId = input.requiredString('AccountId', { pattern: /^\d{12}$/ });
    const region = input.requiredString('AwsRegion', { min: 1, max: 64 });
    const compliance = input.enumValue('ComplianceType', [
      'COMPLIANT',
      'NON_COMPLIANT',
      'NOT_APPLICABLE',
      'INSUFFICIENT_DATA',
    ] as const);
    if (compliance === 'NOT_APPLICABLE' || compliance === 'INSUFFICIENT_DATA') {
      throw AGGREGATOR_ERRORS.invalid(
        `The compliance type ${compliance} is not supported. Use COMPLIANT or NON_COMPLIANT.`,
      );
    }
    const limit = input.limit('Limit', 0, 100) || AGGREGATE_DETAILS_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string', 'string'] as const, invalidNextToken);

    const covered = aggregatedSources(ctx.world, aggregator).some(
      ([a, r]) => a === accountId && r === region,
    );
    const store = covered
      ? ctx.world.existingRegion(accountId, region)?.evaluationStore(ruleName)
      : undefined;
    const all = store?.view() ?? [];
    const accepts = (e: Evaluation): boolean =>
      compliance !== undefined ? e.compliance === compliance : e.compliance !== 'NOT_APPLICABLE';
    const results: JsonObject[] = [];
    let last: Evaluation | undefined;
    let i = store ? store.indexAfter(after) : 0;
    for (; i < all.length && results.length < limit; i++) {
      const e = all[i] as Evaluation;
      if (!accepts(e)) continue;
      const {
        EvaluationResultIdentifier,
        ComplianceType,
        ResultRecordedTime,
        ConfigRuleInvokedTime,
        Annotation,
      } = evaluationResultShape(ruleName, e);
      results.push({
        EvaluationResultIdentifier,
        ComplianceType,
        ResultRecordedTime,
        ConfigRuleInvokedTime,
        ...(Annotation !== undefined ? { Annotation } : {}),
        AccountId: accountId,
        AwsRegion: region,
      });
      last = e;
    }
    let more = false;
    for (; i < all.length; i++) {
      if (accepts(all[i] as Evaluation)) {
        more = true;
        break;
      }
    }
    return {
      AggregateEvaluationResults: results,
      ...(more && last ? { NextToken: nextToken(body, ctx, [last.resourceType, last.resourceId]) } : {}),
    };
  },
};

export const getAggregateConfigRuleComplianceSummary: JsonOperation = {
  service: 'config',
  name: 'GetAggregateConfigRuleComplianceSummary',
  handle(body, ctx) {
    const input = new InputReader(body, AGGREGATOR_ERRORS);
    const aggregator = requireAggregator(input, ctx);
    const filters = input.object('Filters');
    const accountFilter = filters?.optionalString('AccountId', { pattern: /^\d{12}$/ });
    const regionFilter = filters?.optionalString('AwsRegion', { min: 1, max: 64 });
    const groupBy = input.enumValue('GroupByKey', ['ACCOUNT_ID', 'AWS_REGION'] as const);
    const limit = input.limit('Limit', 0, 1000) || 1000;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string'] as const, invalidNextToken)[0];

    const groups = new Map<string, { compliant: number; nonCompliant: number }>();
    for (const [accountId, region] of aggregatedSources(ctx.world, aggregator)) {
      if ((accountFilter && accountId !== accountFilter) || (regionFilter && region !== regionFilter))
        continue;
      const key = groupBy === 'ACCOUNT_ID' ? accountId : groupBy === 'AWS_REGION' ? region : '';
      const group = groups.get(key) ?? { compliant: 0, nonCompliant: 0 };
      groups.set(key, group);
      for (const s of ctx.world.ruleSummaries(accountId, region)) {
        if (s.compliance === 'COMPLIANT') group.compliant++;
        if (s.compliance === 'NON_COMPLIANT') group.nonCompliant++;
      }
    }
    const names = [...groups.keys()].sort().filter((g) => after === undefined || g > after);
    const page = names.slice(0, limit);
    const now = epochSeconds(ctx.clock.nowMs());
    const last = page[page.length - 1];
    return {
      ...(groupBy ? { GroupByKey: groupBy } : {}),
      AggregateComplianceCounts: page.map((name) => {
        const g = groups.get(name) ?? { compliant: 0, nonCompliant: 0 };
        return {
          ...(groupBy ? { GroupName: name } : {}),
          ComplianceSummary: {
            CompliantResourceCount: { CappedCount: g.compliant, CapExceeded: false },
            NonCompliantResourceCount: { CappedCount: g.nonCompliant, CapExceeded: false },
            ComplianceSummaryTimestamp: now,
          },
        };
      }),
      ...(names.length > limit && last !== undefined ? { NextToken: nextToken(body, ctx, [last]) } : {}),
    };
  },
};
