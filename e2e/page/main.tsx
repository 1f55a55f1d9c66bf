/**
 * The end-to-end test's page: Grafana's dashboard work, done by hand, on the generated dashboard JSON.
 *
 * It reuses the plugin harness (plugin/harness/page): boot.ts (window.grafanaBootData) and host.ts (the
 * BackendSrv, and dist/module.js loaded as an AMD module as Grafana does). It is served by the harness server
 * (plugin/harness/server.mjs), which plays Grafana's data source proxy with the routes of dist/plugin.json, so the
 * plugin's requests reach the exporter of `npm run stack` through its real route.
 *
 * window.e2e, driven by e2e/e2e.test.mjs through Playwright:
 *   init(exporterUrl)                 loads dist/module.js and creates the plugin's DataSource
 *   setVariables(list)                dashboard variables resolved elsewhere (the wall screen's Prometheus ones)
 *   checkPluginQueries(dashboard, range)
 *                                     resolves the dashboard's plugin variables through the plugin's variable
 *                                     support, runs every plugin target and annotation through the plugin's
 *                                     query() with them, and answers what came back (frames, fields, rows)
 *   renderDashboard(dashboard, range, prometheusResults)
 *                                     lays the dashboard out on its gridPos (24 columns, 30 px rows, 8 px gaps,
 *                                     as Grafana's grid) and renders every panel with @grafana/ui: stat →
 *                                     VizRepeater + BigValue, bar gauge → VizRepeater + BarGauge, time series →
 *                                     TimeSeries, table → Table, inside PanelChrome. Data: Prometheus results
 *                                     (queried by the test in Node) turned into data frames as Grafana's
 *                                     Prometheus data source does, and plugin results from query(). Then the
 *                                     panel's transformations, applyFieldOverrides with the panel's fieldConfig
 *                                     (defaults and overrides through a registry of Grafana's standard field
 *                                     options) and getFieldDisplayValues with its reduceOptions: thresholds,
 *                                     colours, units, decimals, value mappings and "no value" as in Grafana.
 *   colorByName(name)                 the theme's colour for a dashboard colour name ('dark-red' → '#…')
 */
import '../../plugin/harness/page/boot';

import {
  applyFieldOverrides,
  createDataFrame,
  createTheme,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataTransformerConfig,
  dataLinksOverrideProcessor,
  dateTime,
  displayNameOverrideProcessor,
  FieldConfigOptionsRegistry,
  FieldConfigPropertyItem,
  FieldConfigSource,
  FieldDisplay,
  FieldType,
  formattedValueToString,
  getDisplayValueAlignmentFactors,
  getFieldDisplayName,
  getFieldDisplayValues,
  identityOverrideProcessor,
  numberOverrideProcessor,
  ScopedVars,
  standardTransformers,
  standardTransformersRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  TimeRange,
  transformDataFrame,
  TypedVariableModel,
  valueMappingsOverrideProcessor,
  VizOrientation,
} from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { BarGaugeNamePlacement, BarGaugeValueMode } from '@grafana/schema';
import {
  BarGauge,
  BarGaugeDisplayMode,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  GlobalStyles,
  PanelChrome,
  Table,
  TimeSeries,
  VizRepeater,
} from '@grafana/ui';
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import * as rxjs from 'rxjs';
import { lastValueFrom } from 'rxjs';

import {
  INITIAL_SETTINGS,
  instanceSettings,
  KpiDataSource,
  loadPlugin,
  Query,
} from '../../plugin/harness/page/host';

const PROMETHEUS_UID = 'prometheus';
const PLUGIN_UID = 'compliance-pulse-kpi';
const theme = createTheme(); // Grafana's default, dark: what a wall-screen TV shows

/* ---------- Dashboard JSON (only what is read here) ---------- */

