import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import type { DailyIndicator, EventOutcome } from '../../plugin/src/types';
import { KPI, PROMETHEUS } from './datasources';
import { dataAgeStat, jsonApiFreshnessStat } from './freshness';
import { DAILY_UID, headerLink, RULES_UID, WALL_SCREEN_UID } from './links';
import {
  RATIO_STEPS,
  barGaugePanel,
  dailyBarsPanel,
  fixedColor,
  prometheusRange,
  prometheusTable,
  row,
  STALE_MAPPING,
  STALE_TEXT,
} from './panels';
import { ACCOUNT_FILTER, kpiQuery, REGION_FILTER, SEVERITY_FILTER } from './plugin-query';
import { IN_SCOPE, whileFresh } from './promql';
import { kpiFilterVariable, kpiVariable } from './variables';

/**
 * "Security process – daily": 30 days of daily indicators for the daily report. The bars come from the JSON API
 * (plugin `daily` query), which keeps the history Prometheus does not and cuts calendar days in the data source's
 * time zone; tag coverage and tagging runs come from Prometheus.
 */

/** The demo's tagging runbook, started by EventBridge for resources that `required-tags` flags. */
export const TAGGING_RUNBOOK = 'Custom-AutoTagResources';
export const TAGGING_RULE = 'required-tags';

function daily(indicators: DailyIndicator[]) {
  return kpiQuery('daily', 'A', {
    indicators,
    accountIds: ACCOUNT_FILTER,
    regions: REGION_FILTER,
    severities: SEVERITY_FILTER,
    timeZone: '',
  });
}

function remediationAnnotation(name: string, outcome: EventOutcome, color: string, enabled: boolean) {
  return new dashboard.AnnotationQueryBuilder()
    .name(name)
    .datasource(KPI)
    .enable(enabled)
    .iconColor(color)
    .target(
      kpiQuery('remediationEvents', 'Anno', {
        outcome,
        accountIds: ACCOUNT_FILTER,
        regions: REGION_FILTER,
        rules: [],
        documents: [],
        timeZone: '',
      }),
    );
}

/**
 * Where monitoring of the selected accounts and regions began: the daily findings figures start there and are empty
 * before it (the plugin's `monitoringBegan` annotation query). Grafana draws annotations on every time series panel
 * of the dashboard.
 */
function monitoringBeganAnnotation() {
  return new dashboard.AnnotationQueryBuilder()
    .name('Monitoring began')
    .datasource(KPI)
    .enable(true)
    .iconColor('blue')
    .target(kpiQuery('monitoringBegan', 'Anno', { accountIds: ACCOUNT_FILTER, regions: REGION_FILTER }));
}

/**
 * Findings figures are null on days before monitoring began. Never connect across them: `spanNulls: false` treats
 * nulls as gaps (@grafana/schema common.gen.ts, GraphFieldConfig.spanNulls: "Indicate if null values should be
 * treated as gaps or connected"). Bars draw no bar for a null either way; this keeps it so if the draw style changes.
 */
const GAPS_BEFORE_MONITORING = false;

const COUNT_STEPS: [number | null, string][] = [[null, 'text']];

