import { DataFrame, Field, FieldType, getFieldDisplayName } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import {
  createDataSource,
  DAILY_ANSWER,
  exporterAnswers,
  FakeAnswer,
  FINDING,
  PRE_EXISTING_FINDING,
  queryRequest,
  REMEDIATION,
  SUMMARY_ANSWER,
} from './__mocks__/datasource';
import { defaultQuery } from './migrations';
import { KpiQuery, QueryOfType } from './types';
import { KpiVariableSupport } from './variables';

function fieldByName(frame: DataFrame | undefined, name: string): Field {
  const field = frame?.fields.find((candidate) => candidate.name === name);
  if (!field) {
    throw new Error(`no field ${name} in ${frame?.fields.map((f) => f.name).join(', ')}`);
  }
  return field;
}

function withType<T extends KpiQuery['queryType']>(
  queryType: T,
  changes: Partial<QueryOfType<T>> = {}
): QueryOfType<T> {
  return { ...defaultQuery(queryType), ...changes };
}

async function runOne(query: KpiQuery, options: Parameters<typeof createDataSource>[0] = {}) {
  const { datasource, fetcher } = createDataSource(options);
  const response = await datasource.query(queryRequest([query]));
  return { response, requests: fetcher.requests, frame: response.data[0] as DataFrame | undefined };
}

describe('query mapping to exporter requests', () => {
  it('summary asks /api/v1/summary without parameters', async () => {
    const { requests } = await runOne(withType('summary'));
    expect(requests).toEqual(['/api/v1/summary']);
  });

  it('daily indicators ask for the days of the time range in the query time zone, with every filter', async () => {
    const { requests } = await runOne(
      withType('daily', {
        accountIds: ['123456789012'],
        regions: ['us-east-1', 'eu-west-1'],
        severities: ['CRITICAL', 'HIGH'],
        timeZone: 'Asia/Seoul',
      })
    );
    // 2026-11-01T00:00Z is 09:00 in Seoul; 2026-11-02T12:00Z is 21:00 there.
    expect(requests).toEqual([
      '/api/v1/kpis/daily?from=2026-11-01&to=2026-11-02&tz=Asia%2FSeoul&account_id=123456789012&region=us-east-1,eu-west-1&severity=CRITICAL,HIGH',
    ]);
  });

  it('daily indicators use the data source default time zone when the query sets none', async () => {
    const { requests } = await runOne(withType('daily'), {
      jsonData: { exporterUrl: 'http://exporter:9867', defaultTimeZone: 'America/Los_Angeles' },
    });
    // 2026-11-01T00:00Z is still October 31 in Los Angeles.
    expect(requests).toEqual(['/api/v1/kpis/daily?from=2026-10-31&to=2026-11-02&tz=America%2FLos_Angeles']);
  });

  it('findings map state, filters and the row limit', async () => {
    const { requests } = await runOne(
      withType('findings', {
        state: 'resolved',
        severities: ['LOW'],
        rules: ['s3-bucket-public-read-prohibited'],
        limit: 50,
      })
    );
    expect(requests).toEqual([
      '/api/v1/findings?state=resolved&severity=LOW&rule=s3-bucket-public-read-prohibited&limit=50',
    ]);
  });

  it('findings with state "any" send no state parameter', async () => {
    const { requests } = await runOne(withType('findings', { state: 'any' }));
    expect(requests).toEqual(['/api/v1/findings?limit=100']);
  });

  it('remediations send the dates, outcome group, rule and document filters', async () => {
    const { requests } = await runOne(
      withType('remediations', { outcome: 'failed', documents: ['AWS-DisableS3BucketPublicReadWrite'], limit: 10 })
    );
    expect(requests).toEqual([
      '/api/v1/remediations?from=2026-11-01&to=2026-11-02&tz=UTC&status=failed&document=AWS-DisableS3BucketPublicReadWrite&limit=10',
    ]);
  });

  it('rules send only the filters they support', async () => {
    const { requests } = await runOne(withType('rules', { regions: ['eu-west-1'], severities: ['HIGH'] }));
    expect(requests).toEqual(['/api/v1/rules?region=eu-west-1&severity=HIGH']);
  });

  it('annotations ask for succeeded and failed executions by default', async () => {
    const { requests } = await runOne(withType('remediationEvents'));
    expect(requests).toEqual([
      '/api/v1/remediations?from=2026-11-01&to=2026-11-02&tz=UTC&status=succeeded,failed&limit=1000',
    ]);
  });

  it('follows next_cursor until the row limit is reached', async () => {
    const pages: Record<string, FakeAnswer> = {
      '/api/v1/findings?limit=1000': { body: { items: Array(1000).fill(FINDING), next_cursor: 'page2' } },
      '/api/v1/findings?limit=500&cursor=page2': { body: { items: Array(500).fill(FINDING), next_cursor: 'page3' } },
    };
    const { requests, frame } = await runOne(withType('findings', { state: 'any', limit: 1500 }), {
      answer: (path) => pages[path] ?? { status: 500 },
    });
    expect(requests).toEqual(['/api/v1/findings?limit=1000', '/api/v1/findings?limit=500&cursor=page2']);
    expect(frame?.length).toBe(1500);
    expect(frame?.meta?.executedQueryString).toBe(
      'GET /api/v1/findings?limit=1000\nGET /api/v1/findings?limit=500&cursor=page2'
    );
  });

  it('keeps only executions that started inside the time range and stops at the first older one', async () => {
    const at = (start: string) => ({ ...REMEDIATION, start_time: start });
    const { requests, frame } = await runOne(withType('remediations'), {
      answer: (path) =>
        path.includes('cursor=')
          ? { status: 500 }
          : {
              body: {
                items: [at('2026-11-02T23:00:00Z'), at('2026-11-02T06:00:00Z'), at('2026-10-31T23:00:00Z')],
                next_cursor: 'more',
              },
            },
    });
    expect(requests).toHaveLength(1);
    expect(fieldByName(frame, 'start_time').values).toEqual([Date.parse('2026-11-02T06:00:00Z')]);
  });

  it('skips hidden queries', async () => {
    const { datasource, fetcher } = createDataSource();
    const response = await datasource.query(queryRequest([{ ...withType('summary'), hide: true }]));
    expect(fetcher.requests).toEqual([]);
    expect(response.data).toEqual([]);
  });

  it('migrates stored queries before running them', async () => {
    const { datasource, fetcher } = createDataSource();
    await datasource.query(
      queryRequest([{ refId: 'A', queryType: 'rules', accountIds: '123456789012' } as unknown as KpiQuery])
    );
    expect(fetcher.requests).toEqual(['/api/v1/rules?account_id=123456789012']);
  });
});

