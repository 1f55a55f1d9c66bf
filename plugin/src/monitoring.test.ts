import { createTheme, DataFrame, Field, FieldType, getDisplayProcessor, getFieldDisplayName } from '@grafana/data';

import {
  createDataSource,
  DAILY_ANSWER,
  exporterAnswers,
  FakeAnswer,
  FINDING,
  MONITORING_BEGAN,
  OLDER_DAILY_ANSWER,
  PRE_EXISTING_FINDING,
  queryRequest,
} from './__mocks__/datasource';
import { decodeDailyKpis, decodeFindingsPage } from './api';
import { kpiAnnotations } from './annotations';
import { DecodeError } from './decode';
import { defaultQuery } from './migrations';
import { DAILY_INDICATORS, FINDINGS_INDICATORS, KpiQuery, QueryOfType } from './types';

/** "Truthful from the first minute": days before monitoring began, the monitoring-began event, pre-existing findings. */

function fieldByName(frame: DataFrame | undefined, name: string): Field {
  const field = frame?.fields.find((candidate) => candidate.name === name);
  if (!field) {
    throw new Error(`no field ${name} in ${frame?.fields.map((f) => f.name).join(', ')}`);
  }
  return field;
}

async function runOne(query: KpiQuery, answer: (exporterPath: string) => FakeAnswer = exporterAnswers) {
  const { datasource, fetcher } = createDataSource({ answer });
  const response = await datasource.query(queryRequest([query]));
  expect(response.errors).toBeUndefined();
  return { requests: fetcher.requests, frame: response.data[0] as DataFrame | undefined };
}

const dailyWith = (body: unknown) => (path: string) =>
  path.startsWith('/api/v1/kpis/daily') ? { body } : exporterAnswers(path);

function daily(changes: Partial<QueryOfType<'daily'>> = {}): QueryOfType<'daily'> {
  return { ...defaultQuery('daily'), indicators: [...DAILY_INDICATORS], ...changes };
}

describe('decoding the daily KPIs', () => {
  it('reads monitoring_began and null findings figures on days before it; remediation figures stay numbers', () => {
    const kpis = decodeDailyKpis(DAILY_ANSWER, '');
    expect(kpis.monitoring_began).toEqual({ state: 'since', at: Date.parse(MONITORING_BEGAN) });
    expect(kpis.days[0]).toMatchObject({
      findings_opened: null,
      findings_resolved: null,
      open_findings: null,
      time_to_remediate_seconds: null,
      remediations_succeeded: 20,
      remediations_failed: 3,
      remediation_failures_by_reason: { access_denied: 2 },
    });
    expect(kpis.days[1]).toMatchObject({ findings_opened: 5, open_findings: { CRITICAL: 3 } });
  });

  it('says "not yet" when monitoring_began is null: the exporter has never polled the selection', () => {
    expect(decodeDailyKpis({ ...DAILY_ANSWER, monitoring_began: null }, '').monitoring_began).toEqual({
      state: 'notYet',
    });
  });

  it('accepts an older exporter without monitoring_began, which leaves the start unknown', () => {
    const kpis = decodeDailyKpis(OLDER_DAILY_ANSWER, '');
    expect(kpis.monitoring_began).toEqual({ state: 'unknown' });
    expect(kpis.days.map((day) => day.findings_opened)).toEqual([14, 5]);
  });

  it('rejects a missing findings figure (null must be said), a null remediation figure and a bad timestamp', () => {
    const { findings_opened, ...withoutOpened } = DAILY_ANSWER.days[1]!;
    expect(() => decodeDailyKpis({ ...DAILY_ANSWER, days: [withoutOpened] }, '')).toThrow(
      new DecodeError('days[0].findings_opened', 'a number')
    );
    expect(() =>
      decodeDailyKpis({ ...DAILY_ANSWER, days: [{ ...DAILY_ANSWER.days[0], remediations_failed: null }] }, '')
    ).toThrow(new DecodeError('days[0].remediations_failed', 'a number'));
    expect(() => decodeDailyKpis({ ...DAILY_ANSWER, monitoring_began: 'soon' }, '')).toThrow(
      new DecodeError('monitoring_began', 'an ISO-8601 timestamp')
    );
  });
});

describe('decoding findings', () => {
  it('reads pre_existing, and treats it as false when an older exporter does not send it', () => {
    const { pre_existing, ...older } = FINDING;
    const page = decodeFindingsPage({ items: [PRE_EXISTING_FINDING, FINDING, older], next_cursor: null }, '');
    expect(page.items.map((item) => item.pre_existing)).toEqual([true, false, false]);
    expect(() => decodeFindingsPage({ items: [{ ...FINDING, pre_existing: 'yes' }], next_cursor: null }, '')).toThrow(
      new DecodeError('items[0].pre_existing', 'true or false')
    );
  });
});