export function dailyIndicators(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Security process – daily')
    .uid(DAILY_UID)
    .description('Daily indicators over 30 days: findings, remediation, time to remediate, tag coverage.')
    .tags(['compliance-pulse', 'daily'])
    .readonly()
    // Up to now, not the end of today: instant queries run at the range's end, and Prometheus has no data
    // in the future (the daily bars cover the same days either way).
    .time({ from: 'now-29d/d', to: 'now' })
    .refresh('15m')
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(kpiVariable('account_id', 'Account', 'accounts'))
    .withVariable(kpiVariable('region', 'Region', 'regions'))
    .withVariable(kpiFilterVariable('severity', 'Severity', 'severities'))
    .annotations([
      monitoringBeganAnnotation(),
      remediationAnnotation('Failed remediations', 'failed', 'red', true),
      remediationAnnotation('Succeeded remediations', 'succeeded', 'green', false),
    ])
    .link(headerLink('Wall screen', WALL_SCREEN_UID, false))
    .link(headerLink('Rules and resources', RULES_UID, false))
    .withPanel(jsonApiFreshnessStat(1, { x: 0, y: 0, w: 12, h: 3 }))
    .withPanel(dataAgeStat(2, { x: 12, y: 0, w: 12, h: 3 }))
    .withRow(row(3, 'Findings', 3))
    .withPanel(
      dailyBarsPanel(
        {
          id: 4,
          title: 'Findings opened and resolved per day',
          description:
            '(Rule, resource) findings first seen NON_COMPLIANT (opened) and seen COMPLIANT again or gone ' +
            '(resolved) on each day, for the selected accounts, regions and severities. No bars before monitoring ' +
            'began (the blue "Monitoring began" annotation): those days are unknown, not zero.',
          gridPos: { x: 0, y: 4, w: 8, h: 8 },
          unit: 'none',
        },
        KPI,
        [daily(['findingsOpened', 'findingsResolved'])],
        COUNT_STEPS,
        false,
      )
        .decimals(0)
        .spanNulls(GAPS_BEFORE_MONITORING)
        .overrideByName('findings_opened', [fixedColor('orange')])
        .overrideByName('findings_resolved', [fixedColor('green')]),
    )
    .withPanel(
      dailyBarsPanel(
        {
          id: 5,
          title: 'Open findings at the end of each day, per severity',
          description:
            'Open findings ((rule, resource) pairs NON_COMPLIANT) per severity at the end of each day (stacked). ' +
            'No bars before monitoring began (the blue "Monitoring began" annotation): those days are unknown.',
          gridPos: { x: 8, y: 4, w: 8, h: 8 },
          unit: 'none',
        },
        KPI,
        [daily(['openFindings'])],
        COUNT_STEPS,
        true,
      )
        .decimals(0)
        .spanNulls(GAPS_BEFORE_MONITORING),
    )
    .withPanel(
      dailyBarsPanel(
        {
          id: 6,
          title: 'Compliance score at the end of each day',
          description:
            'Compliant share of the per-resource rule evaluations at the end of each day. Empty before the exporter ' +
            'first polled: AWS keeps no history of it.',
          gridPos: { x: 16, y: 4, w: 8, h: 8 },
          unit: 'percentunit',
        },
        KPI,
        [daily(['complianceScoreEvaluations'])],
        RATIO_STEPS,
        false,
      )
        .spanNulls(GAPS_BEFORE_MONITORING)
        .min(0)
        .max(1),
    )
    .withRow(row(7, 'Remediation', 12))
    .withPanel(
      dailyBarsPanel(
        {
          id: 8,
          title: 'Remediations per day: succeeded and failed',
          description:
            'Remediation runbook executions that ended on each day, by outcome (stacked). Filtered by the ' +
            'severity of their rule. From SSM history, so also before monitoring began.',
          gridPos: { x: 0, y: 13, w: 6, h: 8 },
          unit: 'none',
        },
        KPI,
        [daily(['remediationsSucceeded', 'remediationsFailed'])],
        COUNT_STEPS,
        true,
      )
        .decimals(0)
        .overrideByName('remediations_succeeded', [fixedColor('green')])
        .overrideByName('remediations_failed', [fixedColor('red')]),
    )
    .withPanel(
      dailyBarsPanel(
        {
          id: 9,
          title: 'Remediation success ratio per day',
          description:
            'Succeeded / (succeeded + failed) of the executions that ended on each day; no bar on a day without ' +
            'remediations. Lines at 80 % and 95 %.',
          gridPos: { x: 6, y: 13, w: 6, h: 8 },
          unit: 'percentunit',
        },
        KPI,
        [daily(['remediationSuccessRatio'])],
        RATIO_STEPS,
        false,
      )
        .min(0)
        .max(1)
        .thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
        ),
    )
    .withPanel(
      dailyBarsPanel(
        {
          id: 10,
          title: 'Time to remediate per day: median and 95th percentile',
          description:
            'From first seen NON_COMPLIANT to fixed, over the findings fixed on each day; no bar on a day without ' +
            'fixes, and none before monitoring began. The 95th percentile is drawn behind the median.',
          gridPos: { x: 12, y: 13, w: 6, h: 8 },
          unit: 's',
        },
        KPI,
        [daily(['timeToRemediateP95', 'timeToRemediateP50'])],
        COUNT_STEPS,
        false,
      )
        .spanNulls(GAPS_BEFORE_MONITORING)
        .overrideByName('time_to_remediate_p95', [fixedColor('purple')])
        .overrideByName('time_to_remediate_p50', [fixedColor('blue')]),
    )
    .withPanel(
      dailyBarsPanel(
        {
          id: 11,
          title: 'Failed remediations per day, by reason',
          description: 'Remediation executions that failed on each day, by classified reason (stacked).',
          gridPos: { x: 18, y: 13, w: 6, h: 8 },
          unit: 'none',
        },
        KPI,
        [daily(['remediationFailuresByReason'])],
        COUNT_STEPS,
        true,
      ).decimals(0),
    )
    .withRow(row(12, `Tagging (${TAGGING_RULE})`, 21))
    .withPanel(
      barGaugePanel(
        {
          id: 13,
          title: `Tag coverage per resource type now (${TAGGING_RULE})`,
          description:
            `Share of the resources ${TAGGING_RULE} evaluated that are COMPLIANT, per resource type, lowest first ` +
            '(Prometheus, current values; the severity variable does not apply). "STALE" when a Config poll in ' +
            'scope is 15 minutes old or more.',
          gridPos: { x: 0, y: 22, w: 12, h: 8 },
          unit: 'percentunit',
        },
        PROMETHEUS,
        [
          prometheusTable(
            'A',
            whileFresh(
              `(\n  sum by (resource_type) (aws_config_rule_evaluations{rule="${TAGGING_RULE}", compliance="COMPLIANT", ${IN_SCOPE}})\n` +
                `  or sum by (resource_type) (aws_config_rule_evaluations{rule="${TAGGING_RULE}", ${IN_SCOPE}}) * 0\n)\n` +
                `/ (sum by (resource_type) (aws_config_rule_evaluations{rule="${TAGGING_RULE}", ${IN_SCOPE}}) > 0)`,
              'config',
            ),
          ),
        ],
        RATIO_STEPS,
        { field: 'Value', desc: false },
      )
        .max(1)
        .decimals(1)
        .noValue(STALE_TEXT)
        .mappings([STALE_MAPPING]),
    )
    .withPanel(
      dailyBarsPanel(
        {
          id: 14,
          title: `Auto-tagging runbook runs per day (${TAGGING_RUNBOOK})`,
          description:
            `Finished executions of ${TAGGING_RUNBOOK} per UTC day, by terminal status (Prometheus; stacked). ` +
            'Runs backfilled from SSM history when the exporter first started are not in these bars.',
          gridPos: { x: 12, y: 22, w: 12, h: 8 },
          unit: 'none',
        },
        PROMETHEUS,
        [
          prometheusRange(
            'A',
            // Each point, at a UTC midnight, counts the runs of the day that starts there.
            `round(sum by (status) (increase(aws_ssm_automation_executions_total{document="${TAGGING_RUNBOOK}", ${IN_SCOPE}}[1d] offset -1d)))`,
            '{{status}}',
          ),
        ],
        COUNT_STEPS,
        true,
      )
        .interval('1d')
        .decimals(0)
        .overrideByName('Success', [fixedColor('green')])
        .overrideByName('Failed', [fixedColor('red')])
        .overrideByName('TimedOut', [fixedColor('orange')]),
    );
}
