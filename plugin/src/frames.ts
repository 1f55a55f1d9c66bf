import {
  createDataFrame,
  DataFrame,
  FieldColorModeId,
  FieldConfig,
  FieldType,
  MappingType,
  QueryResultMetaNotice,
  ValueMapping,
} from '@grafana/data';

import { DailyKpiDay, DailyKpis, Finding, MonitoringStart, Remediation, Rule, Summary } from './api';
import { startOfDay } from './dates';
import { DailyIndicator, FINDINGS_INDICATORS, SEVERITIES } from './types';

/**
 * Exporter answers → data frames. Units follow docs/api.md: durations are seconds (`s`), ratios are 0–1
 * (`percentunit`); display names are what panels show by default (users can still override them).
 */

const SECONDS = 's';
const RATIO = 'percentunit';
const COUNT = 'none';

const SEVERITY_COLORS: Record<string, string> = {
  CRITICAL: 'dark-red',
  HIGH: 'red',
  MEDIUM: 'orange',
  LOW: 'yellow',
  INFORMATIONAL: 'blue',
  UNKNOWN: 'text',
};

const OUTCOME_COLORS: Record<string, string> = { succeeded: 'green', failed: 'red', running: 'blue' };

function colorMapping(colors: Record<string, string>): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(Object.entries(colors).map(([value, color], index) => [value, { color, index }])),
    },
  ];
}

const colouredText = (colors: Record<string, string>): FieldConfig => ({
  mappings: colorMapping(colors),
  custom: { cellOptions: { type: 'color-text' } },
});

const ratioConfig = (displayName: string): FieldConfig => ({
  displayNameFromDS: displayName,
  unit: RATIO,
  min: 0,
  max: 1,
  decimals: 1,
});

const countConfig = (displayName: string): FieldConfig => ({
  displayNameFromDS: displayName,
  unit: COUNT,
  decimals: 0,
});

const secondsConfig = (displayName: string): FieldConfig => ({ displayNameFromDS: displayName, unit: SECONDS });

const titleCase = (word: string) => word.charAt(0) + word.slice(1).toLowerCase();

/** Known severities first in their usual order, then anything new the exporter reports. */
function orderedSeverities(counts: Record<string, number>, onlyThese: string[]): string[] {
  const present = Object.keys(counts);
  const ordered = [
    ...SEVERITIES.filter((severity) => present.includes(severity)),
    ...present.filter((key) => !SEVERITIES.some((s) => s === key)),
  ];
  return onlyThese.length > 0 ? ordered.filter((severity) => onlyThese.includes(severity)) : ordered;
}

interface FrameMeta {
  refId: string;
  /** Exporter request(s) shown by the query inspector. */
  request: string;
  notices?: QueryResultMetaNotice[];
}

interface FieldSpec {
  name: string;
  type: FieldType;
  values: unknown[];
  config?: FieldConfig;
}

function frame(meta: FrameMeta, name: string, fields: FieldSpec[], preferTable: boolean): DataFrame {
  return createDataFrame({
    refId: meta.refId,
    name,
    fields,
    meta: {
      executedQueryString: meta.request,
      ...(preferTable && { preferredVisualisationType: 'table' as const }),
      ...(meta.notices && meta.notices.length > 0 && { notices: meta.notices }),
    },
  });
}

/** A table column: field type, field name, display name (or whole config), and the row's value. */
type Column<Row> = [FieldType, string, string | FieldConfig, (row: Row) => unknown];

function columns<Row>(rows: Row[], specs: Array<Column<Row>>): FieldSpec[] {
  return specs.map(([type, name, config, value]) => ({
    name,
    type,
    values: rows.map(value),
    config: typeof config === 'string' ? { displayNameFromDS: config } : config,
  }));
}

