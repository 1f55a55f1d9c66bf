import { defaultQuery } from './migrations';
import { KpiQuery } from './types';
import { defaultTimeZoneIssue, exporterUrlIssue, validateQuery } from './validation';

const messages = (query: KpiQuery) => validateQuery(query).map((issue) => `${issue.field}: ${issue.message}`);

describe('validateQuery', () => {
  it('accepts every default query', () => {
    for (const type of [
      'daily',
      'summary',
      'findings',
      'remediations',
      'rules',
      'remediationEvents',
      'monitoringBegan',
    ] as const) {
      expect(validateQuery(defaultQuery(type))).toEqual([]);
    }
  });

  it('explains each invalid option of a daily query', () => {
    const query: KpiQuery = {
      ...defaultQuery('daily'),
      queryType: 'daily',
      indicators: [],
      accountIds: ['12345'],
      regions: ['mars'],
      severities: ['URGENT'],
      timeZone: 'Mars/Olympus',
    };
    expect(messages(query)).toEqual([
      'indicators: Choose at least one indicator to draw.',
      'accountIds: "12345" is not an AWS account ID: account IDs are 12 digits.',
      'regions: "mars" is not an AWS region name such as us-east-1.',
      'severities: "URGENT" is not a severity; use CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNKNOWN.',
      'timeZone: "Mars/Olympus" is not an IANA time zone such as Asia/Seoul or UTC; leave it empty for the data source default.',
    ]);
  });

  it('leaves template variables to be checked after interpolation', () => {
    const query: KpiQuery = {
      ...defaultQuery('findings'),
      queryType: 'findings',
      accountIds: ['$account'],
      regions: ['${region}'],
      severities: ['[[severity]]'],
      rules: ['$rule'],
    };
    expect(validateQuery(query)).toEqual([]);
  });

  it('checks the row limit and rule and document names', () => {
    const query: KpiQuery = {
      ...defaultQuery('remediations'),
      queryType: 'remediations',
      limit: 0,
      rules: ['bad rule'],
      documents: ['Doc<script>'],
    };
    expect(messages(query)).toEqual([
      'rules: "bad rule" is not a valid Config rule name (letters, digits and - _ . : / only).',
      'documents: "Doc<script>" is not a valid SSM document name (letters, digits and - _ . : / only).',
      'limit: Rows must be a whole number from 1 to 5000.',
    ]);
  });
});

describe('settings checks', () => {
  it.each([
    ['http://exporter:9867', undefined],
    ['https://pulse.example.com/exporter', undefined],
    ['', 'Enter the exporter URL, for example http://exporter:9867.'],
    ['exporter:9867', 'The exporter URL must start with http:// or https://.'],
    ['not a url', '"not a url" is not a URL; write it with its scheme, for example http://exporter:9867.'],
    ['http://exporter:9867/api/v1', 'Enter the base URL without /api/v1: the plugin adds the API path itself.'],
    ['http://exporter:9867/?x=1', 'The exporter URL takes no query string or fragment.'],
  ])('exporter URL %j', (url, issue) => {
    expect(exporterUrlIssue(url)).toBe(issue);
  });

  it('accepts an empty or IANA default time zone', () => {
    expect(defaultTimeZoneIssue('')).toBeUndefined();
    expect(defaultTimeZoneIssue('Asia/Seoul')).toBeUndefined();
    expect(defaultTimeZoneIssue('KST')).toMatch(/not an IANA time zone/);
  });
});
