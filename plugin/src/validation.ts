import { KpiQuery, MAX_ROWS, SEVERITIES } from './types';

/**
 * Checks a query's options before it runs. The editor shows each message next to its field; `query()` refuses to send
 * an invalid query and reports the same messages. Values holding a template variable are checked by the exporter after
 * interpolation instead.
 */

export type ValidatedField =
  'indicators' | 'accountIds' | 'regions' | 'severities' | 'rules' | 'documents' | 'timeZone' | 'limit';

export interface QueryIssue {
  field: ValidatedField;
  message: string;
}

const VARIABLE_REFERENCE = /\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\]/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const RULE_OR_DOCUMENT = /^[A-Za-z0-9_.:\/-]+$/;

function hasVariable(value: string): boolean {
  return VARIABLE_REFERENCE.test(value);
}

/** Whether `timeZone` is an IANA zone this browser knows (`Asia/Seoul`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function firstInvalid(values: string[], isValid: (value: string) => boolean): string | undefined {
  return values.find((value) => !hasVariable(value) && !isValid(value));
}

function checkList(
  issues: QueryIssue[],
  field: ValidatedField,
  values: string[],
  isValid: (value: string) => boolean,
  describe: (value: string) => string
) {
  const invalid = firstInvalid(values, isValid);
  if (invalid !== undefined) {
    issues.push({ field, message: describe(invalid) });
  }
}

function checkAccounts(issues: QueryIssue[], values: string[]) {
  checkList(
    issues,
    'accountIds',
    values,
    (value) => ACCOUNT_ID.test(value),
    (value) => `"${value}" is not an AWS account ID: account IDs are 12 digits.`
  );
}

function checkRegions(issues: QueryIssue[], values: string[]) {
  checkList(
    issues,
    'regions',
    values,
    (value) => REGION.test(value),
    (value) => `"${value}" is not an AWS region name such as us-east-1.`
  );
}

function checkSeverities(issues: QueryIssue[], values: string[]) {
  checkList(
    issues,
    'severities',
    values,
    (value) => SEVERITIES.some((severity) => severity === value),
    (value) => `"${value}" is not a severity; use ${SEVERITIES.join(', ')}.`
  );
}

function checkNames(issues: QueryIssue[], field: 'rules' | 'documents', values: string[]) {
  const noun = field === 'rules' ? 'Config rule' : 'SSM document';
  checkList(
    issues,
    field,
    values,
    (value) => RULE_OR_DOCUMENT.test(value),
    (value) => `"${value}" is not a valid ${noun} name (letters, digits and - _ . : / only).`
  );
}

function checkTimeZone(issues: QueryIssue[], timeZone: string) {
  if (timeZone !== '' && !hasVariable(timeZone) && !isTimeZone(timeZone)) {
    issues.push({
      field: 'timeZone',
      message: `"${timeZone}" is not an IANA time zone such as Asia/Seoul or UTC; leave it empty for the data source default.`,
    });
  }
}

function checkLimit(issues: QueryIssue[], limit: number) {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ROWS) {
    issues.push({ field: 'limit', message: `Rows must be a whole number from 1 to ${MAX_ROWS}.` });
  }
}

export function validateQuery(query: KpiQuery): QueryIssue[] {
  const issues: QueryIssue[] = [];
  switch (query.queryType) {
    case 'daily':
      if (query.indicators.length === 0) {
        issues.push({ field: 'indicators', message: 'Choose at least one indicator to draw.' });
      }
      checkAccounts(issues, query.accountIds);
      checkRegions(issues, query.regions);
      checkSeverities(issues, query.severities);
      checkTimeZone(issues, query.timeZone);
      break;
    case 'summary':
      break;
    case 'findings':
      checkAccounts(issues, query.accountIds);
      checkRegions(issues, query.regions);
      checkSeverities(issues, query.severities);
      checkNames(issues, 'rules', query.rules);
      checkLimit(issues, query.limit);
      break;
    case 'remediations':
      checkAccounts(issues, query.accountIds);
      checkRegions(issues, query.regions);
      checkNames(issues, 'rules', query.rules);
      checkNames(issues, 'documents', query.documents);
      checkTimeZone(issues, query.timeZone);
      checkLimit(issues, query.limit);
      break;
    case 'rules':
      checkAccounts(issues, query.accountIds);
      checkRegions(issues, query.regions);
      checkSeverities(issues, query.severities);
      checkNames(issues, 'rules', query.rules);
      break;
    case 'remediationEvents':
      checkAccounts(issues, query.accountIds);
      checkRegions(issues, query.regions);
      checkNames(issues, 'rules', query.rules);
      checkNames(issues, 'documents', query.documents);
      checkTimeZone(issues, query.timeZone);
      break;
    case 'monitoringBegan':
      checkAccounts(issues, query.accountIds);
      checkRegions(issues, query.regions);
      break;
  }
  return issues;
}

/** The message for one field, for `InlineField`'s `error` prop. */
export function issueFor(issues: QueryIssue[], field: ValidatedField): string | undefined {
  return issues.find((issue) => issue.field === field)?.message;
}

/** The config editor's check of the exporter URL; `undefined` when it is usable. */
export function exporterUrlIssue(exporterUrl: string): string | undefined {
  if (exporterUrl.trim() === '') {
    return 'Enter the exporter URL, for example http://exporter:9867.';
  }
  let url: URL;
  try {
    url = new URL(exporterUrl);
  } catch {
    return `"${exporterUrl}" is not a URL; write it with its scheme, for example http://exporter:9867.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'The exporter URL must start with http:// or https://.';
  }
  if (url.search !== '' || url.hash !== '') {
    return 'The exporter URL takes no query string or fragment.';
  }
  if (/\/api\/v1\/?$/.test(url.pathname)) {
    return 'Enter the base URL without /api/v1: the plugin adds the API path itself.';
  }
  return undefined;
}

/** The config editor's check of the default time zone. */
export function defaultTimeZoneIssue(timeZone: string): string | undefined {
  return timeZone === '' || isTimeZone(timeZone)
    ? undefined
    : `"${timeZone}" is not an IANA time zone such as Asia/Seoul or UTC; leave it empty for UTC.`;
}