export function summaryFrame(summary: Summary, meta: FrameMeta): DataFrame {
  const severities = orderedSeverities(summary.open_findings, []);
  const dataAgeSeconds =
    summary.last_successful_poll === null ? null : (summary.generated_at - summary.last_successful_poll) / 1000;
  const notices: QueryResultMetaNotice[] = summary.stale
    ? [
        {
          severity: 'warning',
          text:
            'The exporter data is stale: ' +
            (summary.stale_sources.length > 0 ? summary.stale_sources.join(', ') : 'no source') +
            ' has not polled successfully within two poll intervals.',
        },
      ]
    : [];
  return frame(
    { ...meta, notices: [...(meta.notices ?? []), ...notices] },
    'Summary',
    [
      {
        name: 'last_successful_poll',
        type: FieldType.time,
        values: [summary.last_successful_poll],
        config: { displayNameFromDS: 'Last successful poll' },
      },
      {
        name: 'open_findings_total',
        type: FieldType.number,
        values: [summary.open_findings_total],
        config: countConfig('Open findings'),
      },
      ...severities.map((severity) => ({
        name: `open_findings_${severity}`,
        type: FieldType.number,
        values: [summary.open_findings[severity]],
        config: {
          ...countConfig(titleCase(severity)),
          color: { mode: FieldColorModeId.Fixed, fixedColor: SEVERITY_COLORS[severity] ?? 'text' },
        },
      })),
      {
        name: 'compliance_score_evaluations',
        type: FieldType.number,
        values: [summary.compliance_score.evaluations],
        config: ratioConfig('Compliance score (evaluations)'),
      },
      {
        name: 'compliance_score_rules',
        type: FieldType.number,
        values: [summary.compliance_score.rules],
        config: ratioConfig('Compliance score (rules)'),
      },
      {
        name: 'remediations_in_progress',
        type: FieldType.number,
        values: [summary.remediations_in_progress],
        config: countConfig('Remediations in progress'),
      },
      { name: 'rules_total', type: FieldType.number, values: [summary.rules_total], config: countConfig('Rules') },
      {
        name: 'rules_noncompliant',
        type: FieldType.number,
        values: [summary.rules_noncompliant],
        config: countConfig('Noncompliant rules'),
      },
      {
        name: 'rules_without_details',
        type: FieldType.number,
        values: [summary.rules_without_details],
        config: countConfig('Rules without details'),
      },
      { name: 'data_age_seconds', type: FieldType.number, values: [dataAgeSeconds], config: secondsConfig('Data age') },
      { name: 'stale', type: FieldType.boolean, values: [summary.stale], config: { displayNameFromDS: 'Stale' } },
    ],
    false
  );
}

interface DailySeries {
  name: string;
  config: FieldConfig;
  value: (day: DailyKpiDay) => number | null;
}

function keysOf(
  days: DailyKpiDay[],
  pick: (day: DailyKpiDay) => Record<string, number> | null
): Record<string, number> {
  return Object.fromEntries(days.flatMap((day) => Object.keys(pick(day) ?? {}).map((key) => [key, 0])));
}

/** The indicators that are one series each: a field name, its display and the day's value. */
const SINGLE_SERIES: Record<Exclude<DailyIndicator, 'openFindings' | 'remediationFailuresByReason'>, DailySeries> = {
  findingsOpened: {
    name: 'findings_opened',
    config: countConfig('Findings opened'),
    value: (day) => day.findings_opened,
  },
  findingsResolved: {
    name: 'findings_resolved',
    config: countConfig('Findings resolved'),
    value: (day) => day.findings_resolved,
  },
  remediationsSucceeded: {
    name: 'remediations_succeeded',
    config: countConfig('Remediations succeeded'),
    value: (day) => day.remediations_succeeded,
  },
  remediationsFailed: {
    name: 'remediations_failed',
    config: countConfig('Remediations failed'),
    value: (day) => day.remediations_failed,
  },
  remediationSuccessRatio: {
    name: 'remediation_success_ratio',
    config: ratioConfig('Remediation success ratio'),
    value: (day) => day.remediation_success_ratio,
  },
  timeToRemediateP50: {
    name: 'time_to_remediate_p50',
    config: secondsConfig('Time to remediate p50'),
    value: (day) => day.time_to_remediate_seconds?.p50 ?? null,
  },
  timeToRemediateP95: {
    name: 'time_to_remediate_p95',
    config: secondsConfig('Time to remediate p95'),
    value: (day) => day.time_to_remediate_seconds?.p95 ?? null,
  },
  timeToRemediateMean: {
    name: 'time_to_remediate_mean',
    config: secondsConfig('Time to remediate (mean)'),
    value: (day) => day.time_to_remediate_seconds?.mean ?? null,
  },
  complianceScoreEvaluations: {
    name: 'compliance_score_evaluations',
    config: ratioConfig('Compliance score (evaluations)'),
    value: (day) => day.compliance_score.evaluations,
  },
  complianceScoreRules: {
    name: 'compliance_score_rules',
    config: ratioConfig('Compliance score (rules)'),
    value: (day) => day.compliance_score.rules,
  },
};