interface Target extends Query {
  datasource?: { uid?: string };
  expr?: string;
  legendFormat?: string;
  format?: string;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid?: string };
  targets?: Target[];
  fieldConfig?: FieldConfigSource;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- panel options, read loosely from the JSON
  options?: Record<string, any>;
  transformations?: DataTransformerConfig[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  datasource?: { uid?: string };
  query?: Query;
  current?: { value?: string | string[] };
}

interface Dashboard {
  uid: string;
  title: string;
  time: { from: string; to: string };
  panels: Panel[];
  templating?: { list: Variable[] };
  annotations?: {
    list: Array<{
      name: string;
      enable: boolean;
      iconColor: string;
      datasource?: { uid?: string };
      target?: Query;
    }>;
  };
}

/** One Prometheus request's answer, as the test got it from /api/v1/query(_range). */
interface PrometheusResult {
  refId: string;
  format: string;
  legendFormat?: string;
  result: Array<{
    metric: Record<string, string>;
    value?: [number, string];
    values?: Array<[number, string]>;
  }>;
}

/** Range in epoch milliseconds, with the dashboard's raw text. */
interface RangeSpec {
  from: number;
  to: number;
  raw: { from: string; to: string };
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

function uidOf(panel: Panel, target: Target): string | undefined {
  return target.datasource?.uid ?? panel.datasource?.uid;
}

function timeRange(spec: RangeSpec): TimeRange {
  return { from: dateTime(spec.from), to: dateTime(spec.to), raw: spec.raw };
}

/* ---------- Template variables (Grafana's TemplateSrv, for what these dashboards use) ---------- */

interface VariableState {
  name: string;
  multi: boolean;
  includeAll: boolean;
  allValue?: string | null;
  /** The "All" option is selected. */
  all: boolean;
  values: string[];
  /** Every value the variable's query returned. */
  options: string[];
}

const variables = new Map<string, VariableState>();

function formatValues(values: string[], format: unknown): string {
  switch (format) {
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'text':
      return values.join(' + ');
    default: // Grafana's default for data sources without their own: glob
      return values.length === 1 ? (values[0] ?? '') : `{${values.join(',')}}`;
  }
}

/**
 * Grafana's TemplateSrv.replace for $name, ${name}, ${name:format} and [[name]]: scoped variables first; "All"
 * with a custom all value is that value, unformatted (the dashboards' blank " " for severity and rule, which the
 * plugin reads as "no filter"); "All" without one is every option; a multi-value selection is formatted.
 */
function replace(target = '', scopedVars?: ScopedVars, format?: unknown): string {
  return target.replace(
    /\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]|\$(\w+)/g,
    (reference: string, braced?: string, inlineFormat?: string, bracketed?: string, bare?: string) => {
      const name = braced ?? bracketed ?? bare ?? '';
      const scoped = scopedVars?.[name];
      if (scoped) {
        return String(scoped.value);
      }
      const variable = variables.get(name);
      if (!variable) {
        return reference;
      }
      if (variable.all && variable.allValue) {
        return variable.allValue;
      }
      return formatValues(variable.all ? variable.options : variable.values, inlineFormat ?? format);
    },
  );
}

