#!/usr/bin/env node
/**
 * A stand-in for the Compliance Pulse exporter's JSON API (docs/api.md), for developing and testing the plugin while
 * the exporter is not available. It serves deterministic demo data relative to its start time: two accounts, two
 * regions, a small rule catalogue, findings and remediation executions over the last five weeks.
 *
 * It takes the exporter's own flags, so the browser test starts either program the same way:
 *   node harness/fixture-exporter.mjs --web.listen-address=127.0.0.1:9867 [--web.api-token-file=FILE] [--stale]
 *
 * Implemented as documented: /api/v1/{summary,kpis/daily,findings,remediations,rules,dimensions}, /-/ready,
 * /-/healthy; parameter checks with the documented 400 body (unknown parameters rejected), comma lists and repeated
 * parameters, limit/cursor paging, the bearer token (401). Not implemented: /api/v1/reports/daily, openapi.json.
 *
 * Monitoring began FIRST_POLL_DAYS_AGO days before the start for every account and region (`monitoring_began`): the
 * daily findings figures of earlier days are null, findings fixed before then were never seen, and findings open
 * then are `pre_existing`, first seen at that moment and not counted as opened on that day. Remediation executions
 * go back further, as SSM's history does.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DAY_MS = 24 * 60 * 60 * 1000;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN'];
const REASONS = ['access_denied', 'throttled', 'timeout', 'resource_not_found', 'invalid_parameter', 'other'];
const ACCOUNTS = ['123456789012', '210987654321'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const FIRST_POLL_DAYS_AGO = 14;

const CATALOGUE = [
  [
    'restricted-common-ports',
    'EC2.19',
    'CRITICAL',
    'RESTRICTED_INCOMING_TRAFFIC',
    'Security groups should not allow unrestricted access to ports with high risk',
    'Custom-DisablePublicAccessForSecurityGroup',
    true,
    'AWS::EC2::SecurityGroup',
  ],
  [
    's3-bucket-public-read-prohibited',
    'S3.2',
    'CRITICAL',
    'S3_BUCKET_PUBLIC_READ_PROHIBITED',
    'S3 general purpose buckets should block public read access',
    'AWS-DisableS3BucketPublicReadWrite',
    true,
    'AWS::S3::Bucket',
  ],
  [
    'restricted-ssh',
    'EC2.13',
    'HIGH',
    'INCOMING_SSH_DISABLED',
    'Security groups should not allow ingress from 0.0.0.0/0 to port 22',
    'AWS-DisablePublicAccessForSecurityGroup',
    true,
    'AWS::EC2::SecurityGroup',
  ],
  [
    'ec2-imdsv2-check',
    'EC2.8',
    'HIGH',
    'EC2_IMDSV2_CHECK',
    'EC2 instances should use IMDSv2',
    'AWSConfigRemediation-EnforceEC2InstanceIMDSv2',
    true,
    'AWS::EC2::Instance',
  ],
  [
    'cmk-backing-key-rotation-enabled',
    'KMS.4',
    'MEDIUM',
    'CMK_BACKING_KEY_ROTATION_ENABLED',
    'AWS KMS key rotation should be enabled',
    'AWSConfigRemediation-EnableKeyRotation',
    false,
    'AWS::KMS::Key',
  ],
  [
    'vpc-flow-logs-enabled',
    'EC2.6',
    'MEDIUM',
    'VPC_FLOW_LOGS_ENABLED',
    'VPC flow logging should be enabled in all VPCs',
    null,
    false,
    'AWS::EC2::VPC',
  ],
  [
    's3-bucket-logging-enabled',
    'S3.9',
    'LOW',
    'S3_BUCKET_LOGGING_ENABLED',
    'S3 bucket server access logging should be enabled',
    'AWS-ConfigureS3BucketLogging',
    true,
    'AWS::S3::Bucket',
  ],
  ['required-tags', null, 'UNKNOWN', 'REQUIRED_TAGS', null, 'Custom-AutoTagResources', true, 'AWS::EC2::Instance'],
  [
    'securityhub-iam-root-access-key-check-4884cd31',
    'IAM.4',
    'CRITICAL',
    'IAM_ROOT_ACCESS_KEY_CHECK',
    'IAM root user access key should not exist',
    null,
    false,
    'AWS::::Account',
  ],
].map(([rule, control_id, severity, source_identifier, title, runbook, automatic, resource_type]) => ({
  rule,
  control_id,
  severity,
  source_identifier,
  title,
  runbook,
  automatic,
  resource_type,
  service_linked: rule.startsWith('securityhub-'),
}));
/** A runbook no remediation configuration targets (listed with --remediation.document). */
const STANDALONE_DOCUMENT = 'Custom-RotateStaleAccessKeys';

