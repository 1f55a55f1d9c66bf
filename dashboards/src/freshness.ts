import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { KPI, PROMETHEUS } from './datasources';
import { dashboardUrl, RULES_UID } from './links';
import { link, prometheusInstant, specialValue, statPanel } from './panels';
import { kpiQuery } from './plugin-query';
import { DATA_AGE_PER_SOURCE, FRESHNESS_LIMIT_SECONDS } from './promql';

/** The two freshness panels: Prometheus's view of the exporter's polls, and the JSON API's own verdict. */

/** Seconds since the oldest last successful poll in scope; red from the 15-minute limit of the alert rules. */
export function dataAgeStat(id: number, gridPos: dashboard.GridPos): ReturnType<typeof statPanel> {
  return statPanel(
    {
      id,
      title: 'Data age: oldest poll source',
      description:
        'Time since the last successful poll of the least recently polled source (Config rules, Config ' +
        'remediation, SSM Automation) over the selected accounts and regions. Red from 15 minutes, when the ' +
        'Prometheus numbers turn "STALE"; "NEVER POLLED" when a source has not succeeded once; "NO DATA" when ' +
        'Prometheus has nothing from the exporter.',
      gridPos,
      unit: 's',
    },
    PROMETHEUS,
    [prometheusInstant('A', `max(\n${DATA_AGE_PER_SOURCE}\n)`)],
    [
      [null, 'green'],
      [FRESHNESS_LIMIT_SECONDS, 'red'],
    ],
  )
    .decimals(0)
    .noValue('NO DATA')
    .mappings([
      specialValue(dashboard.SpecialValueMatch.Null, 'NO DATA', 'red', 0),
      {
        // +Inf: a source with a freshness series but no successful poll yet.
        type: dashboard.MappingType.RangeToText,
        options: { from: 1e12, to: null, result: { text: 'NEVER POLLED', color: 'red', index: 1 } },
      },
    ])
    .links([link('Data age per account, region and source', dashboardUrl(RULES_UID))]);
}

/**
 * The JSON API's `/api/v1/summary` `stale` flag: true when any source has not polled successfully within two poll
 * intervals (or never has). Shown above every panel fed by the plugin, whose tables cannot be gated in PromQL.
 */
export function jsonApiFreshnessStat(id: number, gridPos: dashboard.GridPos): ReturnType<typeof statPanel> {
  return statPanel(
    {
      id,
      title: 'JSON API data (tables, daily bars): fresh or stale',
      description:
        "The exporter's own verdict (`/api/v1/summary` `stale`): STALE when any account, region or source has not " +
        "polled AWS successfully within two poll intervals, or never has. The plugin's tables and bars then miss " +
        'the latest changes. The summary covers every account and region, whatever the variables select.',
      gridPos,
      unit: 'bool',
    },
    KPI,
    [kpiQuery('summary', 'A', {})],
    // `stale` as a number: 0 fresh, 1 stale (the mappings below also say it in words).
    [
      [null, 'green'],
      [1, 'red'],
    ],
  )
    .reduceOptions(
      // A stat shows only numeric fields unless told otherwise; this is the summary frame's boolean `stale` field.
      new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields('/^[Ss]tale$/'),
    )
    .noValue('NO DATA')
    .mappings([
      specialValue(dashboard.SpecialValueMatch.True, 'STALE', 'red', 0),
      specialValue(dashboard.SpecialValueMatch.False, 'FRESH', 'green', 1),
      specialValue(dashboard.SpecialValueMatch.Null, 'NO DATA', 'red', 2),
    ]);
}
