import { BackendSrvRequest, FetchError, isFetchError } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';

import {
  arrayOf,
  boolean,
  DecodeError,
  Decoded,
  Decoder,
  nullable,
  number,
  object,
  orNull,
  recordOf,
  string,
  timestamp,
  withDefault,
} from './decode';

/**
 * The exporter's JSON API (docs/api.md), as far as this plugin reads it, and the client that calls it through
 * Grafana's data source proxy.
 */

/** plugin.json `routes[].path`: Grafana's proxy replaces it with the configured exporter URL. */
const EXPORTER_ROUTE = 'exporter';

/** The most items one page of a list endpoint may hold (`limit` is 1–1000). */
export const MAX_PAGE_SIZE = 1000;

const ratios = object({ evaluations: nullable(number), rules: nullable(number) });

export const decodeSummary = object({
  generated_at: timestamp,
  open_findings: recordOf(number),
  open_findings_total: number,
  compliance_score: ratios,
  remediations_in_progress: number,
  rules_total: number,
  rules_noncompliant: number,
  rules_without_details: number,
  last_successful_poll: nullable(timestamp),
  stale: boolean,
  stale_sources: arrayOf(string),
});
export type Summary = Decoded<typeof decodeSummary>;

/**
 * When monitoring of the selected accounts and regions began (`monitoring_began` of the daily KPIs):
 * - `since`: findings are known from `at` (epoch ms) on; the days before have no findings figures;
 * - `notYet`: the answer says `null`, the exporter has never polled them successfully, so no findings are known;
 * - `unknown`: the field is missing, from an exporter older than the field, which does not say.
 */
export type MonitoringStart = { state: 'since'; at: number } | { state: 'notYet' } | { state: 'unknown' };

const decodeMonitoringStart: Decoder<MonitoringStart> = (value, path) => {
  if (value === undefined) {
    return { state: 'unknown' };
  }
  return value === null ? { state: 'notYet' } : { state: 'since', at: timestamp(value, path) };
};

/**
 * One day's figures. The findings figures are `null` on days before monitoring began (nothing was watched, so nothing
 * is known: not zero); they must be present, so a missing one is a broken answer, not an empty day. Remediation
 * figures come from SSM's own history and are numbers on every day.
 */
const decodeDailyKpiDay = object({
  date: string,
  findings_opened: orNull(number),
  findings_resolved: orNull(number),
  open_findings: orNull(recordOf(number)),
  remediations_succeeded: number,
  remediations_failed: number,
  remediation_success_ratio: nullable(number),
  remediation_failures_by_reason: recordOf(number),
  time_to_remediate_seconds: orNull(
    object({
      count: number,
      p50: nullable(number),
      p95: nullable(number),
      mean: nullable(number),
    })
  ),
  compliance_score: ratios,
});

export const decodeDailyKpis = object({
  timezone: string,
  monitoring_began: decodeMonitoringStart,
  days: arrayOf(decodeDailyKpiDay),
});
export type DailyKpis = Decoded<typeof decodeDailyKpis>;
export type DailyKpiDay = DailyKpis['days'][number];

const page = <T>(item: Decoder<T>) => object({ items: arrayOf(item), next_cursor: nullable(string) });

const decodeFinding = object({
  account_id: string,
  region: string,
  rule: string,
  control_id: nullable(string),
  severity: string,
  resource_type: string,
  resource_id: string,
  annotation: nullable(string),
  state: string,
  first_seen: timestamp,
  resolved_at: nullable(timestamp),
  remediation_state: nullable(string),
  /** Already open when monitoring began: `first_seen` is then that moment, and the finding is at least as old. */
  pre_existing: withDefault(boolean, false),
});
export type Finding = Decoded<typeof decodeFinding>;
export const decodeFindingsPage = page(decodeFinding);

