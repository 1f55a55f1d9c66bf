import { cursorTuple } from '../pagination';
import { configError } from '../protocol/errors';
import { InputReader, type JsonObject } from '../protocol/input';
import { epochSeconds, nextToken, readCursor, type JsonOperation } from '../protocol/operation';
import type { ConformancePackRecord } from '../world/types';
import { PARAMETER_AND_LIMIT_ERRORS, invalidNextToken, regionOf } from './common';

const SCORES_DEFAULT_LIMIT = 20;
const PACK_COMPLIANCE_DEFAULT_LIMIT = 1000;
const PACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

/** Config reports the score as a string percentage, or INSUFFICIENT_DATA when the pack has no results. */
export function formatScore(score: number | undefined): string {
  return score === undefined ? 'INSUFFICIENT_DATA' : String(Math.round(score * 100) / 100);
}

export const listConformancePackComplianceScores: JsonOperation = {
  service: 'config',
  name: 'ListConformancePackComplianceScores',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_AND_LIMIT_ERRORS);
    const filters = input.object('Filters');
    const names = filters?.stringList('ConformancePackNames', { min: 1, max: 25, itemMin: 1, itemMax: 256 });
    if (filters && !names) {
      throw PARAMETER_AND_LIMIT_ERRORS.invalid(
        "1 validation error detected: Value null at 'filters.conformancePackNames' failed to satisfy constraint: Member must not be null",
      );
    }
    const sortOrder = input.enumValue('SortOrder', ['ASCENDING', 'DESCENDING'] as const) ?? 'ASCENDING';
    const sortBy = input.enumValue('SortBy', ['SCORE'] as const);
    const limit = input.limit('Limit', 0, 20) || SCORES_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    // The cursor lists the packs already served: scores move between pages, and a pack must never come twice.
    if (cursor !== undefined && (!Array.isArray(cursor) || cursor.some((n) => typeof n !== 'string'))) {
      throw invalidNextToken();
    }
    const served = new Set<string>((cursor as string[] | undefined) ?? []);

    const state = regionOf(ctx);
    const packs = (state?.conformancePacks() ?? []).filter((p) => !names || names.includes(p.name));
    const scored = packs.map((pack) => ({ pack, score: state?.conformancePackScore(pack.name) }));
    const direction = sortOrder === 'DESCENDING' ? -1 : 1;
    scored.sort((a, b) => {
      const byScore = sortBy === 'SCORE' ? (a.score ?? -1) - (b.score ?? -1) : 0;
      return direction * (byScore || (a.pack.name < b.pack.name ? -1 : a.pack.name > b.pack.name ? 1 : 0));
    });
    const remaining = scored.filter((s) => !served.has(s.pack.name));
    const page = remaining.slice(0, limit);
    const now = ctx.clock.nowMs();
    return {
      ConformancePackComplianceScores: page.map(({ pack, score }) => ({
        Score: formatScore(score),
        ConformancePackName: pack.name,
        LastUpdatedTime: epochSeconds(state?.conformancePackUpdatedTime(pack.name) ?? now),
      })),
      ...(remaining.length > limit
        ? { NextToken: nextToken(body, ctx, [...served, ...page.map((s) => s.pack.name)]) }
        : {}),
    };
  },
};

export const describeConformancePackCompliance: JsonOperation = {
  service: 'config',
  name: 'DescribeConformancePackCompliance',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_AND_LIMIT_ERRORS);
    const packName = input.requiredString('ConformancePackName', { min: 1, max: 256, pattern: PACK_NAME });
    const filters = input.object('Filters');
    const ruleFilter = filters?.stringList('ConfigRuleNames', { min: 0, max: 10, itemMin: 1, itemMax: 128 });
    const complianceFilter = filters?.enumValue('ComplianceType', [
      'COMPLIANT',
      'NON_COMPLIANT',
      'INSUFFICIENT_DATA',
    ] as const);
    if (complianceFilter === 'INSUFFICIENT_DATA') {
      throw PARAMETER_AND_LIMIT_ERRORS.invalid(
        'INSUFFICIENT_DATA is not supported as a ComplianceType filter.',
      );
    }
    const limit = input.limit('Limit', 0, 1000) || PACK_COMPLIANCE_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string'] as const, invalidNextToken)[0];

    const state = regionOf(ctx);
    const pack: ConformancePackRecord | undefined = state?.conformancePack(packName);
    if (!state || !pack) {
      throw configError('NoSuchConformancePackException', `Conformance pack ${packName} does not exist.`);
    }
    for (const name of ruleFilter ?? []) {
      if (!pack.ruleNames.includes(name)) {
        throw configError(
          'NoSuchConfigRuleInConformancePackException',
          `Config rule ${name} does not exist in conformance pack ${packName}.`,
        );
      }
    }
    const rows: JsonObject[] = [];
    const sortedRules = [...pack.ruleNames].sort();
    let last: string | undefined;
    let more = false;
    for (const ruleName of sortedRules) {
      if (after !== undefined && ruleName <= after) continue;
      if (ruleFilter && ruleFilter.length > 0 && !ruleFilter.includes(ruleName)) continue;
      const compliance = state.rule(ruleName) ? state.ruleCompliance(ruleName) : 'INSUFFICIENT_DATA';
      if (complianceFilter && compliance !== complianceFilter) continue;
      if (rows.length === limit) {
        more = true;
        break;
      }
      rows.push({
        ConfigRuleName: ruleName,
        ComplianceType: compliance === 'NOT_APPLICABLE' ? 'INSUFFICIENT_DATA' : compliance,
      });
      last = ruleName;
    }
    return {
      ConformancePackName: packName,
      ConformancePackRuleComplianceList: rows,
      ...(more && last !== undefined ? { NextToken: nextToken(body, ctx, [last]) } : {}),
    };
  },
};
