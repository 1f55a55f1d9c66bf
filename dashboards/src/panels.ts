import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { KPI, PROMETHEUS } from './datasources';
import { COLLECTING, NOTHING_TO_MEASURE } from './promql';

/** What every panel has: a fixed id, a fixed place, a title that says what the number is, a unit. */
export interface PanelBasics {
  id: number;
  title: string;
  description: string;
  gridPos: dashboard.GridPos;
  unit: string;
}

export type DataSource = typeof PROMETHEUS | typeof KPI;

/** Threshold steps as [from, colour]; the first step starts at -Infinity (`null`). */
export type Steps = [number | null, string][];

/** Compliance, coverage and success ratios: red below 80 %, orange below 95 %, green from 95 %. */
export const RATIO_STEPS: Steps = [
  [null, 'red'],
  [0.8, 'orange'],
  [0.95, 'green'],
];

export function thresholds(steps: Steps): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

/** Grafana named colours, the same the plugin's frames use for severities (plugin/src/frames.ts). */
export const SEVERITY_COLORS = {
  CRITICAL: 'dark-red',
  HIGH: 'red',
  MEDIUM: 'orange',
  LOW: 'yellow',
  INFORMATIONAL: 'blue',
  UNKNOWN: 'text',
} as const;
export type Severity = keyof typeof SEVERITY_COLORS;

export const titleCase = (word: string): string => word.charAt(0) + word.slice(1).toLowerCase();

/** No value at all means the gated query found the data stale (see promql.ts `whileFresh`). */
export const STALE_TEXT = 'STALE';
export function specialValue(
  match: dashboard.SpecialValueMatch,
  text: string,
  color: string,
  index: number,
): dashboard.ValueMapping {
  return { type: dashboard.MappingType.SpecialValue, options: { match, result: { text, color, index } } };
}

export const STALE_MAPPING = specialValue(dashboard.SpecialValueMatch.Null, STALE_TEXT, 'red', 0);

/** Fresh data with nothing to divide by (no remediation ran, nothing was fixed): grey text, not a number. */
export function nothingToMeasureMapping(text: string): dashboard.ValueMapping {
  return {
    type: dashboard.MappingType.ValueToText,
    options: { [String(NOTHING_TO_MEASURE)]: { text, color: 'text', index: 1 } },
  };
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** "24 h", "7 days", "10 min": a whole number of days, hours or minutes as the wall screen writes it. */
export function durationText(seconds: number): string {
  // A day is "24 h", as in the panel titles ("last 24 h").
  if (seconds > DAY && seconds % DAY === 0) return `${seconds / DAY} days`;
  if (seconds >= HOUR && seconds % HOUR === 0) return `${seconds / HOUR} h`;
  return `${Math.floor(seconds / MINUTE)} min`;
}

/**
 * Texts for the values of `whileCovered` (promql.ts) when the window is not covered yet: "collecting: 10 min of
 * 24 h", the coverage rounded down to 10 minutes, then to hours, then to days (never more than Prometheus has).
 */
export function collectingMappings(windowSeconds: number): dashboard.ValueMapping[] {
  const steps: number[] = [];
  for (let t = 0; t < Math.min(HOUR, windowSeconds); t += 10 * MINUTE) steps.push(t);
  for (let t = HOUR; t < Math.min(DAY, windowSeconds); t += HOUR) steps.push(t);
  for (let t = DAY; t < windowSeconds; t += DAY) steps.push(t);
  return steps.map((from, index) => {
    const to = steps[index + 1] ?? windowSeconds;
    return {
      type: dashboard.MappingType.RangeToText,
      options: {
        // COLLECTING minus whole minutes: [from, to) in minutes is [COLLECTING - to/60 + 1, COLLECTING - from/60].
        from: COLLECTING - to / MINUTE + 1,
        to: COLLECTING - from / MINUTE,
        result: {
          text: `collecting: ${durationText(from)} of ${durationText(windowSeconds)}`,
          color: 'blue',
          index: 2 + index,
        },
      },
    };
  });
}

export function prometheusInstant(
  refId: string,
  expr: string,
  legendFormat = '',
): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder().datasource(PROMETHEUS).refId(refId).expr(expr).instant();
  return legendFormat === '' ? query : query.legendFormat(legendFormat);
}

/** An instant query whose result is one row per series, for tables and sorted bar gauges. */
export function prometheusTable(refId: string, expr: string): prometheus.DataqueryBuilder {
  return prometheusInstant(refId, expr).format(prometheus.PromQueryFormat.Table);
}