const PARAMETERS = {
  '/api/v1/summary': [],
  '/api/v1/kpis/daily': ['from', 'to', 'tz', 'account_id', 'region', 'severity'],
  '/api/v1/findings': ['state', 'account_id', 'region', 'severity', 'rule', 'resource_type', 'limit', 'cursor'],
  '/api/v1/remediations': ['from', 'to', 'tz', 'account_id', 'region', 'status', 'rule', 'document', 'limit', 'cursor'],
  '/api/v1/rules': ['account_id', 'region', 'severity', 'rule'],
  '/api/v1/dimensions': [],
};

/** Deterministic pseudo-random numbers (mulberry32), so every run serves the same data. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (epochMs) => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Builds the demo world: findings and executions, all relative to `now`. */
function demoData(now) {
  const next = random(20261129);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const findings = [];
  const executions = [];
  const rules = [];
  for (const account_id of ACCOUNTS) {
    for (const region of REGIONS) {
      for (const entry of CATALOGUE) {
        const total = 4 + Math.floor(next() * 16);
        const details_available = !entry.service_linked;
        const clean = next() < 0.35;
        let open = 0;
        for (let index = 0; index < total; index += 1) {
          const firstSeen = now - Math.floor(next() * 34 * DAY_MS) - 60_000;
          const fixedAt = firstSeen + (clean ? 30_000 : 120_000 + Math.floor(next() * 2 * DAY_MS));
          const resolvedAt = (clean || next() < 0.45) && fixedAt < now ? fixedAt : null;
          const resource_id = `${entry.resource_type.split('::').at(-1)?.toLowerCase() || 'account'}-${account_id.slice(-4)}${region.slice(-1)}${String(index).padStart(3, '0')}`;
          if (resolvedAt === null) {
            open += 1;
          }
          const finding = {
            account_id,
            region,
            rule: entry.rule,
            control_id: entry.control_id,
            severity: entry.severity,
            resource_type: entry.resource_type,
            resource_id,
            annotation: entry.rule.includes('ports') ? `Port ${pick([22, 3306, 3389, 5432])} open to 0.0.0.0/0` : null,
            state: resolvedAt === null ? 'open' : 'resolved',
            first_seen: firstSeen,
            resolved_at: resolvedAt,
            remediation_state: null,
          };
          if (details_available) {
            findings.push(finding);
          }
          if (!entry.runbook) {
            continue;
          }
          // Failed attempts first; a resolved finding ends with the execution that fixed it.
          const failures = Math.floor(next() * (resolvedAt === null ? 4 : 2));
          const attempts = [];
          for (let attempt = 0; attempt < failures; attempt += 1) {
            const start = firstSeen + 30_000 + attempt * (20 * 60_000 + Math.floor(next() * 6 * 3600_000));
            if (start < (resolvedAt ?? now) - 60_000) {
              attempts.push({ start, outcome: now - start < 20 * 60_000 ? 'running' : 'failed' });
            }
          }
          if (resolvedAt !== null) {
            attempts.push({ start: resolvedAt - 60_000 - Math.floor(next() * 600_000), outcome: 'succeeded' });
          }
          for (const { start, outcome } of attempts) {
            const reason = outcome === 'failed' ? (next() < 0.7 ? 'access_denied' : pick(REASONS.slice(1))) : null;
            const duration = outcome === 'running' ? null : Math.round((3 + next() * 600) * 10) / 10;
            executions.push({
              execution_id: `${Math.floor(next() * 0xffffffff)
                .toString(16)
                .padStart(8, '0')}-${String(executions.length).padStart(4, '0')}-4e3f-9a51-0c5d7c1b2e11`,
              account_id,
              region,
              document: entry.runbook,
              rule: entry.rule,
              severity: entry.severity,
              resource_id,
              status: {
                running: 'InProgress',
                succeeded: 'Success',
                failed: reason === 'timeout' ? 'TimedOut' : 'Failed',
              }[outcome],
              outcome,
              start_time: start,
              end_time: duration === null ? null : start + duration * 1000,
              duration_seconds: duration,
              reason,
              failure_message:
                reason === 'access_denied'
                  ? `User: arn:aws:sts::${account_id}:assumed-role/ConfigRemediation/session is not authorized to perform: ec2:RevokeSecurityGroupIngress`
                  : reason
                    ? `Step failed: ${reason.replace(/_/g, ' ')}`
                    : null,
            });
          }
          const last = attempts.at(-1);
          if (resolvedAt === null && last) {
            finding.remediation_state = last.outcome === 'running' ? 'IN_PROGRESS' : 'FAILED';
          }
        }
        const noncompliant = details_available ? open : null;
        rules.push({
          account_id,
          region,
          rule: entry.rule,
          source_identifier: entry.source_identifier,
          control_id: entry.control_id,
          title: entry.title,
          severity: entry.severity,
          remediation_runbook: entry.runbook,
          automatic: entry.automatic,
          service_linked: entry.service_linked,
          compliance: open > 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
          noncompliant_resources: noncompliant,
          compliant_resources: details_available ? 10 + Math.floor(next() * 60) : null,
          details_available,
          last_evaluation: now - Math.floor(next() * 6 * 3600_000),
        });
      }
      for (let index = 0; index < 6; index += 1) {
        const start = now - Math.floor(next() * 30 * DAY_MS);
        executions.push({
          execution_id: `standalone-${account_id.slice(-4)}-${region}-${index}`,
          account_id,
          region,
          document: STANDALONE_DOCUMENT,
          rule: null,
          severity: null,
          resource_id: null,
          status: 'Success',
          outcome: 'succeeded',
          start_time: start,
          end_time: start + 42_000,
          duration_seconds: 42,
          reason: null,
          failure_message: null,
        });
      }
    }
  }
  // What the exporter can know: it began to look at `monitoringBegan`.
  const monitoringBegan = now - FIRST_POLL_DAYS_AGO * DAY_MS;
  const seen = findings.flatMap((finding) => {
    if (finding.first_seen >= monitoringBegan) {
      return [{ ...finding, pre_existing: false }];
    }
    if (finding.resolved_at !== null && finding.resolved_at < monitoringBegan) {
      return [];
    }
    return [{ ...finding, first_seen: monitoringBegan, pre_existing: true }];
  });
  seen.sort((a, b) => b.first_seen - a.first_seen);
  executions.sort((a, b) => b.start_time - a.start_time);
  return { now, monitoringBegan, findings: seen, executions, rules };
}