setTemplateSrv({
  getVariables: () =>
    [...variables.values()].map((variable) => ({
      name: variable.name,
      type: 'query',
      multi: variable.multi,
      includeAll: variable.includeAll,
    })) as unknown as TypedVariableModel[],
  replace,
  containsTemplate: (target?: string) => /\$|\[\[/.test(target ?? ''),
  updateTimeRange: () => undefined,
});

function setVariables(list: VariableState[]) {
  for (const variable of list) {
    variables.set(variable.name, variable);
  }
}

/* ---------- The plugin ---------- */

let datasource: KpiDataSource | undefined;

async function init(exporterUrl: string) {
  const plugin = await loadPlugin();
  const settings = instanceSettings({ ...INITIAL_SETTINGS, jsonData: { exporterUrl } }, plugin);
  datasource = new plugin.DataSourceClass(settings as never) as KpiDataSource;
  return { loaded: true };
}

function requireDatasource(): KpiDataSource {
  if (!datasource) {
    throw new Error('call window.e2e.init(exporterUrl) first');
  }
  return datasource;
}

let requestCount = 0;

/** A dashboard panel's request, as Grafana's query runner builds it. */
function dataRequest<T extends Query>(targets: T[], range: RangeSpec, panelId?: number): DataQueryRequest<T> {
  const intervalMs = Math.max(1000, Math.round((range.to - range.from) / 1000));
  return {
    requestId: `e2e-${++requestCount}`,
    interval: `${Math.round(intervalMs / 1000)}s`,
    intervalMs,
    range: timeRange(range),
    scopedVars: {
      __interval: { text: `${Math.round(intervalMs / 1000)}s`, value: `${Math.round(intervalMs / 1000)}s` },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
    panelId,
  };
}

async function runQuery(targets: Query[], range: RangeSpec, panelId?: number): Promise<DataQueryResponse> {
  const answer = requireDatasource().query(dataRequest(targets, range, panelId));
  return rxjs.isObservable(answer) ? await lastValueFrom(answer) : await answer;
}

/**
 * Resolves the dashboard's plugin variables as Grafana does with a data source's custom variable support: the
 * variable's stored query through datasource.variables.query(), the values from the frame's text field; then the
 * variable is set to its saved current value ("All" in these dashboards).
 */
async function resolvePluginVariables(dashboard: Dashboard, range: RangeSpec) {
  const resolved: Array<{ name: string; values: string[]; error?: string }> = [];
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.datasource?.uid !== PLUGIN_UID) {
      continue;
    }
    try {
      const support = requireDatasource().variables as unknown as {
        query: (request: DataQueryRequest<Query>) => rxjs.Observable<DataQueryResponse>;
      };
      const response = await lastValueFrom(
        support.query(dataRequest([{ refId: 'variable', ...(variable.query ?? {}) } as Query], range)),
      );
      const frame: DataFrame | undefined = response.data[0];
      const field = frame?.fields.find((candidate) => candidate.name === 'text') ?? frame?.fields[0];
      const values = (field?.values ?? []).map(String);
      const selected = variable.current?.value;
      const all = Array.isArray(selected) ? selected.includes('$__all') : selected === '$__all';
      setVariables([
        {
          name: variable.name,
          multi: Boolean(variable.multi),
          includeAll: Boolean(variable.includeAll),
          allValue: variable.allValue,
          all,
          values: all ? values : [selected ?? []].flat(),
          options: values,
        },
      ]);
      resolved.push({ name: variable.name, values });
    } catch (error) {
      resolved.push({ name: variable.name, values: [], error: String((error as Error)?.message ?? error) });
    }
  }
  return resolved;
}

/** What a query answered, small enough to hand back to the test. */
function summarise(response: DataQueryResponse) {
  return {
    errors: (response.errors ?? []).map((error) => error.message ?? String(error)),
    frames: response.data.map((frame: DataFrame) => ({
      name: frame.name,
      refId: frame.refId,
      length: frame.length,
      executed: frame.meta?.executedQueryString ?? '',
      notices: (frame.meta?.notices ?? []).map((notice) => notice.text),
      fields: frame.fields.map((field) => ({
        name: field.name,
        displayName: getFieldDisplayName(field, frame),
        type: field.type,
        nonNull: field.values.filter((value) => value !== null && value !== undefined).length,
      })),
    })),
  };
}

async function checkPluginQueries(dashboard: Dashboard, range: RangeSpec) {
  const resolvedVariables = await resolvePluginVariables(dashboard, range);
  const targets = [];
  for (const panel of allPanels(dashboard.panels)) {
    for (const target of panel.targets ?? []) {
      if (uidOf(panel, target) !== PLUGIN_UID) {
        continue;
      }
      let result;
      try {
        result = summarise(await runQuery([target], range, panel.id));
      } catch (error) {
        result = { errors: [String((error as Error)?.message ?? error)], frames: [] };
      }
      targets.push({
        panelId: panel.id,
        panelTitle: panel.title,
        refId: target.refId,
        queryType: target.queryType,
        ...result,
      });
    }
  }
  const annotations = [];
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.datasource?.uid !== PLUGIN_UID) {
      continue;
    }
    // Grafana's annotation runner: the data source's prepareQuery, then query() with the dashboard's range.
    const support = requireDatasource().annotations;
    const query = (support?.prepareQuery?.(annotation as never) ?? annotation.target) as Query;
    let result;
    try {
      result = summarise(await runQuery([query], range));
    } catch (error) {
      result = { errors: [String((error as Error)?.message ?? error)], frames: [] };
    }
    annotations.push({
      name: annotation.name,
      enable: annotation.enable,
      queryType: query.queryType,
      ...result,
    });
  }
  return { variables: resolvedVariables, targets, annotations };
}