describe('template variables', () => {
  const variables = { account: ['123456789012', '210987654321'], region: 'eu-west-1', zone: 'Asia/Seoul' };

  it('expand in every filter; multi-value variables become comma-separated lists', async () => {
    const { requests } = await runOne(
      withType('daily', { accountIds: ['$account'], regions: ['${region}', 'us-east-1'], timeZone: '$zone' }),
      { variables }
    );
    expect(requests).toEqual([
      '/api/v1/kpis/daily?from=2026-11-01&to=2026-11-02&tz=Asia%2FSeoul&account_id=123456789012,210987654321&region=eu-west-1,us-east-1',
    ]);
  });

  it('reach rule and document filters too, without duplicates', async () => {
    const { datasource } = createDataSource({ variables: { rule: ['a-rule', 'b-rule'], doc: 'Doc-1' } });
    const query = withType('remediations', { rules: ['$rule', 'a-rule'], documents: ['$doc'] });
    const interpolated = datasource.applyTemplateVariables(query, {});
    expect(interpolated).toMatchObject({ rules: ['a-rule', 'b-rule'], documents: ['Doc-1'] });
  });

  it('are listed as picker choices', () => {
    const { datasource } = createDataSource({ variables });
    expect(datasource.getVariableReferences()).toEqual(['$account', '$region', '$zone']);
  });

  it('interpolateVariablesInQueries migrates and interpolates (Explore hand-over)', () => {
    const { datasource } = createDataSource({ variables });
    const [query] = datasource.interpolateVariablesInQueries([withType('rules', { accountIds: ['$account'] })], {});
    expect(query).toMatchObject({ queryType: 'rules', accountIds: ['123456789012', '210987654321'] });
  });
});