class ApiError extends Error {
  constructor(status, code, message, parameter) {
    super(message);
    this.status = status;
    this.code = code;
    this.parameter = parameter;
  }
}

const invalid = (parameter, message) => new ApiError(400, 'invalid_parameter', message, parameter);

function isTimeZone(timeZone) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function dateInZone(epochMs, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value])
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function readParameters(path, searchParams) {
  const allowed = PARAMETERS[path];
  const values = {};
  for (const [name, value] of searchParams) {
    if (!allowed.includes(name)) {
      throw invalid(name, `unknown parameter ${name}`);
    }
    values[name] = [
      ...(values[name] ?? []),
      ...value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ];
  }
  const one = (name) => values[name]?.at(-1);
  const list = (name) => values[name] ?? [];
  const tz = one('tz') ?? 'UTC';
  if (!isTimeZone(tz)) {
    throw invalid('tz', 'tz must be an IANA time zone name');
  }
  for (const severity of list('severity')) {
    if (!SEVERITIES.includes(severity)) {
      throw invalid('severity', `severity must be one of ${SEVERITIES.join(', ')}`);
    }
  }
  const limitText = one('limit');
  const limit = limitText === undefined ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw invalid('limit', 'limit must be an integer from 1 to 1000');
  }
  const cursorText = one('cursor');
  const offset = cursorText === undefined ? 0 : Number(Buffer.from(cursorText, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) {
    throw invalid('cursor', 'cursor is not one this exporter issued');
  }
  return { one, list, tz, limit, offset };
}

