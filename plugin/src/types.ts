import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/**
 * The persisted model: everything here ends up in dashboard JSON. Change it only together with `migrations.ts`
 * (raise CURRENT_SCHEMA_VERSION and migrate the old shape).
 */
export const CURRENT_SCHEMA_VERSION = 1;

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Query types offered in the panel query editor. */
export const PANEL_QUERY_TYPES = ['daily', 'summary', 'findings', 'remediations', 'rules'] as const;
export type PanelQueryType = (typeof PANEL_QUERY_TYPES)[number];
/**
 * Annotation queries, not offered for panels: remediation executions, and the moment monitoring of the selected
 * accounts and regions began (where the daily findings figures start).
 */
export const ANNOTATION_QUERY_TYPES = ['remediationEvents', 'monitoringBegan'] as const;
export type AnnotationQueryType = (typeof ANNOTATION_QUERY_TYPES)[number];
export type QueryType = PanelQueryType | AnnotationQueryType;

export const DAILY_INDICATORS = [
  'findingsOpened',
  'findingsResolved',
  'openFindings',
  'remediationsSucceeded',
  'remediationsFailed',
  'remediationSuccessRatio',
  'remediationFailuresByReason',
  'timeToRemediateP50',
  'timeToRemediateP95',
  'timeToRemediateMean',
  'complianceScoreEvaluations',
  'complianceScoreRules',
] as const;
export type DailyIndicator = (typeof DAILY_INDICATORS)[number];

/** Indicators from findings: unknown (`null`) on days before monitoring began. The others come from SSM history. */
export const FINDINGS_INDICATORS: readonly DailyIndicator[] = [
  'findingsOpened',
  'findingsResolved',
  'openFindings',
  'timeToRemediateP50',
  'timeToRemediateP95',
  'timeToRemediateMean',
];

export const FINDING_STATES = ['any', 'open', 'resolved'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export const REMEDIATION_OUTCOMES = ['any', 'succeeded', 'failed', 'running'] as const;
export type RemediationOutcome = (typeof REMEDIATION_OUTCOMES)[number];

export const EVENT_OUTCOMES = ['finished', 'succeeded', 'failed'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** Rows a table query reads at most (the exporter pages by 1000). */
export const MAX_ROWS = 5000;

/**
 * Filter lists hold exporter values (`123456789012`, `us-east-1`, `CRITICAL`, …) or template variables (`$region`).
 * An empty list means "no filter".
 */
export interface QueryBase extends DataQuery {
  schemaVersion: number;
}

export interface DailyQuery extends QueryBase {
  queryType: 'daily';
  indicators: DailyIndicator[];
  accountIds: string[];
  regions: string[];
  severities: string[];
  /** IANA time zone the days are cut in; empty: the data source's default time zone. */
  timeZone: string;
}

export interface SummaryQuery extends QueryBase {
  queryType: 'summary';
}

export interface FindingsQuery extends QueryBase {
  queryType: 'findings';
  state: FindingState;
  accountIds: string[];
  regions: string[];
  severities: string[];
  rules: string[];
  limit: number;
}

export interface RemediationsQuery extends QueryBase {
  queryType: 'remediations';
  outcome: RemediationOutcome;
  accountIds: string[];
  regions: string[];
  rules: string[];
  documents: string[];
  timeZone: string;
  limit: number;
}

export interface RulesQuery extends QueryBase {
  queryType: 'rules';
  accountIds: string[];
  regions: string[];
  severities: string[];
  rules: string[];
}

export interface RemediationEventsQuery extends QueryBase {
  queryType: 'remediationEvents';
  outcome: EventOutcome;
  accountIds: string[];
  regions: string[];
  rules: string[];
  documents: string[];
  timeZone: string;
}

export interface MonitoringBeganQuery extends QueryBase {
  queryType: 'monitoringBegan';
  accountIds: string[];
  regions: string[];
}

export type KpiQuery =
  | DailyQuery
  | SummaryQuery
  | FindingsQuery
  | RemediationsQuery
  | RulesQuery
  | RemediationEventsQuery
  | MonitoringBeganQuery;

export type QueryOfType<T extends QueryType> = Extract<KpiQuery, { queryType: T }>;

export type FilterName = 'accountIds' | 'regions' | 'severities' | 'rules' | 'documents';

export const DIMENSIONS = ['accounts', 'regions', 'severities', 'rules', 'documents'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The template variable query: one dimension's values from `/api/v1/dimensions`. */
export interface KpiVariableQuery extends DataQuery {
  schemaVersion: number;
  dimension: Dimension;
}

/** `jsonData`: visible to every viewer of the data source. */
export interface KpiDataSourceOptions extends DataSourceJsonData {
  /** Base URL of the exporter, e.g. `http://exporter:9867`; plugin.json's route proxies to it. */
  exporterUrl?: string;
  /** IANA time zone for daily indicators and date ranges when a query sets none; empty: UTC. */
  defaultTimeZone?: string;
}

/** `secureJsonData`: write-only from the browser; only Grafana's proxy reads it. */
export interface KpiSecureJsonData {
  /** Sent by the proxy as `Authorization: Bearer <apiToken>`, and only when set. */
  apiToken?: string;
}

export const DEFAULT_TIME_ZONE = 'UTC';
