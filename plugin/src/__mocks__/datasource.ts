import { DataQueryRequest, DataSourceInstanceSettings, dateTime, PluginType, ScopedVars } from '@grafana/data';
import { BackendSrvRequest, FetchError } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { ProxyFetcher } from '../api';
import { DataSource, VariableInterpolator } from '../datasource';
import { KpiDataSourceOptions, KpiQuery } from '../types';

/** Shared fixtures for the unit tests: exporter answers shaped as docs/api.md, and fakes of Grafana's services. */

const PROXY_URL = '/api/datasources/proxy/uid/compliance-pulse-kpi';
const EXPORTER_PREFIX = `${PROXY_URL}/exporter`;

export const SUMMARY_ANSWER = {
  generated_at: '2026-11-29T03:04:05Z',
  open_findings: { CRITICAL: 12, HIGH: 40, MEDIUM: 7, LOW: 0, INFORMATIONAL: 0, UNKNOWN: 3 },
  open_findings_total: 62,
  compliance_score: { evaluations: 0.93, rules: 0.71 },
  remediations_in_progress: 4,
  rules_total: 80,
  rules_noncompliant: 23,
  rules_without_details: 6,
  last_successful_poll: '2026-11-29T03:03:50Z',
  stale: false,
  stale_sources: [],
  targets: [
    {
      account_id: '123456789012',
      region: 'us-east-1',
      source: 'config',
      ok: true,
      last_success: '2026-11-29T03:03:50Z',
      last_error: null,
    },
  ],
};

/** A day the exporter watched: every figure is a number (or null where there is nothing to divide by). */
const monitoredDay = (date: string, opened: number, ratio: number | null) => ({
  date,
  findings_opened: opened,
  findings_resolved: 11,
  open_findings: { CRITICAL: 3, HIGH: 9, MEDIUM: 2, LOW: 0, INFORMATIONAL: 0, UNKNOWN: 1 },
  remediations_succeeded: 20,
  remediations_failed: 3,
  remediation_success_ratio: ratio,
  remediation_failures_by_reason: {
    access_denied: 2,
    throttled: 0,
    timeout: 1,
    resource_not_found: 0,
    invalid_parameter: 0,
    other: 0,
  },
  time_to_remediate_seconds: { count: 11, p50: 420, p95: 3300, mean: 812.5 },
  compliance_score: { evaluations: 0.94, rules: 0.7 },
});

/** A day before monitoring began: findings figures are null; remediation figures still come from SSM history. */
const unmonitoredDay = (date: string, ratio: number | null) => ({
  ...monitoredDay(date, 0, ratio),
  findings_opened: null,
  findings_resolved: null,
  open_findings: null,
  time_to_remediate_seconds: null,
  compliance_score: { evaluations: null, rules: null },
});

/** Monitoring began on 2 November in Asia/Seoul (01:20 local), so 1 November has no findings figures. */
export const MONITORING_BEGAN = '2026-11-01T16:20:00Z';

export const DAILY_ANSWER = {
  timezone: 'Asia/Seoul',
  from: '2026-11-01',
  to: '2026-11-02',
  generated_at: '2026-11-29T03:04:05Z',
  stale: false,
  monitoring_began: MONITORING_BEGAN,
  days: [unmonitoredDay('2026-11-01', 0.8696), monitoredDay('2026-11-02', 5, null)],
};

/** The same days from an exporter older than `monitoring_began`: no such field, numbers on every day. */
export const OLDER_DAILY_ANSWER = {
  timezone: 'Asia/Seoul',
  from: '2026-11-01',
  to: '2026-11-02',
  days: [monitoredDay('2026-11-01', 14, 0.8696), monitoredDay('2026-11-02', 5, null)],
};

export const FINDING = {
  account_id: '123456789012',
  region: 'us-east-1',
  rule: 'restricted-common-ports',
  control_id: 'EC2.19',
  severity: 'CRITICAL',
  resource_type: 'AWS::EC2::SecurityGroup',
  resource_id: 'sg-0a1b2c3d4e5f60718',
  annotation: 'Port 3306 open to 0.0.0.0/0',
  state: 'open',
  first_seen: '2026-11-29T02:50:00Z',
  resolved_at: null,
  remediation_state: 'IN_PROGRESS',
  pre_existing: false,
};

/** Already open when monitoring began: first seen at that moment, really older. */
export const PRE_EXISTING_FINDING = {
  ...FINDING,
  rule: 's3-bucket-public-read-prohibited',
  control_id: 'S3.2',
  resource_type: 'AWS::S3::Bucket',
  resource_id: 'public-assets-bucket',
  annotation: null,
  first_seen: MONITORING_BEGAN,
  remediation_state: null,
  pre_existing: true,
};

export const REMEDIATION = {
  execution_id: '7c1f7a2e-5a8e-4f3e-9a51-0c5d7c1b2e11',
  account_id: '123456789012',
  region: 'us-east-1',
  document: 'Custom-DisablePublicAccessForSecurityGroup',
  rule: 'restricted-common-ports',
  severity: 'CRITICAL',
  resource_id: 'sg-0a1b2c3d4e5f60718',
  status: 'Failed',
  outcome: 'failed',
  start_time: '2026-11-29T02:51:00Z',
  end_time: '2026-11-29T02:51:04Z',
  duration_seconds: 4.2,
  reason: 'access_denied',
  failure_message: '... is not authorized to perform: ec2:RevokeSecurityGroupIngress ...',
};