function requiredDates(params) {
  const dates = {};
  for (const name of ['from', 'to']) {
    const value = params.one(name);
    if (value === undefined) {
      throw invalid(name, `${name} is required`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw invalid(name, `${name} must be a date YYYY-MM-DD`);
    }
    dates[name] = value;
  }
  if (dates.from > dates.to) {
    throw invalid('from', 'from must not be after to');
  }
  if ((Date.parse(dates.to) - Date.parse(dates.from)) / DAY_MS >= 400) {
    throw invalid('from', 'the range covers more than 400 days');
  }
  return dates;
}

const matches = (wanted, value) => wanted.length === 0 || wanted.includes(value);

function byDimensions(params, item) {
  return (
    matches(params.list('account_id'), item.account_id) &&
    matches(params.list('region'), item.region) &&
    matches(params.list('severity'), item.severity)
  );
}

function page(items, params, toJson) {
  const slice = items.slice(params.offset, params.offset + params.limit);
  const nextOffset = params.offset + slice.length;
  return {
    items: slice.map(toJson),
    next_cursor: nextOffset < items.length ? Buffer.from(String(nextOffset)).toString('base64url') : null,
  };
}

const findingJson = (f) => ({
  ...f,
  first_seen: iso(f.first_seen),
  resolved_at: f.resolved_at === null ? null : iso(f.resolved_at),
});
const executionJson = (e) => ({
  ...e,
  start_time: iso(e.start_time),
  end_time: e.end_time === null ? null : iso(e.end_time),
});

function percentile(sorted, fraction) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function summary(data, stale) {
  const open = data.findings.filter((f) => f.state === 'open');
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length]));
  const compliant = data.rules.reduce((sum, r) => sum + (r.compliant_resources ?? 0), 0);
  const evaluations = compliant + open.length;
  const lastPoll = stale ? data.now - 3 * 3600_000 : Date.now() - 20_000;
  return {
    generated_at: iso(Date.now()),
    open_findings: counts,
    open_findings_total: open.length,
    compliance_score: {
      evaluations: evaluations === 0 ? null : Math.round((compliant / evaluations) * 10000) / 10000,
      rules:
        Math.round((data.rules.filter((r) => r.compliance === 'COMPLIANT').length / data.rules.length) * 10000) / 10000,
    },
    remediations_in_progress: data.executions.filter((e) => e.outcome === 'running').length,
    rules_total: data.rules.length,
    rules_noncompliant: data.rules.filter((r) => r.compliance === 'NON_COMPLIANT').length,
    rules_without_details: data.rules.filter((r) => !r.details_available).length,
    last_successful_poll: iso(lastPoll),
    stale,
    stale_sources: stale ? [`${ACCOUNTS[0]}/${REGIONS[1]}/ssm`] : [],
    targets: ACCOUNTS.flatMap((account_id) =>
      REGIONS.flatMap((region) =>
        ['config', 'remediation', 'ssm'].map((source) => ({
          account_id,
          region,
          source,
          ok: !stale,
          last_success: iso(lastPoll),
          last_error: stale ? 'ThrottlingException' : null,
        }))
      )
    ),
  };
}

