import { DataQuery } from '@grafana/schema';

import {
  ANNOTATION_QUERY_TYPES,
  CURRENT_SCHEMA_VERSION,
  DAILY_INDICATORS,
  DailyIndicator,
  Dimension,
  DIMENSIONS,
  EVENT_OUTCOMES,
  FINDING_STATES,
  KpiQuery,
  KpiVariableQuery,
  PANEL_QUERY_TYPES,
  QueryOfType,
  QueryType,
  REMEDIATION_OUTCOMES,
} from './types';

/**
 * Saved dashboards hold queries of every schema version ever released, and hand-written or generated JSON. Every
 * query goes through `migrateQuery` before it is edited or run, so the rest of the plugin only sees the current model.
 *
 * Version history:
 * - 1: first release. Queries without `schemaVersion` (written by hand, or by the create-plugin scaffold with
 *   `queryText`/`constant`) are read field by field; anything missing or malformed gets its default.
 *   Later additions that change no stored shape keep version 1: the `monitoringBegan` annotation query type (an
 *   older plugin reads it as a default daily query; no stored query of version 1 has it, so none needs converting).
 * When the model changes, raise CURRENT_SCHEMA_VERSION and convert the old shape here before `readQuery`.
 */

const DEFAULT_TABLE_LIMIT = 100;
const DEFAULT_DAILY_INDICATORS: DailyIndicator[] = ['findingsOpened', 'findingsResolved'];

type StoredQuery = DataQuery & Record<string, unknown>;

function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && allowed.some((item) => item === value);
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, fallback: T): T {
  return isOneOf(allowed, value) ? value : fallback;
}

/** A list of strings; a comma-separated string is split, anything else is dropped. */
function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter(Boolean);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function positiveInteger(value: unknown, fallback: number): number {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

const QUERY_TYPES: readonly QueryType[] = [...PANEL_QUERY_TYPES, ...ANNOTATION_QUERY_TYPES];

function isOfType<T extends QueryType>(query: KpiQuery, queryType: T): query is QueryOfType<T> {
  return query.queryType === queryType;
}

/** The query a new panel, annotation or test starts from. */
export function defaultQuery<T extends QueryType>(queryType: T, refId = 'A'): QueryOfType<T> {
  const query = readQuery({ refId, queryType });
  if (!isOfType(query, queryType)) {
    throw new Error(`no default for query type ${queryType}`);
  }
  return query;
}

function readQuery(stored: StoredQuery): KpiQuery {
  const base = {
    refId: stored.refId,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    ...(stored.hide !== undefined && { hide: stored.hide }),
    ...(stored.key !== undefined && { key: stored.key }),
    ...(stored.datasource !== undefined && { datasource: stored.datasource }),
  };
  const queryType = oneOf(QUERY_TYPES, stored.queryType, 'daily');
  switch (queryType) {
    case 'daily': {
      const indicators = stringList(stored.indicators).filter((item): item is DailyIndicator =>
        isOneOf(DAILY_INDICATORS, item)
      );
      return {
        ...base,
        queryType,
        indicators: Array.isArray(stored.indicators) ? indicators : DEFAULT_DAILY_INDICATORS,
        accountIds: stringList(stored.accountIds),
        regions: stringList(stored.regions),
        severities: stringList(stored.severities),
        timeZone: text(stored.timeZone),
      };
    }
    case 'summary':
      return { ...base, queryType };
    case 'findings':
      return {
        ...base,
        queryType,
        state: oneOf(FINDING_STATES, stored.state, 'open'),
        accountIds: stringList(stored.accountIds),
        regions: stringList(stored.regions),
        severities: stringList(stored.severities),
        rules: stringList(stored.rules),
        limit: positiveInteger(stored.limit, DEFAULT_TABLE_LIMIT),
      };
    case 'remediations':
      return {
        ...base,
        queryType,
        outcome: oneOf(REMEDIATION_OUTCOMES, stored.outcome, 'any'),
        accountIds: stringList(stored.accountIds),
        regions: stringList(stored.regions),
        rules: stringList(stored.rules),
        documents: stringList(stored.documents),
        timeZone: text(stored.timeZone),
        limit: positiveInteger(stored.limit, DEFAULT_TABLE_LIMIT),
      };
    case 'rules':
      return {
        ...base,
        queryType,
        accountIds: stringList(stored.accountIds),
        regions: stringList(stored.regions),
        severities: stringList(stored.severities),
        rules: stringList(stored.rules),
      };
    case 'remediationEvents':
      return {
        ...base,
        queryType,
        outcome: oneOf(EVENT_OUTCOMES, stored.outcome, 'finished'),
        accountIds: stringList(stored.accountIds),
        regions: stringList(stored.regions),
        rules: stringList(stored.rules),
        documents: stringList(stored.documents),
        timeZone: text(stored.timeZone),
      };
    case 'monitoringBegan':
      return {
        ...base,
        queryType,
        accountIds: stringList(stored.accountIds),
        regions: stringList(stored.regions),
      };
  }
}

/** Brings any stored query to the current model. Idempotent: a current query comes back equal. */
export function migrateQuery(stored: DataQuery): KpiQuery {
  return readQuery({ ...stored });
}

/** Variable queries: the current object form, or a bare dimension name as some provisioning tools write it. */
export function migrateVariableQuery(stored: unknown, refId = 'variable'): KpiVariableQuery {
  const fields: Record<string, unknown> = typeof stored === 'object' && stored !== null ? { ...stored } : {};
  const dimension: Dimension = oneOf(
    DIMENSIONS,
    typeof stored === 'string' ? stored.trim() : fields.dimension,
    'accounts'
  );
  return {
    refId: typeof fields.refId === 'string' ? fields.refId : refId,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    dimension,
  };
}
