import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { KPI, PROMETHEUS } from './datasources';
import { dataAgeStat, jsonApiFreshnessStat } from './freshness';
import { DAILY_UID, headerLink, RULES_UID, WALL_SCREEN_UID } from './links';
import {
  cellColoredBackground,
  displayName,
  hidden,
  prometheusTable,
  RATIO_STEPS,
  row,
  tablePanel,
} from './panels';
import { ACCOUNT_FILTER, kpiQuery, REGION_FILTER, RULE_FILTER, SEVERITY_FILTER } from './plugin-query';
import { DATA_AGE_PER_SOURCE, FRESHNESS_LIMIT_SECONDS } from './promql';
import { kpiFilterVariable, kpiVariable } from './variables';

/**
 * "Rules and resources": the drill-down behind the wall screen. Per-rule compliance with its Security Hub control,
 * the noncompliant resources, and remediation executions with their failure messages, all from the JSON API (plugin
 * tables), filtered by the same variables the wall screen's links carry.
 */

/** Rows a table reads at most; the plugin pages through the exporter up to this. */
const TABLE_ROWS = 1000;

const sortBy = (column: string, desc: boolean) =>
  new common.TableSortByFieldStateBuilder().displayName(column).desc(desc);

const gaugeCell: dashboard.DynamicConfigValue = {
  id: 'custom.cellOptions',
  value: { type: 'gauge', mode: 'basic', valueDisplayMode: 'text' },
};

const remediationFilters = {
  accountIds: ACCOUNT_FILTER,
  regions: REGION_FILTER,
  rules: RULE_FILTER,
  documents: [],
  timeZone: '',
  limit: TABLE_ROWS,
};

export function rulesAndResources(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Rules and resources')
    .uid(RULES_UID)
    .description(
      'Drill-down: per-rule compliance, noncompliant resources, remediation executions and failures.',
    )
    .tags(['compliance-pulse', 'drill-down'])
    .readonly()
    .time({ from: 'now-24h', to: 'now' })
    .refresh('5m')
    .timezone('browser')
    .withVariable(kpiVariable('account_id', 'Account', 'accounts'))
    .withVariable(kpiVariable('region', 'Region', 'regions'))
    .withVariable(kpiFilterVariable('severity', 'Severity', 'severities'))
    .withVariable(kpiFilterVariable('rule', 'Rule', 'rules'))
    .annotations([])
    .link(headerLink('Wall screen', WALL_SCREEN_UID, false))
    .link(headerLink('Daily indicators', DAILY_UID, false))
    .withPanel(jsonApiFreshnessStat(1, { x: 0, y: 0, w: 12, h: 3 }))
    .withPanel(dataAgeStat(2, { x: 12, y: 0, w: 12, h: 3 }))
    .withRow(row(3, 'Rules', 3))
    .withPanel(
      tablePanel(
        {
          id: 4,
          title: 'Compliance per rule, with its control and title',
          description:
            'One row per Config rule, account and region: rule-level compliance, exact counts of noncompliant and ' +
            'compliant resources (empty where Config denies per-resource results, as for securityhub-* rules), ' +
            'the Security Hub control and its title, and the remediation runbook. Most noncompliant first.',
          gridPos: { x: 0, y: 4, w: 24, h: 10 },
          unit: 'none',
        },
        KPI,
        [
          kpiQuery('rules', 'A', {
            accountIds: ACCOUNT_FILTER,
            regions: REGION_FILTER,
            severities: SEVERITY_FILTER,
            rules: RULE_FILTER,
          }),
        ],
        RATIO_STEPS,
      )
        .sortBy([sortBy('Noncompliant', true)])
        .overrideByName('compliant_share', [gaugeCell])
        .overrideByName('title', [{ id: 'custom.width', value: 420 }])
        .overrideByName('source_identifier', [hidden]),
    )
    .withRow(row(5, 'Noncompliant resources', 14))
    .withPanel(
      tablePanel(
        {
          id: 6,
          title: 'Open findings: noncompliant resources',
          description:
            `Every (rule, resource) currently NON_COMPLIANT, oldest first (at most ${TABLE_ROWS} rows), with ` +
            "Config's annotation and the latest remediation state.",
          gridPos: { x: 0, y: 15, w: 24, h: 10 },
          unit: 'none',
        },
        KPI,
        [
          kpiQuery('findings', 'A', {
            state: 'open',
            accountIds: ACCOUNT_FILTER,
            regions: REGION_FILTER,
            severities: SEVERITY_FILTER,
            rules: RULE_FILTER,
            limit: TABLE_ROWS,
          }),
        ],
        [[null, 'text']],
      )
        .sortBy([sortBy('First seen', false)])
        .overrideByName('state', [hidden])
        .overrideByName('resolved_at', [hidden]),
    )
    .withRow(row(7, 'Remediation executions', 25))
    .withPanel(
      tablePanel(
        {
          id: 8,
          title: 'Failed remediations in the time range, with failure messages',
          description:
            'Remediation runbook executions that started in the time range and failed, newest first, with the ' +
            `classified reason and SSM's failure message (at most ${TABLE_ROWS} rows).`,
          gridPos: { x: 0, y: 26, w: 24, h: 9 },
          unit: 'none',
        },
        KPI,
        [kpiQuery('remediations', 'A', { outcome: 'failed', ...remediationFilters })],
        [[null, 'text']],
      )
        .sortBy([sortBy('Started', true)])
        .overrideByName('outcome', [hidden])
        .overrideByName('failure_message', [{ id: 'custom.width', value: 600 }]),
    )
    .withPanel(
      tablePanel(
        {
          id: 9,
          title: 'All remediation executions in the time range',
          description:
            'Remediation runbook executions that started in the time range, any outcome (running ones too), ' +
            `newest first (at most ${TABLE_ROWS} rows).`,
          gridPos: { x: 0, y: 35, w: 24, h: 9 },
          unit: 'none',
        },
        KPI,
        [kpiQuery('remediations', 'A', { outcome: 'any', ...remediationFilters })],
        [[null, 'text']],
      ).sortBy([sortBy('Started', true)]),
    )
    .withRow(row(10, 'Exporter freshness', 44))
    .withPanel(
      tablePanel(
        {
          id: 11,
          title: 'Data age per account, region and poll source',
          description:
            'Seconds since each source last polled AWS successfully (Prometheus). Red from 15 minutes: its numbers ' +
            'read "STALE" on the wall screen and CompliancePulseDataStale fires; "NEVER POLLED" when it has not ' +
            'succeeded once.',
          gridPos: { x: 0, y: 45, w: 24, h: 8 },
          unit: 's',
        },
        PROMETHEUS,
        [prometheusTable('A', DATA_AGE_PER_SOURCE)],
        [
          [null, 'green'],
          [FRESHNESS_LIMIT_SECONDS, 'red'],
        ],
      )
        .decimals(0)
        .sortBy([sortBy('Data age', true)])
        .overrideByName('Time', [hidden])
        .overrideByName('__name__', [hidden])
        .overrideByName('Value', [
          displayName('Data age'),
          cellColoredBackground,
          {
            id: 'mappings',
            value: [
              {
                type: dashboard.MappingType.RangeToText,
                options: { from: 1e12, to: null, result: { text: 'NEVER POLLED', color: 'red', index: 0 } },
              },
            ],
          },
        ]),
    );
}