const decodeRemediation = object({
  execution_id: string,
  account_id: string,
  region: string,
  document: string,
  rule: nullable(string),
  severity: nullable(string),
  resource_id: nullable(string),
  status: string,
  outcome: string,
  start_time: timestamp,
  end_time: nullable(timestamp),
  duration_seconds: nullable(number),
  reason: nullable(string),
  failure_message: nullable(string),
});
export type Remediation = Decoded<typeof decodeRemediation>;
export const decodeRemediationsPage = page(decodeRemediation);

const decodeRule = object({
  account_id: string,
  region: string,
  rule: string,
  source_identifier: nullable(string),
  control_id: nullable(string),
  title: nullable(string),
  severity: string,
  remediation_runbook: nullable(string),
  automatic: boolean,
  compliance: string,
  noncompliant_resources: nullable(number),
  compliant_resources: nullable(number),
  details_available: boolean,
  last_evaluation: nullable(timestamp),
});
export type Rule = Decoded<typeof decodeRule>;
export const decodeRules = object({ items: arrayOf(decodeRule) });

export const decodeDimensions = object({
  accounts: arrayOf(string),
  regions: arrayOf(string),
  severities: arrayOf(string),
  rules: arrayOf(string),
  documents: arrayOf(string),
});
export type Dimensions = Decoded<typeof decodeDimensions>;

const decodeErrorBody = object({
  error: object({ code: string, parameter: nullable(string), message: string }),
});

/** Query parameters; list values are sent comma-separated, as the API accepts. */
export type ApiParams = Record<string, string | number | readonly string[] | undefined>;

export type ExporterErrorKind =
  'unreachable' | 'unauthorized' | 'invalidParameter' | 'notFound' | 'exporterFailure' | 'unexpectedAnswer';

export class ExporterError extends Error {
  constructor(
    readonly kind: ExporterErrorKind,
    message: string,
    readonly request: string,
    readonly status?: number
  ) {
    super(message);
    this.name = 'ExporterError';
  }
}

function encodeParam(value: string): string {
  // Commas stay readable: the API splits list filters on them, and they are legal in a query string.
  return encodeURIComponent(value).replace(/%2C/gi, ',');
}

/** `/api/v1/findings?state=open&severity=CRITICAL,HIGH`: the request as the exporter sees it. */
function buildRequestPath(path: string, params: ApiParams): string {
  const query = Object.entries(params)
    .flatMap(([name, value]) => {
      if (value === undefined) {
        return [];
      }
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : value.join(',');
      return text === '' ? [] : [`${encodeParam(name)}=${encodeParam(text)}`];
    })
    .join('&');
  return query ? `${path}?${query}` : path;
}

function statusText(error: FetchError): string {
  return error.statusText ? `HTTP ${error.status} ${error.statusText}` : `HTTP ${error.status}`;
}

