/**
 * Every Prometheus query of the generated dashboards as Grafana would send it to the stack's Prometheus: template
 * variables resolved through Prometheus' label API (wall screen) or the exporter's dimensions (the plugin
 * variables of the other two dashboards; the test runs those through the plugin itself too), "All" as the
 * dashboards define it, the dashboard's time range and the panel's step.
 */
import {
  interpolate,
  parseLabelValues,
  PLUGIN_UID,
  PROMETHEUS_UID,
  prometheusValue,
  rangeStepSeconds,
  targetsOf,
  timeRangeOf,
} from './dashboards.mjs';

/** The stack's scrape and evaluation interval (scripts/stack.mjs rewrites prometheus.yml to 5s). */
export const STACK_SCRAPE_INTERVAL_S = 5;

export async function getJson(url, init) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), ...init });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${url.split('?')[0]}: HTTP ${response.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

/** POST form query to the Prometheus HTTP API (Grafana's data source uses httpMethod POST). */
export async function prometheusApi(prometheus, path, params) {
  const body = await getJson(`${prometheus}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  if (body.status !== 'success') {
    throw new Error(`${path}: ${body.errorType}: ${body.error}`);
  }
  return body.data;
}

/** Values of a label_values(selector, label) variable query from Prometheus' label API. */
async function labelValues(prometheus, query, range) {
  const { selector, label } = parseLabelValues(query);
  const url = new URL(`${prometheus}/api/v1/label/${encodeURIComponent(label)}/values`);
  url.searchParams.append('match[]', selector);
  url.searchParams.set('start', String(Math.floor(range.from / 1000)));
  url.searchParams.set('end', String(Math.ceil(range.to / 1000)));
  const body = await getJson(url.toString());
  return body.data;
}

/**
 * Resolves a dashboard's template variables in order (a later one may use an earlier one, as $region uses
 * $account_id on the wall screen), each at its saved current value ("All" in every dashboard).
 * Returns { replacements: Map name → PromQL text, options: [{ name, query, values }] }.
 * `pluginDimensions` is the exporter's /api/v1/dimensions answer, for variables of the plugin.
 */
export async function resolveVariables(dashboard, prometheus, pluginDimensions, range) {
  const replacements = new Map();
  const options = [];
  for (const variable of dashboard.templating?.list ?? []) {
    let values;
    let query;
    if (variable.type !== 'query') {
      throw new Error(
        `${dashboard.uid}: variable ${variable.name} of type ${variable.type} is not handled here`,
      );
    }
    if (variable.datasource?.uid === PROMETHEUS_UID) {
      query = interpolate(variable.query, replacements, timing(range, STACK_SCRAPE_INTERVAL_S));
      values = await labelValues(prometheus, query, range);
    } else if (variable.datasource?.uid === PLUGIN_UID) {
      query = `plugin dimension ${variable.query.dimension}`;
      values = pluginDimensions[variable.query.dimension];
    } else {
      throw new Error(`${dashboard.uid}: variable ${variable.name} has an unknown data source`);
    }
    const selected = variable.current?.value;
    const all = Array.isArray(selected) ? selected.includes('$__all') : selected === '$__all';
    const current = all ? { all: true } : { values: [selected].flat() };
    options.push({ name: variable.name, query, values, all });
    if (values.length > 0) {
      replacements.set(variable.name, prometheusValue(variable, current, values));
    }
  }
  return { replacements, options };
}

function timing(range, intervalS) {
  return {
    rangeMs: range.to - range.from,
    intervalS,
    scrapeIntervalS: STACK_SCRAPE_INTERVAL_S,
    fromMs: range.from,
    toMs: range.to,
  };
}

/**
 * Every Prometheus target of `dashboard` as a request: { dashboard, panelId, panelTitle, refId, expr (as
 * written), query (interpolated), kind: 'instant'|'range', params }.
 */
export function prometheusRequests(dashboard, replacements, now = Date.now()) {
  const range = timeRangeOf(dashboard, now);
  return targetsOf(dashboard, PROMETHEUS_UID).map(({ panel, target }) => {
    const rangeMs = range.to - range.from;
    const kind = target.range && !target.instant ? 'range' : 'instant';
    const step =
      kind === 'range' ? rangeStepSeconds(panel, rangeMs, STACK_SCRAPE_INTERVAL_S) : STACK_SCRAPE_INTERVAL_S;
    const query = interpolate(target.expr, replacements, timing(range, step));
    // Grafana aligns a range query's start and end to the step.
    const params =
      kind === 'range'
        ? {
            query,
            start: String(Math.floor(range.from / 1000 / step) * step),
            end: String(Math.ceil(range.to / 1000 / step) * step),
            step: String(step),
          }
        : { query, time: String(range.to / 1000) };
    return {
      dashboard: dashboard.uid,
      panelId: panel.id,
      panelTitle: panel.title,
      refId: target.refId,
      legendFormat: target.legendFormat,
      format: target.format ?? 'time_series',
      expr: target.expr,
      query,
      kind,
      params,
    };
  });
}

/** Runs one request; resolves with Prometheus' result array (vector or matrix). */
export async function runRequest(prometheus, request) {
  const path = request.kind === 'range' ? '/api/v1/query_range' : '/api/v1/query';
  const data = await prometheusApi(prometheus, path, request.params);
  return data.result;
}

export function describeRequest(request) {
  return `${request.dashboard} panel ${request.panelId} "${request.panelTitle}" ${request.refId} (${request.kind}): ${request.query}`;
}