function dailyKpis(data, params) {
  const { from, to } = requiredDates(params);
  const tz = params.tz;
  const findings = data.findings.filter((f) => byDimensions(params, f));
  const executions = data.executions.filter(
    (e) =>
      matches(params.list('account_id'), e.account_id) &&
      matches(params.list('region'), e.region) &&
      (params.list('severity').length === 0 || params.list('severity').includes(e.severity))
  );
  const firstPollDate = dateInZone(data.monitoringBegan, tz);
  const days = [];
  for (
    let date = from;
    date <= to;
    date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)
  ) {
    const onDay = (epochMs) => epochMs !== null && epochMs <= data.now && dateInZone(epochMs, tz) === date;
    const endOfDay = (epochMs) => dateInZone(epochMs, tz) <= date;
    const openAtEnd = findings.filter(
      (f) => endOfDay(f.first_seen) && (f.resolved_at === null || !endOfDay(f.resolved_at))
    );
    const ended = executions.filter((e) => e.end_time !== null && onDay(e.end_time));
    const succeeded = ended.filter((e) => e.outcome === 'succeeded').length;
    const failed = ended.filter((e) => e.outcome === 'failed');
    const fixes = findings
      .filter((f) => onDay(f.resolved_at))
      .map((f) => (f.resolved_at - f.first_seen) / 1000)
      .sort((a, b) => a - b);
    const monitored = date >= firstPollDate;
    const scored = monitored && date <= dateInZone(data.now, tz);
    const evaluationsScore = 0.8 + (openAtEnd.length % 7) / 100;
    days.push({
      date,
      findings_opened: monitored ? findings.filter((f) => !f.pre_existing && onDay(f.first_seen)).length : null,
      findings_resolved: monitored ? fixes.length : null,
      open_findings: monitored
        ? Object.fromEntries(SEVERITIES.map((s) => [s, openAtEnd.filter((f) => f.severity === s).length]))
        : null,
      remediations_succeeded: succeeded,
      remediations_failed: failed.length,
      remediation_success_ratio:
        ended.length === 0 ? null : Math.round((succeeded / (succeeded + failed.length)) * 10000) / 10000,
      remediation_failures_by_reason: Object.fromEntries(
        REASONS.map((r) => [r, failed.filter((e) => e.reason === r).length])
      ),
      time_to_remediate_seconds: monitored
        ? {
            count: fixes.length,
            p50: percentile(fixes, 0.5),
            p95: percentile(fixes, 0.95),
            mean: fixes.length === 0 ? null : Math.round((fixes.reduce((a, b) => a + b, 0) / fixes.length) * 10) / 10,
          }
        : null,
      compliance_score: scored
        ? {
            evaluations: Math.round(evaluationsScore * 10000) / 10000,
            rules: Math.round((evaluationsScore - 0.15) * 10000) / 10000,
          }
        : { evaluations: null, rules: null },
    });
  }
  return { timezone: tz, from, to, monitoring_began: iso(data.monitoringBegan), days };
}

const STATUS_GROUPS = {
  succeeded: ['Success'],
  failed: ['Failed', 'TimedOut', 'Cancelled'],
  running: ['InProgress', 'Pending'],
};

function remediations(data, params) {
  const { from, to } = requiredDates(params);
  const statuses = params.list('status').flatMap((status) => STATUS_GROUPS[status] ?? [status]);
  const items = data.executions.filter((e) => {
    const day = dateInZone(e.start_time, params.tz);
    return (
      day >= from &&
      day <= to &&
      e.start_time <= Date.now() &&
      matches(params.list('account_id'), e.account_id) &&
      matches(params.list('region'), e.region) &&
      matches(statuses, e.status) &&
      matches(params.list('rule'), e.rule) &&
      matches(params.list('document'), e.document)
    );
  });
  return page(items, params, executionJson);
}

