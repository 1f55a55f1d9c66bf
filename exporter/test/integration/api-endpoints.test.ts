import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '../../simulator';
import { COMMON_PORTS_RULE, DEFAULT_ACCOUNT_ID } from '../../simulator';
import type { Exporter } from '../../src/exporter';
import { addDays, localDate } from '../../src/kpi/calendar';
import { exporterFor, getJson, scrape, series, serve, startSim, sum, testConfig, type Served } from './harness';

describe('JSON API', () => {
  let sim: RunningSimulator;
  let exporter: Exporter;
  let served: Served;
  let api: (path: string, init?: RequestInit) => Promise<{ status: number; body: any }>;
  const today = () => localDate(sim.clock.now().getTime() / 1000, 'UTC');

  beforeAll(async () => {
    sim = await startSim({ scenario: 'default', seed: 23 });
    exporter = exporterFor(sim, testConfig(sim));
    served = await serve(exporter);
    api = (path, init) => getJson(`${served.url}/api/v1${path}`, init);
    await exporter.pollOnce();
  });

  afterAll(async () => {
    await served.close();
    await exporter.close();
    await sim.close();
  });

  it('summary: open findings per severity, resources, score and freshness', async () => {
    const { status, body } = await api('/summary');
    expect(status).toBe(200);
    const samples = await scrape(exporter);
    const metric = async (name: string) => sum(samples, name, { severity: 'CRITICAL' });
    // Open findings are (rule, resource) pairs; noncompliant resources are distinct resources.
    expect(body.open_findings.CRITICAL).toBe(await metric('aws_config_rule_noncompliant_resources'));
    expect(body.noncompliant_resources.CRITICAL).toBe(await metric('aws_config_noncompliant_resources'));
    expect(body.open_findings.CRITICAL).toBeGreaterThanOrEqual(body.noncompliant_resources.CRITICAL);
    const open = await api(`/findings?state=open&severity=CRITICAL&limit=1000`);
    const listed = open.body.items.length;
    // Every open finding the API lists is counted, plus those of service-linked rules below Config's cap.
    expect(body.open_findings.CRITICAL).toBeGreaterThanOrEqual(listed);
    expect(Object.keys(body.open_findings)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN']);
    expect(body.compliance_score.evaluations).toBeGreaterThan(0);
    expect(body.compliance_score.evaluations).toBeLessThan(1);
    expect(body.stale).toBe(false);
    expect(body.stale_sources).toEqual([]);
    expect(body.targets).toHaveLength(6);
    expect(body.rules_without_details).toBeGreaterThan(0);
    expect(body.rules_without_exact_count).toBeLessThanOrEqual(body.rules_without_details);
    expect(body.last_successful_poll).toBe(sim.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('rules: the catalog join with exact counts', async () => {
    const { body } = await api(`/rules?rule=${COMMON_PORTS_RULE}&region=us-east-1`);
    expect(body.items).toHaveLength(1);
    const [rule] = body.items;
    expect(rule).toMatchObject({
      account_id: DEFAULT_ACCOUNT_ID,
      region: 'us-east-1',
      rule: COMMON_PORTS_RULE,
      control_id: 'EC2.19',
      severity: 'CRITICAL',
      remediation_runbook: 'Custom-DisablePublicAccessForSecurityGroup',
      automatic: true,
      details_available: true,
      noncompliant_resources: sim.truth.noncompliantCount(DEFAULT_ACCOUNT_ID, 'us-east-1', COMMON_PORTS_RULE),
    });
    expect(rule.noncompliant_resources).toBeGreaterThan(100);
    const critical = await api('/rules?severity=CRITICAL');
    expect(critical.body.items.length).toBeGreaterThan(0);
    expect(critical.body.items.every((r: any) => r.severity === 'CRITICAL')).toBe(true);
  });

  it('findings: filtered, paginated newest first, every item exactly once', async () => {
    const all = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    let previous = Infinity;
    do {
      const { status, body }: { status: number; body: any } = await api(`/findings?state=open&rule=${COMMON_PORTS_RULE}&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      for (const f of body.items) {
        const key = `${f.region}/${f.resource_id}`;
        expect(all.has(key)).toBe(false);
        all.add(key);
        expect(f).toMatchObject({ rule: COMMON_PORTS_RULE, state: 'open', severity: 'CRITICAL', control_id: 'EC2.19', resource_type: 'AWS::EC2::SecurityGroup', pre_existing: true });
        const firstSeen = Date.parse(f.first_seen);
        expect(firstSeen).toBeLessThanOrEqual(previous);
        previous = firstSeen;
      }
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    const expected = sim.regions.reduce((n, r) => n + sim.truth.noncompliantCount(DEFAULT_ACCOUNT_ID, r, COMMON_PORTS_RULE), 0);
    expect(all.size).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 40));
    const byType = await api('/findings?resource_type=AWS::S3::Bucket&severity=CRITICAL,HIGH&limit=5');
    expect(byType.body.items.every((f: any) => f.resource_type === 'AWS::S3::Bucket' && ['CRITICAL', 'HIGH'].includes(f.severity))).toBe(true);
  });

  it('remediations: executions with times, status, reason and failure message', async () => {
    const from = addDays(today(), -30);
    const failed = await api(`/remediations?from=${from}&to=${today()}&status=failed&limit=1000`);
    expect(failed.status).toBe(200);
    const expectedFailed = sim.regions.flatMap((r) => sim.truth.finishedRemediations(DEFAULT_ACCOUNT_ID, r)).filter((e) => e.status !== 'Success');
    expect(failed.body.items).toHaveLength(expectedFailed.length);
    for (const item of failed.body.items) {
      expect(item.outcome).toBe('failed');
      expect(item.reason).toMatch(/^(access_denied|throttled|timeout|resource_not_found|invalid_parameter|other)$/);
      expect(item.end_time).not.toBeNull();
    }
    const denied = failed.body.items.find((i: any) => i.reason === 'access_denied');
    expect(denied.failure_message).toMatch(/not authorized to perform/);
    const one = await api(`/remediations?from=${from}&to=${today()}&document=Custom-DisablePublicAccessForSecurityGroup&limit=3`);
    expect(one.body.items).toHaveLength(3);
    expect(one.body.items.every((i: any) => i.document === 'Custom-DisablePublicAccessForSecurityGroup' && i.rule === COMMON_PORTS_RULE && i.severity === 'CRITICAL')).toBe(true);
    // Pages join up with no gaps or repeats.
    const firstPage = await api(`/remediations?from=${from}&to=${today()}&limit=7`);
    const second = await api(`/remediations?from=${from}&to=${today()}&limit=7&cursor=${firstPage.body.next_cursor}`);
    const both = await api(`/remediations?from=${from}&to=${today()}&limit=14`);
    expect([...firstPage.body.items, ...second.body.items].map((i: any) => i.execution_id)).toEqual(both.body.items.map((i: any) => i.execution_id));
  });

  it('dimensions: the values that exist', async () => {
    const { body } = await api('/dimensions');
    expect(body.accounts).toEqual([DEFAULT_ACCOUNT_ID]);
    expect(body.regions).toEqual(['ap-northeast-2', 'us-east-1']);
    expect(body.severities).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN']);
    expect(body.rules).toContain(COMMON_PORTS_RULE);
    expect(body.documents).toContain('Custom-DisablePublicAccessForSecurityGroup');
    expect(body.resource_types).toContain('AWS::EC2::SecurityGroup');
  });

  it('reports: the day in Markdown and CSV', async () => {
    const day = addDays(today(), -1);
    const md = await fetch(`${served.url}/api/v1/reports/daily?date=${day}&tz=Asia/Seoul`);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await md.text();
    const { body: kpi } = await api(`/kpis/daily?from=${day}&to=${day}&tz=Asia/Seoul`);
    expect(text).toContain(`# Security process daily report: ${day} (Asia/Seoul)`);
    expect(text).toContain(`| Remediations succeeded | ${kpi.days[0].remediations_succeeded} |`);
    expect(text).toContain(`| Remediations failed | ${kpi.days[0].remediations_failed} |`);
    // The day ended before the first poll: its findings are unknown, not zero.
    expect(kpi.days[0].findings_opened).toBeNull();
    expect(text).toContain('| Findings opened | not monitored |');
    expect(text).toContain('Not monitored: the day ended before monitoring began.');
    expect(text).toContain('## Top failing rules');
    expect(text).toContain('## Failed remediations');
    expect(text).toContain('## Slowest fixes');
    const failedRows = text.split('## Failed remediations')[1]?.split('## Slowest fixes')[0]?.split('\n').filter((l) => l.startsWith('| 20')) ?? [];
    expect(failedRows).toHaveLength(kpi.days[0].remediations_failed);

    const csv = await fetch(`${served.url}/api/v1/reports/daily?date=${day}&tz=Asia/Seoul&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,date,name,value,rule,severity,resource,reason,detail');
    expect(lines).toContain(`totals,${day},remediations_failed,${kpi.days[0].remediations_failed},,,,,`);
    expect(lines).toContain(`totals,${day},findings_opened,,,,,,`);
    expect(lines.filter((l) => l.startsWith('top_failing_rules,'))).toEqual([]);

    // Today is monitored: the findings open at its end, per rule.
    const todays = await (await fetch(`${served.url}/api/v1/reports/daily?date=${today()}&tz=UTC`)).text();
    expect(todays).toContain('| Findings opened | 0 |');
    expect(todays).toMatch(new RegExp(`\\| ${COMMON_PORTS_RULE} \\| EC2\\.19 \\| CRITICAL \\| \\d+ \\|`));
    expect(lines.filter((l) => l.startsWith('failed_remediations,'))).toHaveLength(kpi.days[0].remediations_failed);
  });

  it('openapi: a 3.1 document describing every endpoint', async () => {
    const { status, body } = await api('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual(['/dimensions', '/findings', '/kpis/daily', '/openapi.json', '/remediations', '/reports/daily', '/rules', '/summary']);
    const schema = (path: string) => body.paths[path].get.responses['200'].content['application/json'].schema;
    const daily = schema('/kpis/daily').properties;
    expect(daily.monitoring_began.type).toEqual(['string', 'null']);
    expect(daily.days.items.properties.findings_opened.type).toEqual(['integer', 'null']);
    expect(daily.days.items.properties.time_to_remediate_seconds.oneOf).toContainEqual({ type: 'null' });
    expect(schema('/findings').properties.items.items.properties.pre_existing.type).toBe('boolean');
  });

  it.each([
    ['/kpis/daily?from=2026-11-01', 'to', 'to is required'],
    ['/kpis/daily?from=2026-11-31&to=2026-12-01', 'from', 'from must be a calendar date YYYY-MM-DD'],
    ['/kpis/daily?from=yesterday&to=2026-12-01', 'from', 'calendar date'],
    ['/kpis/daily?from=2026-11-10&to=2026-11-01', 'from', 'from must not be after to (2026-11-10 > 2026-11-01)'],
    ['/kpis/daily?from=2025-01-01&to=2026-11-01', 'to', 'at most 400 days'],
    ['/kpis/daily?from=2026-11-01&to=2026-11-02&tz=Mars/Olympus', 'tz', 'tz is not a known IANA time zone ("Mars/Olympus")'],
    ['/kpis/daily?from=2026-11-01&to=2026-11-02&severity=SEVERE', 'severity', 'severity has an unknown value "SEVERE"'],
    ['/kpis/daily?from=2026-11-01&to=2026-11-02&color=red', 'color', 'color is not a parameter of this endpoint'],
    ['/kpis/daily?from=2026-11-01&from=2026-11-02&to=2026-11-03', 'from', 'from must be given once'],
    ['/findings?state=closed', 'state', 'state must be one of open, resolved, all'],
    ['/findings?limit=0', 'limit', 'limit must be a whole number from 1 to 1000'],
    ['/findings?limit=5000', 'limit', 'limit must be a whole number from 1 to 1000'],
    ['/findings?limit=1e3', 'limit', 'limit must be a whole number'],
    ['/findings?cursor=not-a-cursor', 'cursor', 'cursor is not a cursor this API returned'],
    ['/findings?cursor=WzEsMiwzXQ', 'cursor', 'cursor is not a cursor this API returned'],
    ['/findings?severity=', 'severity', 'severity has an empty or overlong item'],
    ['/remediations?from=2026-11-01&to=2026-11-02&status=Exploded', 'status', 'status has an unknown value "Exploded"'],
    ['/remediations?to=2026-11-02', 'from', 'from is required'],
    ['/reports/daily', 'date', 'date is required'],
    ['/reports/daily?date=2026-11-01&format=pdf', 'format', 'format must be one of md, csv'],
    ['/summary?verbose=1', 'verbose', 'verbose is not a parameter of this endpoint'],
  ])('answers %s with 400 naming %s', async (path, parameter, message) => {
    const { status, body } = await api(path);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toContain(message);
  });

  it('changes nothing whatever a client sends', async () => {
    const countRows = () =>
      ['findings', 'automation_executions', 'remediation_executions', 'totals', 'histograms', 'compliance_samples'].map(
        (table) => (exporter.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
      );
    const before = countRows();
    const counted = async () => series(await scrape(exporter), 'aws_ssm_automation_executions_total');
    const metricsBefore = await counted();
    const attempts = [
      fetch(`${served.url}/api/v1/findings`, { method: 'POST', body: '{}' }),
      fetch(`${served.url}/api/v1/findings`, { method: 'DELETE' }),
      fetch(`${served.url}/api/v1/findings?rule=${encodeURIComponent("x' OR 1=1; DROP TABLE findings; --")}`),
      fetch(`${served.url}/api/v1/findings?rule[$ne]=1`),
      fetch(`${served.url}/api/v1/%E0%A4%A`),
      fetch(`${served.url}/api/v1/kpis/daily?from=0001-01-01&to=0001-12-31&tz=UTC`),
      fetch(`${served.url}/api/v1/kpis/daily?from=9999-12-01&to=9999-12-31&tz=Pacific/Kiritimati`),
      fetch(`${served.url}/api/v1/kpis/daily?from=2999-12-01&to=2999-12-31&tz=Pacific/Kiritimati`),
      fetch(`${served.url}/api/v1/remediations?from=2026-01-01&to=2026-01-01&rule=${'x'.repeat(5000)}`),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses).toEqual([404, 404, 200, 400, 404, 400, 400, 200, 400]);
    expect(countRows()).toEqual(before);
    expect(await counted()).toEqual(metricsBefore);
    expect((await api('/summary')).status).toBe(200);
  });
});

describe('JSON API with a bearer token', () => {
  it('requires the token everywhere but the OpenAPI document, and never leaks it', async () => {
    const sim = await startSim({ scenario: 'empty' });
    const dir = mkdtempSync(join(tmpdir(), 'cp-token-'));
    writeFileSync(join(dir, 'token'), 'correct horse battery staple\n');
    const exporter = exporterFor(sim, testConfig(sim, ['--aws.region=us-east-1', `--web.api-token-file=${join(dir, 'token')}`]));
    const served = await serve(exporter);
    try {
      await exporter.pollOnce();
      const url = `${served.url}/api/v1/summary`;
      const missing = await getJson(url);
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('unauthorized');
      expect((await getJson(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await getJson(url, { headers: { Authorization: 'Bearer correct horse' } })).status).toBe(401);
      expect((await getJson(url, { headers: { Authorization: 'Bearer correct horse battery staple' } })).status).toBe(200);
      expect((await fetch(`${served.url}/api/v1/openapi.json`)).status).toBe(200);
      expect((await fetch(`${served.url}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${served.url}/metrics`)).text()).not.toContain('battery');
    } finally {
      await served.close();
      await exporter.close();
      await sim.close();
    }
  });
});
