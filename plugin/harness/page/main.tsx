/**
 * The browser-test page: Grafana's part of the work, done by hand, around the plugin's built dist/module.js.
 *
 * - loads dist/module.js as Grafana does, as an AMD module, handing it this page's react, rxjs and @grafana/* copies,
 *   and registers a BackendSrv (window.fetch) in @grafana/runtime (both in host.ts);
 * - registers a TemplateSrv (one multi-value variable);
 * - renders the plugin's ConfigEditor with a "Save & test" button that stores the settings on the harness server
 *   (which plays Grafana's data source proxy) and calls the plugin's testDatasource();
 * - renders the variable editor, and per panel the plugin's QueryEditor above a real @grafana/ui visualisation fed
 *   by the plugin's query(), with the query inspector's executed query string under it.
 */
import './boot';

import * as grafanaData from '@grafana/data';
import {
  applyFieldOverrides,
  createTheme,
  DataFrame,
  DataQueryRequest,
  DataSourcePlugin,
  dateTime,
  Field,
  FieldType,
  getDisplayProcessor,
  getFieldDisplayName,
  TimeRange,
  TypedVariableModel,
} from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { LegendDisplayMode } from '@grafana/schema';
import {
  Alert,
  BarGauge,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  Button,
  GlobalStyles,
  Table,
  TimeSeries,
} from '@grafana/ui';
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import * as rxjs from 'rxjs';
import { lastValueFrom } from 'rxjs';

import { DATASOURCE_UID, INITIAL_SETTINGS, instanceSettings, KpiDataSource, loadPlugin, Query, Settings } from './host';

const theme = createTheme();
const PANEL_WIDTH = 660;
const PANEL_HEIGHT = 250;

/* ---------- Grafana services ---------- */

/** Dashboard variables: name → current values (multi-value when several). */
const variables = new Map<string, string[]>();

setTemplateSrv({
  getVariables: () =>
    [...variables.keys()].map((name) => ({ name, type: 'custom', multi: true })) as unknown as TypedVariableModel[],
  replace(target = '', _scopedVars, format) {
    return target.replace(/\$\{(\w+)\}|\$(\w+)/g, (reference, braced: string | undefined, bare: string | undefined) => {
      const values = variables.get(braced ?? bare ?? '');
      if (values === undefined) {
        return reference;
      }
      if (format === 'csv') {
        return values.join(',');
      }
      return values.length === 1 ? (values[0] ?? '') : `{${values.join(',')}}`;
    });
  },
  containsTemplate: (target) => /\$/.test(target ?? ''),
  updateTimeRange: () => undefined,
});

/* ---------- Visualisations ---------- */

/** Panel defaults the time series panel would add: a palette colour per series (unless the plugin set one). */
const SERIES_DEFAULTS = {
  lineWidth: 2,
  fillOpacity: 12,
  showPoints: 'always',
  pointSize: 5,
  drawStyle: 'line',
  axisPlacement: 'auto',
};

/**
 * Adds display processors (units, colours) as Grafana's panel pipeline does. Grafana merges panel defaults through
 * its standard-options registry, which only Grafana itself fills, so the defaults are set on the fields here.
 */
function withDisplay(frames: DataFrame[]): DataFrame[] {
  const withDefaults = frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === FieldType.number
        ? {
            ...field,
            config: {
              color: { mode: grafanaData.FieldColorModeId.PaletteClassic },
              ...field.config,
              custom: { ...SERIES_DEFAULTS, ...field.config.custom },
            },
          }
        : field
    ),
  }));
  return applyFieldOverrides({
    data: withDefaults,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (value) => value,
    theme,
    timeZone: 'utc',
  });
}

function display(field: Field, frame: DataFrame) {
  const processor = field.display ?? getDisplayProcessor({ field, theme });
  return { ...processor(field.values[0]), title: getFieldDisplayName(field, frame) };
}

const STAT_FIELDS = [
  'open_findings_total',
  'open_findings_CRITICAL',
  'compliance_score_evaluations',
  'data_age_seconds',
];

function StatViz({ frame }: { frame: DataFrame }) {
  const fields = STAT_FIELDS.flatMap((name) => frame.fields.filter((field) => field.name === name));
  const width = Math.floor(PANEL_WIDTH / fields.length) - 8;
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      {fields.map((field) => (
        <div key={field.name} data-testid={`stat-${field.name}`}>
          <BigValue
            theme={theme}
            width={width}
            height={PANEL_HEIGHT - 40}
            value={display(field, frame)}
            colorMode={BigValueColorMode.Value}
            graphMode={BigValueGraphMode.None}
            textMode={BigValueTextMode.ValueAndName}
          />
        </div>
      ))}
    </div>
  );
}

