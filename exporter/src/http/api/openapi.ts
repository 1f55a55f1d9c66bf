import { FAILURE_REASONS, SEVERITIES } from '../../model';
import { packageVersion } from '../../package-files';

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const int = { type: 'integer', minimum: 0 };
const ratio = { type: ['number', 'null'], minimum: 0, maximum: 1 };
const nullableInt = { type: ['integer', 'null'], minimum: 0 };
const time = { type: ['string', 'null'], format: 'date-time' };
const list = (description: string) => ({ in: 'query', required: false, description: `${description} (comma-separated or repeated)`, schema: str });
const param = (name: string, description: string, required = false, schema: object = str) => ({ name, in: 'query', required, description, schema });
const severityCounts = { type: 'object', properties: Object.fromEntries(SEVERITIES.map((s) => [s, int])), required: [...SEVERITIES] };
const page = (item: object) => ({
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: { items: { type: 'array', items: item }, next_cursor: nullableStr },
});
const json = (schema: object) => ({ description: 'OK', content: { 'application/json': { schema } } });
const errors = {
  '400': { description: 'A parameter is invalid', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Bearer token missing or wrong (only when --web.api-token-file is set)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};
const rangeParams = [
  param('from', 'First day, YYYY-MM-DD', true),
  param('to', 'Last day, YYYY-MM-DD (at most 400 days after from)', true),
  param('tz', 'IANA time zone of the days (default: --kpi.timezone)'),
];
const targetParams = [{ name: 'account_id', ...list('AWS account ids') }, { name: 'region', ...list('AWS regions') }];
const pageParams = [param('limit', 'Items per page, 1–1000', false, { type: 'integer', minimum: 1, maximum: 1000, default: 100 }), param('cursor', 'next_cursor of the previous page')];

/** The API as OpenAPI 3.1, served at /api/v1/openapi.json. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Compliance Pulse exporter API', version: packageVersion, description: 'Daily indicators, findings and remediations from AWS Config and SSM Automation. Read-only.' },
  servers: [{ url: '/api/v1' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Only when the exporter runs with --web.api-token-file' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str, parameter: str } } },
      },
    },
  },
  security: [{}, { bearer: [] }],
  paths: {
    '/summary': {
      get: {
        summary: 'Current open findings per severity, compliance score and freshness',
        responses: {
          '200': json({
            type: 'object',
            properties: {
              generated_at: time,
              open_findings: severityCounts,
              open_findings_total: int,
              compliance_score: { type: 'object', properties: { evaluations: ratio, rules: ratio } },
              remediations_in_progress: int,
              rules_total: int,
              rules_noncompliant: int,
              rules_without_details: int,
              rules_stale: int,
              last_successful_poll: time,
              stale: { type: 'boolean' },
              stale_sources: { type: 'array', items: str },
              targets: {
                type: 'array',
                items: { type: 'object', properties: { account_id: str, region: str, source: str, ok: { type: 'boolean' }, last_success: time, last_error: nullableStr } },
              },
            },
          }),
          ...errors,
        },
      },
    },
    '/kpis/daily': {
      get: {
        summary: 'Daily indicators, one entry per day; findings figures are null for days that ended before monitoring began',
        parameters: [...rangeParams, ...targetParams, { name: 'severity', ...list(`Severities (${SEVERITIES.join(', ')})`) }],
        responses: {
          '200': json({
            type: 'object',
            properties: {
              timezone: str,
              from: str,
              to: str,
              generated_at: time,
              stale: { type: 'boolean' },
              monitoring_began: {
                ...time,
                description: "The latest of the selected targets' first successful Config polls; null if one was never polled successfully",
              },
              days: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    date: { type: 'string', format: 'date' },
                    findings_opened: nullableInt,
                    findings_resolved: nullableInt,
                    open_findings: { oneOf: [severityCounts, { type: 'null' }] },
                    remediations_succeeded: int,
                    remediations_failed: int,
                    remediation_success_ratio: ratio,
                    remediation_failures_by_reason: { type: 'object', properties: Object.fromEntries(FAILURE_REASONS.map((r) => [r, int])) },
                    time_to_remediate_seconds: {
                      oneOf: [
                        {
                          type: 'object',
                          properties: { count: int, p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] }, mean: { type: ['number', 'null'] } },
                        },
                        { type: 'null' },
                      ],
                    },
                    compliance_score: { type: 'object', properties: { evaluations: ratio, rules: ratio } },
                  },
                },
              },
            },
          }),
          ...errors,
        },
      },
    },
    '/findings': {
      get: {
        summary: 'Findings: (rule, resource) episodes of noncompliance, newest first',
        parameters: [
          param('state', 'open, resolved or all (default)', false, { enum: ['open', 'resolved', 'all'] }),
          ...targetParams,
          { name: 'severity', ...list('Severities') },
          { name: 'rule', ...list('Config rule names') },
          { name: 'resource_type', ...list('Resource types, e.g. AWS::EC2::SecurityGroup') },
          ...pageParams,
        ],
        responses: {
          '200': json(
            page({
              type: 'object',
              properties: {
                account_id: str, region: str, rule: str, control_id: nullableStr, severity: str, resource_type: str, resource_id: str,
                annotation: nullableStr, state: { enum: ['open', 'resolved'] }, first_seen: time, resolved_at: time,
                pre_existing: { type: 'boolean', description: "Already open at its target's first successful Config poll: first_seen is only a bound" },
                resolution: { type: ['string', 'null'], enum: ['compliant', 'gone', 'rule_deleted', null] },
                remediation_state: { type: ['string', 'null'], enum: ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', null] },
              },
            }),
          ),
          ...errors,
        },
      },
    },
    '/remediations': {
      get: {
        summary: 'Remediation runbook executions that started in the range, newest first',
        parameters: [
          ...rangeParams,
          ...targetParams,
          { name: 'status', ...list('SSM statuses (Success, Failed, TimedOut, …) or outcomes succeeded, failed, running') },
          { name: 'rule', ...list('Config rule names') },
          { name: 'document', ...list('Runbook names') },
          ...pageParams,
        ],
        responses: {
          '200': json(
            page({
              type: 'object',
              properties: {
                execution_id: str, account_id: str, region: str, document: str, rule: nullableStr, severity: nullableStr, resource_id: nullableStr,
                status: str, outcome: { enum: ['succeeded', 'failed', 'running'] }, start_time: time, end_time: time,
                duration_seconds: { type: ['number', 'null'] }, reason: { type: ['string', 'null'], enum: [...FAILURE_REASONS, null] }, failure_message: nullableStr,
              },
            }),
          ),
          ...errors,
        },
      },
    },
    '/rules': {
      get: {
        summary: 'Every polled Config rule joined to its Security Hub control, with current counts',
        parameters: [...targetParams, { name: 'severity', ...list('Severities') }, { name: 'rule', ...list('Config rule names') }],
        responses: {
          '200': json({
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    account_id: str, region: str, rule: str, source_identifier: str, control_id: nullableStr, title: nullableStr, severity: str,
                    remediation_runbook: nullableStr, automatic: { type: 'boolean' }, service_linked: { type: 'boolean' }, compliance: str,
                    noncompliant_resources: { type: ['integer', 'null'] }, compliant_resources: { type: ['integer', 'null'] },
                    details_available: { type: 'boolean' }, last_evaluation: time,
                    stale_reason: { type: ['string', 'null'], enum: ['insufficient_data', 'not_listed', 'read_failed', null] }, stale_since: time,
                  },
                },
              },
            },
          }),
          ...errors,
        },
      },
    },
    '/dimensions': {
      get: {
        summary: 'Accounts, regions, severities, rules, runbooks and resource types that exist',
        responses: {
          '200': json({
            type: 'object',
            properties: Object.fromEntries(['accounts', 'regions', 'severities', 'rules', 'documents', 'resource_types'].map((k) => [k, { type: 'array', items: str }])),
          }),
          ...errors,
        },
      },
    },
    '/reports/daily': {
      get: {
        summary: "The day's report: totals, top failing rules, failed remediations, slowest fixes",
        parameters: [param('date', 'The day, YYYY-MM-DD', true), param('format', 'md (default) or csv', false, { enum: ['md', 'csv'] }), param('tz', 'IANA time zone'), ...targetParams],
        responses: {
          '200': { description: 'OK', content: { 'text/markdown': { schema: str }, 'text/csv': { schema: str } } },
          ...errors,
        },
      },
    },
    '/openapi.json': { get: { summary: 'This document', security: [{}], responses: { '200': json({ type: 'object' }) } } },
  },
};
