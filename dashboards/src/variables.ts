import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import type { Dimension } from '../../plugin/src/types';
import { KPI, PROMETHEUS } from './datasources';
import { kpiVariableQuery } from './plugin-query';

/**
 * Template variables. Every dashboard names them alike (account_id, region, severity, rule), so links that carry
 * variables keep the selection from one dashboard to the next.
 */

const ALL: dashboard.VariableOption = { selected: true, text: ['All'], value: ['$__all'] };

function multiValue(name: string, label: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .multi(true)
    .includeAll(true)
    .current(ALL)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

/**
 * A Prometheus label's values. "All" is the regex `.*`, so an account that appears while a wall screen runs for days
 * is included without reloading the dashboard. Only for dashboards whose queries are all PromQL.
 */
export function prometheusVariable(
  name: string,
  label: string,
  labelValuesQuery: string,
): dashboard.QueryVariableBuilder {
  return multiValue(name, label)
    .datasource(PROMETHEUS)
    .query(labelValuesQuery)
    .definition(labelValuesQuery)
    .allValue('.*');
}

/**
 * A dimension of the exporter's JSON API (`/api/v1/dimensions`) whose "All" stands for every listed value: the plugin
 * sends them as a comma-separated filter, and PromQL receives them as a regex alternation. Right for accounts and
 * regions, which every finding and execution has.
 */
export function kpiVariable(
  name: string,
  label: string,
  dimension: Dimension,
): dashboard.QueryVariableBuilder {
  return multiValue(name, label)
    .datasource(KPI)
    .query({ ...kpiVariableQuery(dimension) })
    .definition(`Compliance Pulse ${dimension}`);
}

/**
 * "All" as the plugin's "no filter". Grafana passes a custom all-value through unformatted, and the plugin drops blank
 * entries after splitting on commas, so this blank becomes an empty filter list. Listing every value instead would
 * not be the same: the exporter then drops remediations that have no rule (or no rule severity), such as tagging
 * runbook runs.
 */
export const PLUGIN_NO_FILTER = ' ';

/** A dimension used only in plugin filters (never in PromQL, where the blank would match nothing). */
export function kpiFilterVariable(
  name: string,
  label: string,
  dimension: Dimension,
): dashboard.QueryVariableBuilder {
  return kpiVariable(name, label, dimension).allValue(PLUGIN_NO_FILTER);
}
