import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';

import {
  CURRENT_SCHEMA_VERSION,
  type Dimension,
  type KpiVariableQuery,
  type QueryOfType,
  type QueryType,
} from '../../plugin/src/types';
import { KPI } from './datasources';

/**
 * Targets for the Compliance Pulse KPI data source, typed by the plugin's own persisted model
 * (plugin/src/types.ts), so a renamed field or a new required one breaks the dashboards' build.
 */

/** What a dashboard chooses; the builder adds refId, queryType, schemaVersion and the data source. */
export type KpiQueryOptions<T extends QueryType> = Omit<
  QueryOfType<T>,
  'refId' | 'queryType' | 'schemaVersion' | 'datasource' | 'hide' | 'key'
>;

class KpiQueryBuilder implements Builder<Dataquery> {
  constructor(private readonly query: QueryOfType<QueryType>) {}

  build(): Dataquery {
    // cog's Dataquery is a marker interface of the SDK's own query types; a plugin query is plain JSON.
    return { ...this.query } as unknown as Dataquery;
  }
}

export function kpiQuery<T extends QueryType>(
  queryType: T,
  refId: string,
  options: KpiQueryOptions<T>,
): Builder<Dataquery> {
  const query = { refId, datasource: KPI, schemaVersion: CURRENT_SCHEMA_VERSION, queryType, ...options };
  return new KpiQueryBuilder(query as QueryOfType<T>);
}

/** The query of a template variable: one dimension's values from `/api/v1/dimensions`. */
export function kpiVariableQuery(dimension: Dimension): KpiVariableQuery {
  return { refId: 'variable', schemaVersion: CURRENT_SCHEMA_VERSION, dimension };
}

/** The filters every dashboard passes to plugin queries: its template variables, so links carry them. */
export const ACCOUNT_FILTER = ['$account_id'];
export const REGION_FILTER = ['$region'];
export const SEVERITY_FILTER = ['$severity'];
export const RULE_FILTER = ['$rule'];