const RULE = {
  account_id: '123456789012',
  region: 'us-east-1',
  rule: 'restricted-common-ports',
  source_identifier: 'RESTRICTED_INCOMING_TRAFFIC',
  control_id: 'EC2.19',
  title: 'Security groups should not allow unrestricted access to ports with high risk',
  severity: 'CRITICAL',
  remediation_runbook: 'Custom-DisablePublicAccessForSecurityGroup',
  automatic: true,
  service_linked: false,
  compliance: 'NON_COMPLIANT',
  noncompliant_resources: 130,
  compliant_resources: 41,
  details_available: true,
  last_evaluation: '2026-11-29T03:00:00Z',
};

const DIMENSIONS_ANSWER = {
  accounts: ['123456789012', '210987654321'],
  regions: ['us-east-1', 'eu-west-1'],
  severities: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN'],
  rules: ['restricted-common-ports', 's3-bucket-public-read-prohibited'],
  documents: ['AWS-DisableS3BucketPublicReadWrite'],
  resource_types: ['AWS::EC2::SecurityGroup'],
};

/** What a fake exporter answers: a JSON body, or an HTTP failure as Grafana's BackendSrv reports it. */
export type FakeAnswer = { body: unknown } | { status: number; statusText?: string; body?: unknown };

interface FakeFetcher extends ProxyFetcher {
  /** Exporter paths requested, without the proxy prefix: `/api/v1/summary`. */
  requests: string[];
}

/** A BackendSrv stand-in; `answer` gets the exporter path and query, e.g. `/api/v1/findings?state=open`. */
function fakeFetcher(answer: (exporterPath: string) => FakeAnswer): FakeFetcher {
  const requests: string[] = [];
  return {
    requests,
    fetch(options: BackendSrvRequest): Observable<{ data: unknown }> {
      const exporterPath = options.url.startsWith(EXPORTER_PREFIX)
        ? options.url.slice(EXPORTER_PREFIX.length)
        : options.url;
      requests.push(exporterPath);
      const result = answer(exporterPath);
      if ('status' in result) {
        const failure: FetchError = {
          status: result.status,
          statusText: result.statusText,
          data: result.body ?? {},
          config: options,
        };
        return throwError(() => failure);
      }
      return of({ data: result.body });
    },
  };
}

/** Answers every documented endpoint with the fixtures above. */
export function exporterAnswers(exporterPath: string): FakeAnswer {
  const path = exporterPath.split('?')[0];
  switch (path) {
    case '/api/v1/summary':
      return { body: SUMMARY_ANSWER };
    case '/api/v1/kpis/daily':
      return { body: DAILY_ANSWER };
    case '/api/v1/findings':
      return { body: { items: [FINDING, PRE_EXISTING_FINDING], next_cursor: null } };
    case '/api/v1/remediations':
      return { body: { items: [REMEDIATION], next_cursor: null } };
    case '/api/v1/rules':
      return { body: { items: [RULE] } };
    case '/api/v1/dimensions':
      return { body: DIMENSIONS_ANSWER };
    default:
      return { status: 404, statusText: 'Not Found', body: { error: { code: 'not_found', message: 'no route' } } };
  }
}

/**
 * A TemplateSrv stand-in: `$name` and `${name}` are replaced; multi-value variables follow the format, as Grafana's
 * does for `csv` (comma-joined) and for no format (`{a,b}`).
 */
function fakeTemplateSrv(variables: Record<string, string | string[]>): VariableInterpolator {
  return {
    getVariables: () => Object.keys(variables).map((name) => ({ name })),
    replace(target?: string, _scopedVars?: ScopedVars, format?: string | Function): string {
      return (target ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (reference, braced?: string, bare?: string) => {
        const value = variables[braced ?? bare ?? ''];
        if (value === undefined) {
          return reference;
        }
        if (!Array.isArray(value)) {
          return value;
        }
        return format === 'csv' ? value.join(',') : `{${value.join(',')}}`;
      });
    },
  };
}

function instanceSettings(
  jsonData: KpiDataSourceOptions = { exporterUrl: 'http://exporter:9867' }
): DataSourceInstanceSettings<KpiDataSourceOptions> {
  return {
    id: 1,
    uid: 'compliance-pulse-kpi',
    type: 'compliancepulse-kpi-datasource',
    name: 'Compliance Pulse',
    url: PROXY_URL,
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'compliancepulse-kpi-datasource',
      name: 'Compliance Pulse KPI',
      type: PluginType.datasource,
      info: {
        author: { name: 'Compliance Pulse' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
      module: '',
      baseUrl: '',
    },
  };
}

export function createDataSource({
  answer = exporterAnswers,
  variables = {},
  jsonData,
}: {
  answer?: (exporterPath: string) => FakeAnswer;
  variables?: Record<string, string | string[]>;
  jsonData?: KpiDataSourceOptions;
} = {}) {
  const fetcher = fakeFetcher(answer);
  const datasource = new DataSource(instanceSettings(jsonData), fetcher, fakeTemplateSrv(variables));
  return { datasource, fetcher };
}

/** A query request over [from, to] (ISO strings), as Grafana's query runner sends it. */
export function queryRequest(
  targets: KpiQuery[],
  from = '2026-11-01T00:00:00Z',
  to = '2026-11-02T12:00:00Z',
  scopedVars: ScopedVars = {}
): DataQueryRequest<KpiQuery> {
  const range = { from: dateTime(from), to: dateTime(to), raw: { from, to } };
  return {
    requestId: 'test',
    interval: '1d',
    intervalMs: 86400000,
    range,
    scopedVars,
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}