function BarGaugeViz({ frame }: { frame: DataFrame }) {
  const fields = frame.fields.filter(
    (field) => field.name.startsWith('open_findings_') && field.name !== 'open_findings_total'
  );
  const max = Math.max(1, ...fields.map((field) => Number(field.values[0]) || 0));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
      {fields.map((field) => (
        <div key={field.name} data-testid={`bargauge-${field.name}`}>
          <BarGauge
            theme={theme}
            width={PANEL_WIDTH}
            height={34}
            value={display(field, frame)}
            minValue={0}
            maxValue={max}
            field={{
              ...field.config,
              min: 0,
              max,
              thresholds: {
                mode: grafanaData.ThresholdsMode.Absolute,
                steps: [{ value: -Infinity, color: field.config.color?.fixedColor ?? 'green' }],
              },
            }}
            orientation={grafanaData.VizOrientation.Horizontal}
            display={field.display}
            showUnfilled
          />
        </div>
      ))}
    </div>
  );
}

function Viz({ kind, frames, range }: { kind: PanelKind; frames: DataFrame[]; range: TimeRange }) {
  const [frame] = frames;
  if (!frame) {
    return <p>No data</p>;
  }
  switch (kind) {
    case 'stat':
      return <StatViz frame={frame} />;
    case 'bargauge':
      return <BarGaugeViz frame={frame} />;
    case 'timeseries':
      return (
        <TimeSeries
          frames={withDisplay(frames)}
          timeRange={range}
          timeZone="utc"
          width={PANEL_WIDTH}
          height={PANEL_HEIGHT}
          legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
        />
      );
    case 'table':
      return <Table data={withDisplay([frame])[0] ?? frame} width={PANEL_WIDTH} height={PANEL_HEIGHT} />;
  }
}

/* ---------- Panels ---------- */

type PanelKind = 'stat' | 'bargauge' | 'timeseries' | 'table';

interface PanelSpec {
  id: string;
  title: string;
  kind: PanelKind;
  /** Saved the way a hand-written dashboard might: partial, without schemaVersion; the plugin migrates it. */
  query: Query;
  annotation?: boolean;
  /** A time range of the last `days` days instead of the page's 7. */
  days?: number;
}

const PANELS: PanelSpec[] = [
  { id: 'stat', title: 'Stat: summary', kind: 'stat', query: { refId: 'A', queryType: 'summary' } },
  {
    id: 'bargauge',
    title: 'Bar gauge: open findings by severity',
    kind: 'bargauge',
    query: { refId: 'B', queryType: 'summary' },
  },
  {
    id: 'timeseries',
    title: 'Time series: daily indicators',
    kind: 'timeseries',
    query: { refId: 'C', queryType: 'daily', indicators: ['findingsOpened', 'findingsResolved', 'remediationsFailed'] },
  },
  {
    id: 'findings',
    title: 'Table: open findings in $region',
    kind: 'table',
    query: { refId: 'D', queryType: 'findings', state: 'open', regions: ['$region'], limit: 50 },
  },
  {
    id: 'remediations',
    title: 'Table: remediations',
    kind: 'table',
    query: { refId: 'E', queryType: 'remediations', limit: 50 },
  },
  {
    id: 'rules',
    title: 'Table: rules',
    kind: 'table',
    query: { refId: 'F', queryType: 'rules', severities: ['CRITICAL', 'HIGH'] },
  },
  {
    id: 'annotations',
    title: 'Annotations: remediation executions',
    kind: 'table',
    query: { refId: 'Anno', queryType: 'remediationEvents' },
    annotation: true,
  },
  {
    id: 'daily30',
    title: 'Time series: open findings and failed remediations, 30 days',
    kind: 'timeseries',
    query: { refId: 'G', queryType: 'daily', indicators: ['openFindings', 'remediationsFailed'] },
    days: 30,
  },
  {
    id: 'monitoring',
    title: 'Annotations: monitoring began, 30 days',
    kind: 'table',
    query: { refId: 'Anno', queryType: 'monitoringBegan' },
    annotation: true,
    days: 30,
  },
];

function timeRange(days: number): TimeRange {
  const to = dateTime();
  const from = dateTime(to.valueOf() - days * 24 * 3600 * 1000);
  return { from, to, raw: { from: `now-${days}d`, to: 'now' } };
}