/* ---------- Grafana's panel pipeline ---------- */

const noEditor = () => null;

function standardOption(id: string, process: FieldConfigPropertyItem['process'], numbersOnly = false) {
  return {
    id,
    path: id,
    name: id,
    process,
    shouldApply: (field: { type: FieldType }) => !numbersOnly || field.type === FieldType.number,
    editor: noEditor,
    override: noEditor,
    settings: {},
  } as unknown as FieldConfigPropertyItem;
}

/**
 * Grafana fills this registry with its standard field options (core, not in the npm packages); without them
 * applyFieldOverrides applies neither fieldConfig.defaults nor overrides. Same ids, paths and processors as
 * Grafana's; `custom` carries the panel type's own options (custom.drawStyle, …) as one object.
 */
const fieldConfigRegistry = new FieldConfigOptionsRegistry(() => [
  standardOption('unit', stringOverrideProcessor),
  standardOption('min', numberOverrideProcessor, true),
  standardOption('max', numberOverrideProcessor, true),
  standardOption('fieldMinMax', identityOverrideProcessor),
  standardOption('decimals', numberOverrideProcessor),
  standardOption('displayName', displayNameOverrideProcessor),
  standardOption('noValue', stringOverrideProcessor),
  standardOption('color', identityOverrideProcessor),
  standardOption('thresholds', thresholdsOverrideProcessor),
  standardOption('mappings', valueMappingsOverrideProcessor),
  standardOption('links', dataLinksOverrideProcessor),
  standardOption('filterable', identityOverrideProcessor),
  standardOption('custom', identityOverrideProcessor),
]);

// Grafana registers its transformations at start-up; panels' `transformations` (sortBy here) need them.
standardTransformersRegistry.setInit(
  () =>
    [
      ...new Map(
        Object.values(standardTransformers).map((transformation) => [transformation.id, transformation]),
      ).values(),
    ].map((transformation) => ({
      id: transformation.id,
      aliasIds: transformation.aliasIds,
      name: transformation.name,
      description: transformation.description,
      transformation,
      editor: noEditor,
      imageDark: '',
      imageLight: '',
    })) as never,
);

/** Grafana's time series panel defaults for fieldConfig.defaults.custom. */
const TIMESERIES_CUSTOM_DEFAULTS = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  showPoints: 'auto',
  pointSize: 5,
  spanNulls: false,
  insertNulls: false,
  barAlignment: 0,
  barWidthFactor: 0.6,
  axisPlacement: 'auto',
  axisLabel: '',
  axisColorMode: 'text',
  axisBorderShow: false,
  axisCenteredZero: false,
  scaleDistribution: { type: 'linear' },
  thresholdsStyle: { mode: 'off' },
  hideFrom: { legend: false, tooltip: false, viz: false },
};