describe('daily frames before monitoring began', () => {
  it('hold null, never 0, in every findings series on such days; remediation series keep their numbers', async () => {
    const { frame } = await runOne(daily());
    const findingsFields = frame!.fields.filter(
      (field) => /^(findings_|open_findings_|time_to_remediate_)/.test(field.name) && field.type === FieldType.number
    );
    expect(findingsFields.map((field) => field.name)).toEqual([
      'findings_opened',
      'findings_resolved',
      'open_findings_CRITICAL',
      'open_findings_HIGH',
      'open_findings_MEDIUM',
      'open_findings_LOW',
      'open_findings_INFORMATIONAL',
      'open_findings_UNKNOWN',
      'time_to_remediate_p50',
      'time_to_remediate_p95',
      'time_to_remediate_mean',
    ]);
    for (const field of findingsFields) {
      expect([field.name, field.values[0]]).toEqual([field.name, null]);
      expect([field.name, typeof field.values[1]]).toEqual([field.name, 'number']);
    }
    expect(fieldByName(frame, 'open_findings_LOW').values).toEqual([null, 0]);
    expect(fieldByName(frame, 'remediations_succeeded').values).toEqual([20, 20]);
    expect(fieldByName(frame, 'remediations_failed').values).toEqual([3, 3]);
    expect(fieldByName(frame, 'remediation_failures_access_denied').values).toEqual([2, 2]);
    expect(fieldByName(frame, 'remediation_success_ratio').values).toEqual([0.8696, null]);
  });

  it('explain the empty days in a notice when findings series are drawn', async () => {
    const { frame } = await runOne(daily({ indicators: ['openFindings'] }));
    expect(frame?.meta?.notices).toEqual([
      {
        severity: 'info',
        text:
          'Findings figures are empty on 1 day(s) before monitoring began (2026-11-01T16:20:00.000Z): nothing was ' +
          'watched then, so nothing is known (not zero). Remediation figures come from SSM history and cover every day.',
      },
    ]);
  });

  it('add no notice to remediation series, nor when every day was monitored', async () => {
    expect((await runOne(daily({ indicators: ['remediationsFailed'] }))).frame?.meta?.notices).toBeUndefined();
    const older = await runOne(daily(), dailyWith(OLDER_DAILY_ANSWER));
    expect(older.frame?.meta?.notices).toBeUndefined();
    expect(fieldByName(older.frame, 'findings_opened').values).toEqual([14, 5]);
  });

  it('say when the exporter has not polled the selection yet', async () => {
    const never = {
      ...DAILY_ANSWER,
      monitoring_began: null,
      days: [DAILY_ANSWER.days[0], { ...DAILY_ANSWER.days[0], date: '2026-11-02' }],
    };
    const { frame } = await runOne(daily({ indicators: ['findingsOpened'] }), dailyWith(never));
    expect(fieldByName(frame, 'findings_opened').values).toEqual([null, null]);
    expect(frame?.meta?.notices?.[0]?.text).toMatch(/^The exporter has not polled the selected accounts and regions/);
  });

  it('cover the findings indicators exactly', () => {
    expect(FINDINGS_INDICATORS).toEqual([
      'findingsOpened',
      'findingsResolved',
      'openFindings',
      'timeToRemediateP50',
      'timeToRemediateP95',
      'timeToRemediateMean',
    ]);
  });
});

describe('the "monitoring began" annotation', () => {
  const annotation = (changes: Partial<QueryOfType<'monitoringBegan'>> = {}) =>
    kpiAnnotations.prepareQuery!({
      name: 'Monitoring began',
      enable: true,
      iconColor: 'blue',
      target: { ...defaultQuery('monitoringBegan', 'Anno'), ...changes },
    })!;

  it('is kept as its own kind by prepareQuery; other targets stay remediation events', () => {
    expect(annotation({ regions: ['eu-west-1'] })).toEqual({
      ...defaultQuery('monitoringBegan', 'Anno'),
      regions: ['eu-west-1'],
    });
    expect(
      kpiAnnotations.prepareQuery!({
        name: 'x',
        enable: true,
        iconColor: 'red',
        target: defaultQuery('findings', 'Anno'),
      })
    ).toMatchObject({ queryType: 'remediationEvents' });
  });

  it('asks for one day with the account and region filters, and marks the moment as an event', async () => {
    const { requests, frame } = await runOne(annotation({ accountIds: ['123456789012'], regions: ['eu-west-1'] }));
    expect(requests).toEqual([
      '/api/v1/kpis/daily?from=2026-11-02&to=2026-11-02&tz=UTC&account_id=123456789012&region=eu-west-1',
    ]);
    expect(frame?.fields.map((field) => field.name)).toEqual(['time', 'title', 'text', 'tags']);
    expect(fieldByName(frame, 'time')).toMatchObject({ type: FieldType.time, values: [Date.parse(MONITORING_BEGAN)] });
    expect(fieldByName(frame, 'title').values).toEqual(['Monitoring began']);
    expect(fieldByName(frame, 'tags').values).toEqual(['monitoring']);
    const [text] = fieldByName(frame, 'text').values;
    expect(text).toContain('123456789012 in eu-west-1');
    expect(text).toContain('empty (unknown, not zero)');
    expect(frame?.meta?.executedQueryString).toBe(`GET ${requests[0]}`);
  });

  it('has no event outside the time range, before the first poll, or from an older exporter', async () => {
    const cases = [
      { ...DAILY_ANSWER, monitoring_began: '2026-10-20T00:00:00Z' },
      { ...DAILY_ANSWER, monitoring_began: null },
      OLDER_DAILY_ANSWER,
    ];
    for (const body of cases) {
      const { frame } = await runOne(annotation(), dailyWith(body));
      expect(fieldByName(frame, 'time').values).toEqual([]);
    }
  });
});

describe('the findings table', () => {
  it('flags pre-existing findings in a boolean column next to First seen, shown as text', async () => {
    const { frame } = await runOne(defaultQuery('findings'));
    expect(frame?.fields.slice(0, 2).map((field) => field.name)).toEqual(['first_seen', 'pre_existing']);
    const field = fieldByName(frame, 'pre_existing');
    expect(field.type).toBe(FieldType.boolean);
    expect(field.values).toEqual([false, true]);
    expect(getFieldDisplayName(field, frame)).toBe('Pre-existing');
    const display = getDisplayProcessor({ field, theme: createTheme() });
    expect(display(true).text).toBe('Yes: open at least since First seen');
    expect(display(false).text).toBe('No');
  });
});