function request(targets: Query[], range: TimeRange): DataQueryRequest<Query> {
  return {
    requestId: `harness-${Date.now()}`,
    interval: '1h',
    intervalMs: 3600000,
    range,
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}

interface PanelResult {
  state: 'loading' | 'done' | 'error';
  frames: DataFrame[];
  errors: string[];
}

function Panel({
  spec,
  datasource,
  plugin,
  range,
}: {
  spec: PanelSpec;
  datasource: KpiDataSource;
  plugin: DataSourcePlugin<KpiDataSource>;
  range: TimeRange;
}) {
  const panelRange = React.useMemo(() => (spec.days === undefined ? range : timeRange(spec.days)), [range, spec.days]);
  const [query, setQuery] = React.useState<Query>(spec.query);
  // Grafana's query runner reads the latest query when onRunQuery fires, not the one of the last render.
  const latestQuery = React.useRef<Query>(spec.query);
  const [result, setResult] = React.useState<PanelResult>({ state: 'loading', frames: [], errors: [] });

  const run = React.useCallback(async () => {
    setResult((previous) => ({ ...previous, state: 'loading' }));
    try {
      const target = spec.annotation
        ? (datasource.annotations?.prepareQuery?.({
            name: spec.title,
            enable: true,
            iconColor: 'red',
            target: latestQuery.current,
          }) ?? latestQuery.current)
        : latestQuery.current;
      const answer = datasource.query(request([target], panelRange));
      const response = rxjs.isObservable(answer) ? await lastValueFrom(answer) : await answer;
      const errors = (response.errors ?? []).map((error) => error.message ?? 'error');
      setResult({ state: errors.length > 0 ? 'error' : 'done', frames: response.data, errors });
    } catch (error) {
      setResult({ state: 'error', frames: [], errors: [String(error)] });
    }
  }, [datasource, panelRange, spec]);

  React.useEffect(() => {
    void run();
  }, [run]);

  const Editor = spec.annotation ? datasource.annotations?.QueryEditor : plugin.components.QueryEditor;
  const executed = result.frames.map((frame) => frame.meta?.executedQueryString ?? '').join('\n');
  return (
    <section
      data-testid={`panel-${spec.id}`}
      data-state={result.state}
      style={{
        border: `1px solid ${theme.colors.border.weak}`,
        borderRadius: 4,
        padding: 12,
        background: theme.colors.background.primary,
      }}
    >
      <h3 style={{ marginTop: 0 }}>{spec.title}</h3>
      <div data-testid={`editor-${spec.id}`}>
        {Editor && (
          <Editor
            datasource={datasource}
            query={query}
            onChange={(next: Query) => {
              latestQuery.current = next;
              setQuery(next);
            }}
            onRunQuery={() => void run()}
            range={panelRange}
          />
        )}
      </div>
      <div data-testid={`viz-${spec.id}`} style={{ marginTop: 12, minHeight: 60 }}>
        {result.errors.length > 0 ? (
          <Alert severity="error" title="Query error">
            <span data-testid={`error-${spec.id}`}>{result.errors.join(' ')}</span>
          </Alert>
        ) : (
          <Viz kind={spec.kind} frames={result.frames} range={panelRange} />
        )}
      </div>
      {/* The frames' values as the plugin returned them (null stays null), for the test to compare. */}
      <pre data-testid={`values-${spec.id}`} hidden>
        {JSON.stringify(
          result.frames.map((frame) => Object.fromEntries(frame.fields.map((field) => [field.name, field.values])))
        )}
      </pre>
      <pre
        data-testid={`executed-${spec.id}`}
        style={{ fontSize: 11, whiteSpace: 'pre-wrap', margin: '8px 0 0', color: theme.colors.text.secondary }}
      >
        {executed}
      </pre>
    </section>
  );
}

/* ---------- Config and variables ---------- */

function ConfigSection({
  plugin,
  onTested,
}: {
  plugin: DataSourcePlugin<KpiDataSource>;
  onTested: (datasource: KpiDataSource) => void;
}) {
  const [settings, setSettings] = React.useState<Settings>(INITIAL_SETTINGS);
  const [result, setResult] = React.useState<{ status: string; message: string } | undefined>();
  const [testing, setTesting] = React.useState(false);
  const ConfigEditor = plugin.components.ConfigEditor;

  const saveAndTest = async () => {
    setTesting(true);
    setResult(undefined);
    // Grafana stores the settings (secureJsonData encrypted, server-side only) and clears the secrets in the form.
    const response = await window.fetch(`/api/datasources/uid/${DATASOURCE_UID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonData: settings.jsonData, secureJsonData: settings.secureJsonData ?? {} }),
    });
    const saved: { secureJsonFields: Record<string, boolean> } = await response.json();
    const next = { ...settings, secureJsonFields: saved.secureJsonFields, secureJsonData: {} };
    setSettings(next);
    const datasource = new plugin.DataSourceClass(instanceSettings(next, plugin));
    const tested = await datasource.testDatasource();
    setResult({ status: tested.status, message: tested.message });
    setTesting(false);
    if (tested.status !== 'error') {
      onTested(datasource);
    }
  };

  return (
    <section data-testid="config" style={{ maxWidth: 760 }}>
      <h2>Data source settings</h2>
      {ConfigEditor && <ConfigEditor options={settings} onOptionsChange={setSettings} />}
      <div style={{ marginTop: 16 }}>
        <Button onClick={() => void saveAndTest()} disabled={testing}>
          Save &amp; test
        </Button>
      </div>
      {result && (
        <div data-testid="test-result" data-status={result.status} style={{ marginTop: 16 }}>
          <Alert
            severity={result.status === 'success' ? 'success' : result.status === 'warning' ? 'warning' : 'error'}
            title={result.message}
          />
        </div>
      )}
    </section>
  );
}

function VariableSection({ datasource, onResolved }: { datasource: KpiDataSource; onResolved: () => void }) {
  const [query, setQuery] = React.useState<Query>({ refId: 'variable', dimension: 'accounts' });
  const [values, setValues] = React.useState<string[] | undefined>();
  const support = datasource.variables;
  if (!support || !('editor' in support) || !('query' in support)) {
    return <p data-testid="variable-support-missing">The plugin has no custom variable support.</p>;
  }
  const Editor = support.editor;

  const runVariableQuery = async () => {
    const response = await lastValueFrom(support.query(request([query], timeRange(7))));
    const frame: DataFrame | undefined = response.data[0];
    const found = (frame?.fields.find((field) => field.type === FieldType.string)?.values ?? []).map(String);
    setValues(found);
    if (query.dimension === 'regions') {
      variables.set('region', found);
      onResolved();
    }
  };

  return (
    <section data-testid="variables" style={{ maxWidth: 760 }}>
      <h2>Template variable $region</h2>
      <Editor datasource={datasource} query={query} onChange={setQuery} onRunQuery={() => undefined} />
      <div style={{ marginTop: 8 }}>
        <Button variant="secondary" onClick={() => void runVariableQuery()}>
          Run query
        </Button>
      </div>
      {values && (
        <p data-testid="variable-values">
          Values:{' '}
          {values.map((value) => (
            <code key={value} style={{ marginRight: 8 }}>
              {value}
            </code>
          ))}
        </p>
      )}
    </section>
  );
}

/* ---------- Page ---------- */

function App({ plugin }: { plugin: DataSourcePlugin<KpiDataSource> }) {
  const [datasource, setDatasource] = React.useState<KpiDataSource | undefined>();
  const [variablesReady, setVariablesReady] = React.useState(false);
  const range = React.useMemo(() => timeRange(7), []);
  return (
    <div style={{ padding: 24, display: 'flex', flexDirection: 'column', gap: 24 }}>
      <h1 style={{ margin: 0 }}>
        <img src="/plugin/img/logo.svg" alt="" style={{ height: 28, verticalAlign: 'middle', marginRight: 8 }} />
        Compliance Pulse KPI — dist/module.js in a Grafana-like host
      </h1>
      <ConfigSection plugin={plugin} onTested={setDatasource} />
      {datasource && <VariableSection datasource={datasource} onResolved={() => setVariablesReady(true)} />}
      {datasource && variablesReady && (
        <div
          data-testid="panels"
          style={{ display: 'grid', gridTemplateColumns: `repeat(2, ${PANEL_WIDTH + 26}px)`, gap: 16 }}
        >
          {PANELS.map((spec) => (
            <Panel key={spec.id} spec={spec} datasource={datasource} plugin={plugin} range={range} />
          ))}
        </div>
      )}
    </div>
  );
}

const root = createRoot(document.getElementById('root') ?? document.body);
loadPlugin().then(
  (plugin) => {
    root.render(
      <>
        <GlobalStyles />
        <App plugin={plugin} />
      </>
    );
    document.body.dataset.plugin = 'loaded';
  },
  (error: unknown) => {
    document.body.dataset.plugin = 'failed';
    root.render(<pre data-testid="load-error">{String(error)}</pre>);
  }
);
