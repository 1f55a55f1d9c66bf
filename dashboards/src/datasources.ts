/**
 * The two data sources every dashboard uses, referenced by the fixed uids that
 * provisioning/grafana/datasources/datasources.yml gives them (no `__inputs`: the dashboards are provisioned).
 */

export const PROMETHEUS_UID = 'prometheus';
export const PROMETHEUS = { type: 'prometheus', uid: PROMETHEUS_UID };

/** plugin/src/plugin.json `id`: the data source for the exporter's JSON API. */
export const KPI_PLUGIN_ID = 'compliancepulse-kpi-datasource';
export const KPI_UID = 'compliance-pulse-kpi';
export const KPI = { type: KPI_PLUGIN_ID, uid: KPI_UID };

export const DATASOURCE_UIDS: readonly string[] = [PROMETHEUS_UID, KPI_UID];