/**
 * The panel's fieldConfig as Grafana holds it after loading the dashboard: JSON cannot say -Infinity, so a
 * threshold base step is saved as null and read back as -Infinity; the panel type's defaults (colour by palette
 * for time series, by thresholds for stat and bar gauge) under the saved ones.
 */
function panelFieldConfig(panel: Panel): FieldConfigSource {
  const fieldConfig: FieldConfigSource = structuredClone(
    panel.fieldConfig ?? { defaults: {}, overrides: [] },
  );
  const fixBaseStep = (thresholds?: { steps?: Array<{ value: number | null }> }) => {
    const base = thresholds?.steps?.[0];
    if (base && (base.value === null || base.value === undefined)) {
      base.value = -Infinity;
    }
  };
  fixBaseStep(fieldConfig.defaults.thresholds as never);
  for (const override of fieldConfig.overrides ?? []) {
    for (const property of override.properties) {
      if (property.id === 'thresholds') {
        fixBaseStep(property.value);
      }
    }
  }
  if (panel.type === 'timeseries') {
    const custom = (fieldConfig.defaults.custom ?? {}) as { stacking?: object };
    fieldConfig.defaults.color ??= { mode: 'palette-classic' } as never;
    fieldConfig.defaults.custom = {
      ...TIMESERIES_CUSTOM_DEFAULTS,
      ...custom,
      stacking: { mode: 'none', group: 'A', ...(custom.stacking ?? {}) },
    };
  }
  return fieldConfig;
}

function sampleValue(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

/**
 * A Prometheus answer as Grafana's Prometheus data source hands it to panels: per series a frame with Time and
 * Value (labels on the value field, the rendered legendFormat as its display name); for format "table" one frame
 * per query with Time, a column per label (sorted) and Value ("Value #<refId>" when the panel has several table
 * queries).
 */
function prometheusFrames(answer: PrometheusResult, tableQueries: number): DataFrame[] {
  const series = answer.result.map((item) => {
    const points = item.values ?? (item.value ? [item.value] : []);
    const legend =
      answer.legendFormat && answer.legendFormat !== '__auto'
        ? answer.legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, label: string) => item.metric[label] ?? '')
        : undefined;
    return {
      labels: item.metric,
      times: points.map((point) => point[0] * 1000),
      values: points.map((point) => sampleValue(point[1])),
      legend,
    };
  });
  if (answer.format === 'table') {
    const labelNames = [...new Set(series.flatMap((item) => Object.keys(item.labels)))].sort();
    return [
      createDataFrame({
        refId: answer.refId,
        fields: [
          { name: 'Time', type: FieldType.time, values: series.flatMap((item) => item.times) },
          ...labelNames.map((label) => ({
            name: label,
            type: label === 'le' ? FieldType.number : FieldType.string,
            config: { filterable: true },
            values: series.flatMap((item) => item.values.map(() => item.labels[label] ?? '')),
          })),
          {
            name: tableQueries > 1 ? `Value #${answer.refId}` : 'Value',
            type: FieldType.number,
            values: series.flatMap((item) => item.values),
          },
        ],
      }),
    ];
  }
  return series.map((item) =>
    createDataFrame({
      refId: answer.refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: item.times },
        {
          name: 'Value',
          type: FieldType.number,
          labels: item.labels,
          values: item.values,
          config: item.legend !== undefined ? { displayNameFromDS: item.legend } : {},
        },
      ],
    }),
  );
}

interface PanelData {
  frames: DataFrame[];
  errors: string[];
}