export function prometheusRange(
  refId: string,
  expr: string,
  legendFormat: string,
): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(PROMETHEUS)
    .refId(refId)
    .expr(expr)
    .range()
    .legendFormat(legendFormat);
}

export function link(title: string, url: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title).url(url);
}

/** The builder methods every panel kind shares, each returning the builder. */
interface PanelBuilderBase<B> {
  id(id: number): B;
  title(title: string): B;
  description(description: string): B;
  gridPos(gridPos: dashboard.GridPos): B;
  unit(unit: string): B;
  datasource(datasource: DataSource): B;
  targets(targets: Builder<Dataquery>[]): B;
  thresholds(thresholds: dashboard.ThresholdsConfigBuilder): B;
}

/** Sets what every panel has: its basics, its data source and queries, and its thresholds. */
function withBasics<B extends PanelBuilderBase<B>>(
  builder: B,
  basics: PanelBasics,
  datasource: DataSource,
  targets: Builder<Dataquery>[],
  steps: Steps,
): B {
  return builder
    .id(basics.id)
    .title(basics.title)
    .description(basics.description)
    .gridPos(basics.gridPos)
    .unit(basics.unit)
    .datasource(datasource)
    .targets(targets)
    .thresholds(thresholds(steps));
}

/** A big number (or a few) for the wall screen: instant values, background colour from the thresholds. */
export function statPanel(
  basics: PanelBasics,
  datasource: DataSource,
  targets: Builder<Dataquery>[],
  steps: Steps,
): stat.PanelBuilder {
  return withBasics(new stat.PanelBuilder(), basics, datasource, targets, steps)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.Auto)
    .justifyMode(common.BigValueJustifyMode.Center)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** How a bar gauge orders its bars: by a field of the table-format query (`Value` for PromQL), largest first or not. */
export interface BarOrder {
  field: string;
  desc: boolean;
}

/** Horizontal bars, one per row of a table-format instant query. */
export function barGaugePanel(
  basics: PanelBasics,
  datasource: DataSource,
  targets: Builder<Dataquery>[],
  steps: Steps,
  order: BarOrder,
): bargauge.PanelBuilder {
  return withBasics(new bargauge.PanelBuilder(), basics, datasource, targets, steps)
    .min(0)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .valueMode(common.BarGaugeValueMode.Color)
    .namePlacement(common.BarGaugeNamePlacement.Left)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(true))
    .withTransformation({ id: 'sortBy', options: { sort: [order] } });
}

/** Daily bars: one bar per day, starting at the day's midnight. */
export function dailyBarsPanel(
  basics: PanelBasics,
  datasource: DataSource,
  targets: Builder<Dataquery>[],
  steps: Steps,
  stacked: boolean,
): timeseries.PanelBuilder {
  return withBasics(new timeseries.PanelBuilder(), basics, datasource, targets, steps)
    .drawStyle(common.GraphDrawStyle.Bars)
    .barAlignment(common.BarAlignment.After)
    .fillOpacity(80)
    .lineWidth(1)
    .showPoints(common.VisibilityMode.Never)
    .stacking(
      new common.StackingConfigBuilder().mode(
        stacked ? common.StackingMode.Normal : common.StackingMode.None,
      ),
    )
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.None),
    );
}

export function tablePanel(
  basics: PanelBasics,
  datasource: DataSource,
  targets: Builder<Dataquery>[],
  steps: Steps,
): table.PanelBuilder {
  return withBasics(new table.PanelBuilder(), basics, datasource, targets, steps)
    .filterable(true)
    .cellHeight(common.TableCellHeight.Sm);
}

/** A row header; rows are never collapsed, so their panels stay at the top level of the dashboard JSON. */
export function row(id: number, title: string, y: number): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title).id(id).gridPos({ x: 0, y, w: 24, h: 1 });
}

/** Field overrides: hide a table column, or set a property by field name. */
export const hidden: dashboard.DynamicConfigValue = { id: 'custom.hidden', value: true };
export const fixedColor = (color: string): dashboard.DynamicConfigValue => ({
  id: 'color',
  value: { mode: 'fixed', fixedColor: color },
});
export const displayName = (name: string): dashboard.DynamicConfigValue => ({
  id: 'displayName',
  value: name,
});
export const cellColoredBackground: dashboard.DynamicConfigValue = {
  id: 'custom.cellOptions',
  value: { type: 'color-background', mode: 'basic' },
};