/** Turns a failed proxy request into a message that says what to do about it. */
export function toExporterError(error: unknown, request: string): ExporterError {
  if (error instanceof ExporterError) {
    return error;
  }
  if (error instanceof DecodeError) {
    return new ExporterError(
      'unexpectedAnswer',
      `The exporter's answer to ${request} does not match the Compliance Pulse API (${error.message}). ` +
        'Check that the URL points at a Compliance Pulse exporter of a matching version.',
      request
    );
  }
  if (!isFetchError(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new ExporterError(
      'unreachable',
      `The request ${request} failed before an answer arrived: ${detail}`,
      request
    );
  }
  const status = error.status;
  if (status === 401) {
    return new ExporterError(
      'unauthorized',
      'The exporter refused the request (401 unauthorized): the API token is missing or wrong. ' +
        "Set the token from the exporter's --web.api-token-file in the data source settings.",
      request,
      status
    );
  }
  if (status === 400) {
    const body = safeDecode(decodeErrorBody, error.data);
    const detail = body
      ? `${body.error.message}${body.error.parameter ? ` (parameter ${body.error.parameter})` : ''}`
      : statusText(error);
    return new ExporterError('invalidParameter', `The exporter rejected ${request}: ${detail}`, request, status);
  }
  if (status === 404) {
    return new ExporterError(
      'notFound',
      `The exporter answered 404 for ${request}: the URL does not point at a Compliance Pulse exporter ` +
        '(enter its base URL, without /api/v1).',
      request,
      status
    );
  }
  if (status === 502 || status === 503 || status === 504 || status <= 0) {
    return new ExporterError(
      'unreachable',
      `Grafana could not reach the exporter (${status > 0 ? statusText(error) : 'no answer'}). ` +
        'Check the exporter URL in the data source settings and that the exporter is running.',
      request,
      status
    );
  }
  if (status >= 500) {
    return new ExporterError(
      'exporterFailure',
      `The exporter failed to answer ${request} (${statusText(error)}); the details are in its log.`,
      request,
      status
    );
  }
  return new ExporterError(
    'unexpectedAnswer',
    `The exporter answered ${request} with ${statusText(error)}.`,
    request,
    status
  );
}

function safeDecode<T>(decode: Decoder<T>, value: unknown): T | undefined {
  try {
    return decode(value, '');
  } catch {
    return undefined;
  }
}

/** The part of Grafana's BackendSrv the client uses; tests pass a fake. */
export interface ProxyFetcher {
  fetch(options: BackendSrvRequest): Observable<{ data: unknown }>;
}

export interface ApiAnswer<T> {
  body: T;
  /** The request as the exporter saw it, e.g. `GET /api/v1/summary`. */
  request: string;
}

/** Calls the exporter through Grafana's data source proxy (`<instance url>/exporter/api/v1/...`). */
export class ExporterClient {
  constructor(
    /** `instanceSettings.url`: `/api/datasources/proxy/uid/<uid>` when the data source uses proxy access. */
    private readonly proxyUrl: string | undefined,
    private readonly fetcher: ProxyFetcher
  ) {}

  async get<T>(path: string, params: ApiParams, decode: Decoder<T>): Promise<ApiAnswer<T>> {
    const requestPath = buildRequestPath(path, params);
    const request = `GET ${requestPath}`;
    if (this.proxyUrl === undefined) {
      throw new ExporterError(
        'unreachable',
        'This data source has no proxy URL: its access mode must be "proxy" (Server), which the exporter route needs.',
        request
      );
    }
    try {
      const response = await lastValueFrom(
        this.fetcher.fetch({
          url: `${this.proxyUrl}/${EXPORTER_ROUTE}${requestPath}`,
          method: 'GET',
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      return { body: decode(response.data, ''), request };
    } catch (error) {
      throw toExporterError(error, request);
    }
  }

  /**
   * Follows `next_cursor` until `maxItems` accepted items arrived, the last page was read, or `accept` says an item
   * lies past the wanted range (list endpoints answer newest first, so everything after it is older still).
   */
  async getPages<T>(
    path: string,
    params: ApiParams,
    decodePage: Decoder<{ items: T[]; next_cursor: string | null }>,
    maxItems: number,
    accept: (item: T) => 'keep' | 'skip' | 'stop' = () => 'keep'
  ): Promise<ApiAnswer<T[]>> {
    const items: T[] = [];
    const requests: string[] = [];
    let cursor: string | undefined;
    let stopped = false;
    do {
      const limit = Math.min(MAX_PAGE_SIZE, maxItems - items.length);
      const answer = await this.get(path, { ...params, limit, cursor }, decodePage);
      requests.push(answer.request);
      for (const item of answer.body.items) {
        const verdict = accept(item);
        if (verdict === 'stop') {
          stopped = true;
          break;
        }
        if (verdict === 'keep') {
          items.push(item);
        }
      }
      cursor = answer.body.next_cursor ?? undefined;
    } while (!stopped && cursor !== undefined && items.length < maxItems);
    return { body: items.slice(0, maxItems), request: requests.join('\n') };
  }
}