async function panelData(
  panel: Panel,
  range: RangeSpec,
  prometheus: Record<string, PrometheusResult>,
): Promise<PanelData> {
  const frames: DataFrame[] = [];
  const errors: string[] = [];
  const targets = panel.targets ?? [];
  const tableQueries = targets.filter((target) => target.format === 'table').length;
  for (const target of targets) {
    const uid = uidOf(panel, target);
    if (uid === PROMETHEUS_UID) {
      const answer = prometheus[`${panel.id}/${target.refId}`];
      if (answer) {
        frames.push(...prometheusFrames(answer, tableQueries));
      } else {
        errors.push(`no Prometheus answer for ${target.refId}`);
      }
    } else if (uid === PLUGIN_UID) {
      try {
        const response = await runQuery([target], range, panel.id);
        frames.push(...response.data);
        errors.push(...(response.errors ?? []).map((error) => error.message ?? 'error'));
      } catch (error) {
        errors.push(String((error as Error)?.message ?? error));
      }
    } else {
      errors.push(`unknown data source ${uid}`);
    }
  }
  if (panel.transformations?.length) {
    return { frames: await lastValueFrom(transformDataFrame(panel.transformations, frames)), errors };
  }
  return { frames, errors };
}

function withFieldConfig(panel: Panel, frames: DataFrame[]): DataFrame[] {
  return applyFieldOverrides({
    data: frames,
    fieldConfig: panelFieldConfig(panel),
    fieldConfigRegistry,
    replaceVariables: replace,
    theme,
    timeZone: 'utc',
  });
}

function displayValues(panel: Panel, frames: DataFrame[]): FieldDisplay[] {
  return getFieldDisplayValues({
    data: frames,
    fieldConfig: panelFieldConfig(panel),
    reduceOptions: panel.options?.reduceOptions ?? { calcs: ['lastNotNull'], values: false },
    replaceVariables: replace,
    theme,
    timeZone: 'utc',
  });
}

/** Every value a stat or bar gauge shows, for the test: title, text (prefix+value+suffix) and colour. */
function valueAttributes(value: FieldDisplay) {
  return {
    'data-testid': 'value',
    'data-title': value.display.title ?? '',
    'data-text': formattedValueToString(value.display),
    'data-numeric': String(value.display.numeric),
    'data-color': value.display.color ?? '',
  };
}

/* ---------- Panels (what Grafana's core panel plugins render, with their options) ---------- */

/** What every panel renderer gets: the dashboard panel, its query results and its size in pixels. */
interface VizProps {
  panel: Panel;
  frames: DataFrame[];
  width: number;
  height: number;
}

function StatViz({ panel, frames, width, height }: VizProps) {
  const options = panel.options ?? {};
  const values = displayValues(panel, frames);
  // Grafana's StatPanel: the name shows with a manual displayName or without a panel title.
  const textMode =
    options.textMode === BigValueTextMode.Auto && (panel.fieldConfig?.defaults.displayName || !panel.title)
      ? BigValueTextMode.ValueAndName
      : (options.textMode ?? BigValueTextMode.Auto);
  return (
    <VizRepeater<FieldDisplay, ReturnType<typeof getDisplayValueAlignmentFactors>>
      source={frames}
      getValues={() => values}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      renderCounter={0}
      width={width}
      height={height}
      itemSpacing={3}
      orientation={options.orientation ?? VizOrientation.Auto}
      minVizHeight={options.minVizHeight}
      minVizWidth={options.minVizWidth}
      maxVizHeight={options.maxVizHeight}
      renderValue={({ value, width: itemWidth, height: itemHeight, alignmentFactors, count }) => (
        <div {...valueAttributes(value)}>
          <BigValue
            value={value.display}
            count={count}
            colorMode={options.colorMode ?? BigValueColorMode.Value}
            graphMode={options.graphMode ?? BigValueGraphMode.None}
            justifyMode={options.justifyMode ?? BigValueJustifyMode.Auto}
            textMode={textMode}
            alignmentFactors={alignmentFactors}
            percentChangeColorMode={options.percentChangeColorMode}
            text={options.text}
            width={itemWidth}
            height={itemHeight}
            theme={theme}
            disableWideLayout={!options.wideLayout}
          />
        </div>
      )}
    />
  );
}