function findingsList(data, params) {
  const state = params.one('state');
  if (state !== undefined && state !== 'open' && state !== 'resolved') {
    throw invalid('state', 'state must be open or resolved');
  }
  const items = data.findings.filter(
    (f) =>
      byDimensions(params, f) &&
      matches(params.list('rule'), f.rule) &&
      matches(params.list('resource_type'), f.resource_type) &&
      (state === undefined || f.state === state)
  );
  return page(items, params, findingJson);
}

function rulesList(data, params) {
  const items = data.rules.filter((r) => byDimensions(params, r) && matches(params.list('rule'), r.rule));
  return { items: items.map((r) => ({ ...r, last_evaluation: iso(r.last_evaluation) })) };
}

function dimensions(data) {
  return {
    accounts: ACCOUNTS,
    regions: [...REGIONS].sort(),
    severities: SEVERITIES,
    rules: CATALOGUE.map((entry) => entry.rule).sort(),
    documents: [
      ...new Set([...CATALOGUE.flatMap((entry) => (entry.runbook ? [entry.runbook] : [])), STANDALONE_DOCUMENT]),
    ].sort(),
    resource_types: [...new Set(data.findings.map((f) => f.resource_type))].sort(),
  };
}

/** The HTTP handler; `token` enables bearer authentication of /api/v1. */
function createFixtureExporter({ token, stale = false, now = Date.now() } = {}) {
  const data = demoData(now);
  const handlers = {
    '/api/v1/summary': () => summary(data, stale),
    '/api/v1/kpis/daily': (params) => dailyKpis(data, params),
    '/api/v1/findings': (params) => findingsList(data, params),
    '/api/v1/remediations': (params) => remediations(data, params),
    '/api/v1/rules': (params) => rulesList(data, params),
    '/api/v1/dimensions': () => dimensions(data),
  };
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    const send = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/-/ready' || url.pathname === '/-/healthy') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('OK\n');
      return;
    }
    const handler = handlers[url.pathname];
    try {
      if (!url.pathname.startsWith('/api/v1/')) {
        throw new ApiError(404, 'not_found', `no route ${url.pathname}`);
      }
      if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) {
        throw new ApiError(401, 'unauthorized', 'missing or wrong bearer token');
      }
      if (request.method !== 'GET' || handler === undefined) {
        throw new ApiError(404, 'not_found', `no route ${request.method} ${url.pathname}`);
      }
      send(200, handler(readParameters(url.pathname, url.searchParams)));
    } catch (error) {
      if (error instanceof ApiError) {
        send(error.status, {
          error: { code: error.code, ...(error.parameter && { parameter: error.parameter }), message: error.message },
        });
      } else {
        console.error(error);
        send(500, { error: { code: 'internal', message: 'internal error' } });
      }
    }
  });
}

function main() {
  const flags = Object.fromEntries(
    process.argv.slice(2).map((argument) => {
      const [name, ...value] = argument.replace(/^--/, '').split('=');
      return [name, value.length > 0 ? value.join('=') : 'true'];
    })
  );
  const [host, port] = (flags['web.listen-address'] ?? '127.0.0.1:9867').split(/:(?=\d+$)/);
  const tokenFile = flags['web.api-token-file'];
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : undefined;
  const server = createFixtureExporter({ token, stale: flags.stale === 'true' });
  server.listen(Number(port), host || '127.0.0.1', () => {
    const address = server.address();
    console.log(
      JSON.stringify({
        msg: 'fixture exporter listening',
        address: `${address.address}:${address.port}`,
        auth: token !== undefined,
      })
    );
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => server.close(() => process.exit(0)));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