function dailySeries(indicator: DailyIndicator, days: DailyKpiDay[], severities: string[]): DailySeries[] {
  switch (indicator) {
    case 'openFindings':
      return orderedSeverities(
        keysOf(days, (day) => day.open_findings),
        severities
      ).map((severity) => ({
        name: `open_findings_${severity}`,
        config: {
          ...countConfig(`Open findings ${titleCase(severity)}`),
          color: { mode: FieldColorModeId.Fixed, fixedColor: SEVERITY_COLORS[severity] ?? 'text' },
        },
        // A severity the exporter left out of a monitored day is zero; a day before monitoring began has no counts,
        // for every severity at once: stacked series show a gap only where all series of the stack are null
        // (grafana/grafana packages/grafana-ui/src/components/uPlot/utils.ts, preparePlotData2).
        value: (day) => (day.open_findings === null ? null : (day.open_findings[severity] ?? 0)),
      }));
    case 'remediationFailuresByReason':
      return Object.keys(keysOf(days, (day) => day.remediation_failures_by_reason)).map((reason) => ({
        name: `remediation_failures_${reason}`,
        config: countConfig(`Remediation failures: ${reason.replace(/_/g, ' ')}`),
        value: (day) => day.remediation_failures_by_reason[reason] ?? 0,
      }));
    default:
      return [SINGLE_SERIES[indicator]];
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Why findings series are empty on some days, for the panel's notice: days before monitoring began carry `null`
 * (Grafana draws a gap, not a zero), and a panel should say so rather than look broken.
 */
function unmonitoredNotices(kpis: DailyKpis, indicators: DailyIndicator[]): QueryResultMetaNotice[] {
  const unmonitored = kpis.days.filter((day) => day.findings_opened === null);
  if (unmonitored.length === 0 || !indicators.some((indicator) => FINDINGS_INDICATORS.includes(indicator))) {
    return [];
  }
  const start = kpis.monitoring_began;
  const text =
    start.state === 'notYet'
      ? 'The exporter has not polled the selected accounts and regions successfully yet, so no findings figures ' +
        'exist for any day.'
      : `Findings figures are empty on ${unmonitored.length} day(s) before monitoring began` +
        (start.state === 'since' ? ` (${new Date(start.at).toISOString()})` : '') +
        ': nothing was watched then, so nothing is known (not zero).';
  return [{ severity: 'info', text: `${text} Remediation figures come from SSM history and cover every day.` }];
}

/**
 * One wide frame: the day (at local midnight of the answer's time zone) and one field per series. A day without a
 * figure (before monitoring began, or nothing to measure) holds `null`, never 0.
 */
export function dailyFrame(
  kpis: DailyKpis,
  indicators: DailyIndicator[],
  severities: string[],
  meta: FrameMeta
): DataFrame {
  const series = indicators.flatMap((indicator) => dailySeries(indicator, kpis.days, severities));
  return frame(
    { ...meta, notices: [...(meta.notices ?? []), ...unmonitoredNotices(kpis, indicators)] },
    'Daily indicators',
    [
      {
        name: 'time',
        type: FieldType.time,
        values: kpis.days.map((day) => startOfDay(day.date, kpis.timezone)),
        config: { displayNameFromDS: `Day (${kpis.timezone})`, interval: DAY_MS },
      },
      ...series.map((item) => ({
        name: item.name,
        type: FieldType.number,
        values: kpis.days.map(item.value),
        config: item.config,
      })),
    ],
    false
  );
}

/**
 * The findings table's `pre_existing` column: a boolean, shown as text by value mappings. Grafana looks a value up
 * in a ValueToText mapping's options by the value itself, so `true`/`false` find the keys 'true'/'false'
 * (grafana/grafana packages/grafana-data/src/utils/valueMappings.ts, getValueMappingResult).
 */
const preExistingConfig: FieldConfig = {
  displayNameFromDS: 'Pre-existing',
  description:
    'Already open when monitoring began: it was first seen when the exporter first looked, so it has been open ' +
    'at least since First seen, probably longer.',
  mappings: [
    {
      type: MappingType.ValueToText,
      options: {
        true: { text: 'Yes: open at least since First seen', color: 'orange', index: 0 },
        false: { text: 'No', color: 'text', index: 1 },
      },
    },
  ],
  custom: { cellOptions: { type: 'color-text' } },
};

export function findingsFrame(findings: Finding[], meta: FrameMeta): DataFrame {
  const fields = columns(findings, [
    [FieldType.time, 'first_seen', 'First seen', (f) => f.first_seen],
    [FieldType.boolean, 'pre_existing', preExistingConfig, (f) => f.pre_existing],
    [
      FieldType.string,
      'severity',
      { displayNameFromDS: 'Severity', ...colouredText(SEVERITY_COLORS) },
      (f) => f.severity,
    ],
    [FieldType.string, 'state', 'State', (f) => f.state],
    [FieldType.string, 'rule', 'Rule', (f) => f.rule],
    [FieldType.string, 'control_id', 'Control', (f) => f.control_id],
    [FieldType.string, 'resource_type', 'Resource type', (f) => f.resource_type],
    [FieldType.string, 'resource_id', 'Resource', (f) => f.resource_id],
    [FieldType.string, 'account_id', 'Account', (f) => f.account_id],
    [FieldType.string, 'region', 'Region', (f) => f.region],
    [FieldType.string, 'annotation', 'Annotation', (f) => f.annotation],
    [FieldType.string, 'remediation_state', 'Remediation', (f) => f.remediation_state],
    [FieldType.time, 'resolved_at', 'Resolved at', (f) => f.resolved_at],
  ]);
  return frame(meta, 'Findings', fields, true);
}

export function remediationsFrame(remediations: Remediation[], meta: FrameMeta): DataFrame {
  const fields = columns(remediations, [
    [FieldType.time, 'start_time', 'Started', (r) => r.start_time],
    [FieldType.string, 'outcome', { displayNameFromDS: 'Outcome', ...colouredText(OUTCOME_COLORS) }, (r) => r.outcome],
    [FieldType.string, 'reason', 'Reason', (r) => r.reason],
    [FieldType.string, 'rule', 'Rule', (r) => r.rule],
    [FieldType.string, 'document', 'Document', (r) => r.document],
    [FieldType.string, 'resource_id', 'Resource', (r) => r.resource_id],
    [
      FieldType.string,
      'severity',
      { displayNameFromDS: 'Severity', ...colouredText(SEVERITY_COLORS) },
      (r) => r.severity,
    ],
    [FieldType.number, 'duration_seconds', secondsConfig('Duration'), (r) => r.duration_seconds],
    [FieldType.string, 'status', 'Status', (r) => r.status],
    [FieldType.string, 'account_id', 'Account', (r) => r.account_id],
    [FieldType.string, 'region', 'Region', (r) => r.region],
    [FieldType.time, 'end_time', 'Ended', (r) => r.end_time],
    [FieldType.string, 'failure_message', 'Failure message', (r) => r.failure_message],
    [FieldType.string, 'execution_id', 'Execution', (r) => r.execution_id],
  ]);
  return frame(meta, 'Remediations', fields, true);
}

function compliantShare(rule: Rule): number | null {
  if (rule.compliant_resources === null || rule.noncompliant_resources === null) {
    return null;
  }
  const evaluated = rule.compliant_resources + rule.noncompliant_resources;
  return evaluated === 0 ? null : rule.compliant_resources / evaluated;
}

export function rulesFrame(rules: Rule[], meta: FrameMeta): DataFrame {
  const complianceConfig: FieldConfig = {
    displayNameFromDS: 'Compliance',
    ...colouredText({ COMPLIANT: 'green', NON_COMPLIANT: 'red', INSUFFICIENT_DATA: 'text', NOT_APPLICABLE: 'text' }),
  };
  const fields = columns(rules, [
    [FieldType.string, 'rule', 'Rule', (r) => r.rule],
    [
      FieldType.string,
      'severity',
      { displayNameFromDS: 'Severity', ...colouredText(SEVERITY_COLORS) },
      (r) => r.severity,
    ],
    [FieldType.string, 'compliance', complianceConfig, (r) => r.compliance],
    [FieldType.number, 'noncompliant_resources', countConfig('Noncompliant'), (r) => r.noncompliant_resources],
    [FieldType.number, 'compliant_resources', countConfig('Compliant'), (r) => r.compliant_resources],
    [FieldType.number, 'compliant_share', ratioConfig('Compliant share'), compliantShare],
    [FieldType.string, 'control_id', 'Control', (r) => r.control_id],
    [FieldType.string, 'title', 'Title', (r) => r.title],
    [FieldType.string, 'remediation_runbook', 'Runbook', (r) => r.remediation_runbook],
    [FieldType.boolean, 'automatic', 'Automatic', (r) => r.automatic],
    [FieldType.boolean, 'details_available', 'Details available', (r) => r.details_available],
    [FieldType.string, 'source_identifier', 'Source identifier', (r) => r.source_identifier],
    [FieldType.string, 'account_id', 'Account', (r) => r.account_id],
    [FieldType.string, 'region', 'Region', (r) => r.region],
    [FieldType.time, 'last_evaluation', 'Last evaluation', (r) => r.last_evaluation],
  ]);
  return frame(meta, 'Rules', fields, true);
}

function eventText(remediation: Remediation): string {
  const target = remediation.resource_id ?? 'no resource';
  const lines = [`${remediation.document} on ${target} (${remediation.account_id}, ${remediation.region})`];
  if (remediation.rule) {
    lines.push(`Rule: ${remediation.rule}`);
  }
  if (remediation.reason) {
    lines.push(
      `Reason: ${remediation.reason}${remediation.failure_message ? ` (${remediation.failure_message})` : ''}`
    );
  }
  return lines.join('\n');
}

/**
 * Annotation events: Grafana maps fields named time, timeEnd, title, text and tags (comma-separated) onto events
 * (grafana/grafana public/app/features/annotations/standardAnnotationSupport.ts, annotationEventNames), so these
 * fields keep those names and carry no display names.
 */
export function remediationEventsFrame(remediations: Remediation[], meta: FrameMeta): DataFrame {
  const column = <T>(pick: (remediation: Remediation) => T) => remediations.map(pick);
  return frame(
    meta,
    'Remediation executions',
    [
      { name: 'time', type: FieldType.time, values: column((r) => r.start_time) },
      { name: 'timeEnd', type: FieldType.time, values: column((r) => r.end_time ?? r.start_time) },
      {
        name: 'title',
        type: FieldType.string,
        values: column((r) => `Remediation ${r.outcome}: ${r.rule ?? r.document}`),
      },
      { name: 'text', type: FieldType.string, values: column(eventText) },
      {
        name: 'tags',
        type: FieldType.string,
        values: column((r) => ['remediation', r.outcome, r.reason, r.rule].filter(Boolean).join(',')),
      },
    ],
    false
  );
}

/** `["a", "b"]` → `a, b`; no filter → `every <noun>`. */
function scope(values: string[], noun: string): string {
  return values.length === 0 ? `every ${noun}` : values.join(', ');
}

/**
 * The "monitoring began" annotation: one event at the moment the exporter began to watch the selected accounts and
 * regions for findings, when it lies in the dashboard's time range; none when the exporter has not polled them yet
 * or does not say (older exporter). Same field names as the remediation events.
 */
export function monitoringBeganFrame(
  start: MonitoringStart,
  range: { from: number; to: number },
  filters: { accountIds: string[]; regions: string[] },
  meta: FrameMeta
): DataFrame {
  const events = start.state === 'since' && start.at >= range.from && start.at <= range.to ? [start.at] : [];
  const text =
    `The exporter watches ${scope(filters.accountIds, 'account')} in ${scope(filters.regions, 'region')} for ` +
    'findings from here on. Findings figures of earlier days are empty (unknown, not zero); findings already open ' +
    'here are marked pre-existing, their first-seen time is this moment. Remediation figures come from SSM history ' +
    'and go further back.';
  return frame(
    meta,
    'Monitoring began',
    [
      { name: 'time', type: FieldType.time, values: events },
      { name: 'title', type: FieldType.string, values: events.map(() => 'Monitoring began') },
      { name: 'text', type: FieldType.string, values: events.map(() => text) },
      { name: 'tags', type: FieldType.string, values: events.map(() => 'monitoring') },
    ],
    false
  );
}