function BarGaugeViz({ panel, frames, width, height }: VizProps) {
  const options = panel.options ?? {};
  const values = displayValues(panel, frames);
  const itemSpacing = options.displayMode === BarGaugeDisplayMode.Lcd ? 2 : 10;
  const manual = options.sizing === 'manual';
  return (
    <VizRepeater<FieldDisplay, ReturnType<typeof getDisplayValueAlignmentFactors>>
      source={frames}
      getValues={() => values}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      renderCounter={0}
      width={width}
      height={height}
      itemSpacing={itemSpacing}
      orientation={options.orientation ?? VizOrientation.Auto}
      minVizWidth={manual ? options.minVizWidth : 0}
      minVizHeight={manual ? options.minVizHeight : 0}
      maxVizHeight={options.maxVizHeight}
      renderValue={({
        value,
        width: itemWidth,
        height: itemHeight,
        orientation,
        alignmentFactors,
        count,
      }) => {
        const field = value.colIndex === undefined ? undefined : value.view?.dataFrame.fields[value.colIndex];
        return (
          <div {...valueAttributes(value)}>
            <BarGauge
              value={value.display}
              width={itemWidth}
              height={itemHeight}
              orientation={orientation}
              field={value.field}
              text={options.text}
              display={field?.display}
              theme={theme}
              itemSpacing={itemSpacing}
              displayMode={options.displayMode ?? BarGaugeDisplayMode.Gradient}
              alignmentFactors={count > 1 ? alignmentFactors : undefined}
              showUnfilled={options.showUnfilled}
              valueDisplayMode={options.valueMode ?? BarGaugeValueMode.Color}
              namePlacement={options.namePlacement ?? BarGaugeNamePlacement.Auto}
            />
          </div>
        );
      }}
    />
  );
}

function Viz({ panel, frames, range, width, height }: VizProps & { range: RangeSpec }) {
  switch (panel.type) {
    case 'stat':
      return <StatViz panel={panel} frames={withFieldConfig(panel, frames)} width={width} height={height} />;
    case 'bargauge':
      return (
        <BarGaugeViz panel={panel} frames={withFieldConfig(panel, frames)} width={width} height={height} />
      );
    case 'timeseries':
      return frames.length === 0 ? (
        <div data-testid="no-data">No data</div>
      ) : (
        <TimeSeries
          frames={withFieldConfig(panel, frames)}
          timeRange={timeRange(range)}
          timeZone="utc"
          width={width}
          height={height}
          legend={
            panel.options?.legend ?? { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] }
          }
        />
      );
    case 'table': {
      const [frame] = withFieldConfig(panel, frames);
      return frame ? (
        <Table data={frame} width={width} height={height} />
      ) : (
        <div data-testid="no-data">No data</div>
      );
    }
    default:
      throw new Error(`panel type ${panel.type} is not rendered by this page`);
  }
}

class PanelErrorBoundary extends React.Component<
  { panelId: number; children: React.ReactNode },
  { error?: string }
> {
  state: { error?: string } = {};
  static getDerivedStateFromError(error: unknown) {
    return { error: String((error as Error)?.stack ?? error) };
  }
  render() {
    if (this.state.error) {
      return (
        <pre
          data-testid="render-error"
          style={{ color: theme.colors.error.text, whiteSpace: 'pre-wrap', fontSize: 11 }}
        >
          {this.state.error}
        </pre>
      );
    }
    return this.props.children;
  }
}

/* ---------- The dashboard grid ---------- */

/** Grafana's dashboard grid: 24 columns, rows of 30 px, 8 px between panels. */
const GRID_COLUMNS = 24;
const GRID_CELL_HEIGHT = 30;
const GRID_MARGIN = 8;
const PAGE_PADDING = 16;