describe('frames', () => {
  it('summary: one row, counts per severity, ratios as percentunit, data age in seconds', async () => {
    const { frame } = await runOne(withType('summary'));
    expect(frame?.length).toBe(1);
    expect(frame?.meta?.executedQueryString).toBe('GET /api/v1/summary');
    const critical = fieldByName(frame, 'open_findings_CRITICAL');
    expect(critical.type).toBe(FieldType.number);
    expect(critical.values).toEqual([12]);
    expect(getFieldDisplayName(critical, frame)).toBe('Critical');
    const score = fieldByName(frame, 'compliance_score_evaluations');
    expect(score.config).toMatchObject({
      unit: 'percentunit',
      min: 0,
      max: 1,
      displayNameFromDS: 'Compliance score (evaluations)',
    });
    expect(score.values).toEqual([0.93]);
    expect(fieldByName(frame, 'data_age_seconds')).toMatchObject({ values: [15], config: { unit: 's' } });
    expect(fieldByName(frame, 'last_successful_poll')).toMatchObject({
      type: FieldType.time,
      values: [Date.parse('2026-11-29T03:03:50Z')],
    });
    expect(fieldByName(frame, 'stale')).toMatchObject({ type: FieldType.boolean, values: [false] });
    expect(frame?.meta?.notices).toBeUndefined();
  });

  it('summary: stale data carries a warning notice naming the sources', async () => {
    const { frame } = await runOne(withType('summary'), {
      answer: () => ({ body: { ...SUMMARY_ANSWER, stale: true, stale_sources: ['123456789012/us-east-1/ssm'] } }),
    });
    expect(frame?.meta?.notices).toEqual([
      expect.objectContaining({ severity: 'warning', text: expect.stringContaining('123456789012/us-east-1/ssm') }),
    ]);
  });

  it('daily: one point per day at local midnight of the answer time zone, series per chosen indicator', async () => {
    const { frame } = await runOne(
      withType('daily', {
        indicators: [
          'findingsOpened',
          'openFindings',
          'remediationSuccessRatio',
          'timeToRemediateP95',
          'remediationFailuresByReason',
        ],
        severities: ['CRITICAL', 'HIGH'],
      })
    );
    const time = fieldByName(frame, 'time');
    expect(time.type).toBe(FieldType.time);
    // Midnight in Asia/Seoul (UTC+9) is 15:00 UTC the day before.
    expect(time.values).toEqual([Date.parse('2026-10-31T15:00:00Z'), Date.parse('2026-11-01T15:00:00Z')]);
    expect(time.config.interval).toBe(86400000);
    // 1 November lies before monitoring began: its findings figures are unknown (null), not zero.
    expect(fieldByName(frame, 'findings_opened').values).toEqual([null, 5]);
    expect(frame?.fields.map((field) => field.name)).toEqual([
      'time',
      'findings_opened',
      'open_findings_CRITICAL',
      'open_findings_HIGH',
      'remediation_success_ratio',
      'time_to_remediate_p95',
      'remediation_failures_access_denied',
      'remediation_failures_throttled',
      'remediation_failures_timeout',
      'remediation_failures_resource_not_found',
      'remediation_failures_invalid_parameter',
      'remediation_failures_other',
    ]);
    expect(fieldByName(frame, 'remediation_success_ratio')).toMatchObject({
      values: [0.8696, null],
      config: { unit: 'percentunit', min: 0, max: 1 },
    });
    expect(fieldByName(frame, 'time_to_remediate_p95').config).toMatchObject({
      unit: 's',
      displayNameFromDS: 'Time to remediate p95',
    });
    expect(getFieldDisplayName(fieldByName(frame, 'open_findings_HIGH'), frame)).toBe('Open findings High');
    expect(frame?.meta?.executedQueryString).toBe(
      'GET /api/v1/kpis/daily?from=2026-11-01&to=2026-11-02&tz=UTC&severity=CRITICAL,HIGH'
    );
  });

  it('daily: a range longer than 400 days is cut to the last 400 with a notice', async () => {
    const { datasource, fetcher } = createDataSource({ answer: () => ({ body: { ...DAILY_ANSWER, days: [] } }) });
    const response = await datasource.query(
      queryRequest([withType('daily')], '2024-01-01T00:00:00Z', '2026-11-02T00:00:00Z')
    );
    expect(fetcher.requests).toEqual(['/api/v1/kpis/daily?from=2025-09-29&to=2026-11-02&tz=UTC']);
    expect((response.data[0] as DataFrame).meta?.notices?.[0]?.text).toContain('at most 400 days');
  });

  it('findings: a table with typed columns and display names', async () => {
    const { frame } = await runOne(withType('findings'));
    expect(frame?.meta?.preferredVisualisationType).toBe('table');
    expect(fieldByName(frame, 'first_seen')).toMatchObject({
      type: FieldType.time,
      values: [Date.parse(FINDING.first_seen), Date.parse(PRE_EXISTING_FINDING.first_seen)],
    });
    expect(fieldByName(frame, 'resolved_at').values).toEqual([null, null]);
    expect(getFieldDisplayName(fieldByName(frame, 'resource_id'), frame)).toBe('Resource');
    expect(fieldByName(frame, 'severity').config.mappings).toBeDefined();
  });

  it('remediations: durations in seconds, outcome and reason', async () => {
    const { frame } = await runOne(withType('remediations'), {
      jsonData: { exporterUrl: 'http://exporter:9867' },
      answer: (path) =>
        path.startsWith('/api/v1/remediations')
          ? { body: { items: [{ ...REMEDIATION, start_time: '2026-11-01T10:00:00Z' }], next_cursor: null } }
          : exporterAnswers(path),
    });
    expect(fieldByName(frame, 'duration_seconds')).toMatchObject({
      type: FieldType.number,
      values: [4.2],
      config: { unit: 's' },
    });
    expect(fieldByName(frame, 'outcome').values).toEqual(['failed']);
    expect(fieldByName(frame, 'reason').values).toEqual(['access_denied']);
  });

  it('rules: exact counts and the compliant share as a ratio; unknown counts stay empty', async () => {
    const { frame } = await runOne(withType('rules'), {
      answer: () => ({
        body: {
          items: [
            {
              account_id: '123456789012',
              region: 'us-east-1',
              rule: 'restricted-common-ports',
              severity: 'CRITICAL',
              automatic: true,
              compliance: 'NON_COMPLIANT',
              noncompliant_resources: 130,
              compliant_resources: 41,
              details_available: true,
              last_evaluation: '2026-11-29T03:00:00Z',
            },
            {
              account_id: '123456789012',
              region: 'us-east-1',
              rule: 'securityhub-s3-bucket-ssl',
              severity: 'MEDIUM',
              automatic: false,
              compliance: 'NON_COMPLIANT',
              noncompliant_resources: null,
              compliant_resources: null,
              details_available: false,
              last_evaluation: null,
            },
          ],
        },
      }),
    });
    expect(fieldByName(frame, 'noncompliant_resources').values).toEqual([130, null]);
    const share = fieldByName(frame, 'compliant_share');
    expect(share.config.unit).toBe('percentunit');
    expect(share.values[0]).toBeCloseTo(41 / 171);
    expect(share.values[1]).toBeNull();
    expect(fieldByName(frame, 'details_available')).toMatchObject({ type: FieldType.boolean, values: [true, false] });
  });

  it('annotations: time, timeEnd, title, text and tags fields for Grafana to turn into events', async () => {
    const started = '2026-11-01T10:00:00Z';
    const { frame } = await runOne(withType('remediationEvents'), {
      answer: () => ({
        body: {
          items: [
            { ...REMEDIATION, start_time: started, end_time: '2026-11-01T10:00:04Z' },
            {
              ...REMEDIATION,
              outcome: 'succeeded',
              status: 'Success',
              reason: null,
              failure_message: null,
              start_time: started,
              end_time: null,
            },
          ],
          next_cursor: null,
        },
      }),
    });
    expect(frame?.fields.map((field) => field.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
    expect(fieldByName(frame, 'time').values).toEqual([Date.parse(started), Date.parse(started)]);
    expect(fieldByName(frame, 'timeEnd').values).toEqual([Date.parse('2026-11-01T10:00:04Z'), Date.parse(started)]);
    expect(fieldByName(frame, 'title').values).toEqual([
      'Remediation failed: restricted-common-ports',
      'Remediation succeeded: restricted-common-ports',
    ]);
    const [failedText] = fieldByName(frame, 'text').values;
    expect(failedText).toContain('sg-0a1b2c3d4e5f60718');
    expect(failedText).toContain('Reason: access_denied');
    expect(fieldByName(frame, 'tags').values).toEqual([
      'remediation,failed,access_denied,restricted-common-ports',
      'remediation,succeeded,restricted-common-ports',
    ]);
  });
});

describe('error mapping', () => {
  const failing = (answer: FakeAnswer) => () => answer;

  it.each([
    [
      { status: 401, body: { error: { code: 'unauthorized', message: 'missing or wrong bearer token' } } },
      /401 unauthorized.*API token/,
    ],
    [
      {
        status: 400,
        body: { error: { code: 'invalid_parameter', parameter: 'from', message: 'from must be a date YYYY-MM-DD' } },
      },
      /rejected GET \/api\/v1\/summary: from must be a date YYYY-MM-DD \(parameter from\)/,
    ],
    [{ status: 404, statusText: 'Not Found' }, /404 .*not point at a Compliance Pulse exporter/],
    [{ status: 502, statusText: 'Bad Gateway' }, /could not reach the exporter \(HTTP 502 Bad Gateway\)/],
    [
      { status: 500, body: { error: { code: 'internal', message: 'internal error' } } },
      /failed to answer .*HTTP 500.*its log/,
    ],
    [
      { body: { open_findings: 'many' } },
      /does not match the Compliance Pulse API \(generated_at: expected a string\)/,
    ],
  ])('%j becomes a message that says what to do', async (answer, message) => {
    const { response } = await runOne(withType('summary'), { answer: failing(answer) });
    expect(response.data).toEqual([]);
    expect(response.errors).toEqual([expect.objectContaining({ refId: 'A', message: expect.stringMatching(message) })]);
  });

  it('names the broken JSON path of a list item', async () => {
    const { response } = await runOne(withType('findings'), {
      answer: () => ({ body: { items: [{ ...FINDING, first_seen: 'yesterday' }], next_cursor: null } }),
    });
    expect(response.errors?.[0]?.message).toContain('items[0].first_seen: expected an ISO-8601 timestamp');
  });

  it('reports invalid queries without calling the exporter', async () => {
    const { response, requests } = await runOne(withType('daily', { indicators: [], regions: ['mars-1'] }));
    expect(requests).toEqual([]);
    expect(response.errors?.[0]?.message).toBe(
      'Choose at least one indicator to draw. "mars-1" is not an AWS region name such as us-east-1.'
    );
  });

  it('keeps the frames of the queries that worked', async () => {
    const { datasource } = createDataSource({
      answer: (path) => (path.startsWith('/api/v1/rules') ? { status: 500 } : exporterAnswers(path)),
    });
    const response = await datasource.query(queryRequest([withType('summary'), { ...withType('rules'), refId: 'B' }]));
    expect(response.data).toHaveLength(1);
    expect(response.errors).toEqual([expect.objectContaining({ refId: 'B', status: 500 })]);
  });
});

describe('Save & test', () => {
  const test = async (options: Parameters<typeof createDataSource>[0]) =>
    createDataSource(options).datasource.testDatasource();

  it('reports a reachable exporter with fresh data', async () => {
    await expect(test({})).resolves.toEqual({
      status: 'success',
      message:
        'Connected to the exporter at http://exporter:9867: 62 open findings, 80 rules, last successful poll 2026-11-29T03:03:50.000Z.',
    });
  });

  it('reports stale data as a warning naming the stale sources', async () => {
    const result = await test({
      answer: () => ({ body: { ...SUMMARY_ANSWER, stale: true, stale_sources: ['123456789012/eu-west-1/config'] } }),
    });
    expect(result.status).toBe('warning');
    expect(result.message).toMatch(/data is stale: 123456789012\/eu-west-1\/config did not poll AWS successfully/);
  });

  it('reports an authentication failure', async () => {
    const result = await test({
      answer: () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'x' } } }),
    });
    expect(result).toEqual({ status: 'error', message: expect.stringMatching(/^Authentication failed\. .*API token/) });
  });

  it('reports an unreachable exporter', async () => {
    const result = await test({ answer: () => ({ status: 502, statusText: 'Bad Gateway' }) });
    expect(result).toEqual({
      status: 'error',
      message: expect.stringMatching(/^Cannot reach the exporter at http:\/\/exporter:9867\. Grafana could not reach/),
    });
  });

  it('reports a URL that is not an exporter', async () => {
    const result = await test({ answer: () => ({ body: '<html>login</html>' }) });
    expect(result.message).toMatch(/did not answer like a Compliance Pulse exporter/);
  });

  it('asks for the URL before trying', async () => {
    const result = await test({ jsonData: {} });
    expect(result).toEqual({ status: 'error', message: expect.stringContaining('Enter the exporter URL') });
  });
});

describe('template variable support', () => {
  it('lists the values of the chosen dimension', async () => {
    const { datasource } = createDataSource();
    const request = {
      ...queryRequest([]),
      targets: [{ refId: 'var', schemaVersion: 1, dimension: 'regions' as const }],
    };
    const response = await lastValueFrom(new KpiVariableSupport(datasource).query(request));
    expect(fieldByName(response.data[0], 'text').values).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('is wired into the data source', () => {
    expect(createDataSource().datasource.variables).toBeInstanceOf(KpiVariableSupport);
  });

  it('keeps editor picker values cached but refreshes variable values every time', async () => {
    const { datasource, fetcher } = createDataSource();
    await datasource.getDimensions();
    await datasource.getDimensions();
    await datasource.dimensionValues('rules');
    await datasource.dimensionValues('rules');
    expect(fetcher.requests).toEqual(['/api/v1/dimensions', '/api/v1/dimensions', '/api/v1/dimensions']);
  });
});