function gridBox(gridPos: Panel['gridPos'], width: number) {
  const column = (width - GRID_MARGIN * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  return {
    left: Math.round(gridPos.x * (column + GRID_MARGIN)),
    top: gridPos.y * (GRID_CELL_HEIGHT + GRID_MARGIN),
    width: Math.round(gridPos.w * column + (gridPos.w - 1) * GRID_MARGIN),
    height: gridPos.h * GRID_CELL_HEIGHT + (gridPos.h - 1) * GRID_MARGIN,
  };
}

function DashboardView({
  dashboard,
  data,
  range,
  width,
}: {
  dashboard: Dashboard;
  data: Map<number, PanelData>;
  range: RangeSpec;
  width: number;
}) {
  const panels = allPanels(dashboard.panels);
  const bottom = Math.max(
    ...panels.map((panel) => gridBox(panel.gridPos, width).top + gridBox(panel.gridPos, width).height),
  );
  return (
    <div
      data-testid={`dashboard-${dashboard.uid}`}
      style={{ position: 'relative', width, height: bottom, margin: PAGE_PADDING }}
    >
      {panels.map((panel) => {
        const box = gridBox(panel.gridPos, width);
        if (panel.type === 'row') {
          return (
            <div
              key={panel.id}
              data-testid={`panel-${panel.id}`}
              data-title={panel.title}
              data-state="done"
              style={{
                position: 'absolute',
                ...box,
                display: 'flex',
                alignItems: 'center',
                fontSize: theme.typography.h5.fontSize,
                fontWeight: theme.typography.fontWeightMedium,
                color: theme.colors.text.primary,
              }}
            >
              {panel.title}
            </div>
          );
        }
        const { frames, errors } = data.get(panel.id) ?? { frames: [], errors: ['not queried'] };
        return (
          <div
            key={panel.id}
            data-testid={`panel-${panel.id}`}
            data-title={panel.title}
            data-type={panel.type}
            data-state={errors.length > 0 ? 'error' : 'done'}
            data-errors={errors.join(' | ')}
            style={{ position: 'absolute', ...box }}
          >
            <PanelChrome
              title={panel.title}
              width={box.width}
              height={box.height}
              statusMessage={errors.length > 0 ? errors.join(' ') : undefined}
            >
              {(innerWidth: number, innerHeight: number) => (
                <PanelErrorBoundary panelId={panel.id}>
                  <Viz panel={panel} frames={frames} range={range} width={innerWidth} height={innerHeight} />
                </PanelErrorBoundary>
              )}
            </PanelChrome>
          </div>
        );
      })}
    </div>
  );
}

const root = createRoot(document.getElementById('root') ?? document.body);

async function renderDashboard(
  dashboard: Dashboard,
  range: RangeSpec,
  prometheus: Record<string, PrometheusResult>,
) {
  if (dashboard.templating?.list.some((variable) => variable.datasource?.uid === PLUGIN_UID)) {
    await resolvePluginVariables(dashboard, range);
  }
  const data = new Map<number, PanelData>();
  await Promise.all(
    allPanels(dashboard.panels)
      .filter((panel) => panel.type !== 'row')
      .map(async (panel) => data.set(panel.id, await panelData(panel, range, prometheus))),
  );
  const width = window.innerWidth - 2 * PAGE_PADDING;
  document.body.dataset.rendered = 'pending';
  await new Promise<void>((resolve) => {
    root.render(
      <>
        <GlobalStyles />
        <DashboardView dashboard={dashboard} data={data} range={range} width={width} />
      </>,
    );
    // Two frames: React has committed and the browser has laid it out (uPlot draws on the next frame).
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
  });
  document.body.dataset.rendered = dashboard.uid;
  return { panels: data.size };
}

function colorByName(name: string): string {
  return theme.visualization.getColorByName(name);
}

Object.assign(window, {
  e2e: { init, setVariables, checkPluginQueries, renderDashboard, colorByName },
});
document.body.dataset.ready = 'true';
