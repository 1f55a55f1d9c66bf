/**
 * Reading the generated dashboards the way Grafana does for what the end-to-end test needs: panels (rows
 * included), their targets per data source, template variables and annotations; Grafana's time range syntax and
 * its interpolation of variables into PromQL.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROMETHEUS_UID = 'prometheus';
export const PLUGIN_UID = 'compliance-pulse-kpi';
export const DASHBOARD_FILES = ['wall-screen', 'daily', 'rules'];

/** dashboards/generated, or E2E_DASHBOARDS_DIR (e.g. a changed copy, to try a fix before regenerating). */
export const DASHBOARDS_DIR = process.env.E2E_DASHBOARDS_DIR ?? join(ROOT, 'dashboards', 'generated');

/** `{ name, json }` for every generated dashboard, in DASHBOARD_FILES order. */
export function loadDashboards() {
  return DASHBOARD_FILES.map((name) => ({
    name,
    json: JSON.parse(readFileSync(join(DASHBOARDS_DIR, `${name}.json`), 'utf8')),
  }));
}

/** Every panel, including those nested in collapsed rows. */
export function panelsOf(dashboard) {
  const out = [];
  const walk = (panels) => {
    for (const panel of panels ?? []) {
      out.push(panel);
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** The data source uid of a target: its own, else its panel's (Grafana's "mixed" rules, simplified). */
export function targetUid(panel, target) {
  return target.datasource?.uid ?? panel.datasource?.uid;
}

/** `{ panel, target }` for every target of every panel whose data source has `uid`. */
export function targetsOf(dashboard, uid) {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => targetUid(panel, target) === uid)
      .map((target) => ({ panel, target })),
  );
}

export function variablesOf(dashboard, uid) {
  return (dashboard.templating?.list ?? []).filter((variable) => variable.datasource?.uid === uid);
}

export function annotationsOf(dashboard, uid) {
  return (dashboard.annotations?.list ?? []).filter((annotation) => annotation.datasource?.uid === uid);
}

/* ---------- Time ---------- */

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * Grafana's relative time (`now`, `now-24h`, `now-29d/d`, `now/d`) in UTC, to epoch milliseconds. `roundUp` is
 * Grafana's for the range end: `now/d` as "to" is the end of today. Anything else is an error, so a dashboard
 * with a time syntax this does not know makes the test fail rather than query the wrong range.
 */
export function parseRelativeTime(text, now, roundUp) {
  const match = /^now(?:-(\d+)([smhdw]))?(?:\/([smhdw]))?$/.exec(text);
  if (!match) {
    throw new Error(`time "${text}": not a form this test understands (now[-N<unit>][/<unit>])`);
  }
  const [, amount, unit, roundTo] = match;
  let time = now - (amount ? Number(amount) * UNIT_MS[unit] : 0);
  if (roundTo) {
    const size = UNIT_MS[roundTo];
    time = Math.floor(time / size) * size + (roundUp ? size - 1 : 0);
  }
  return time;
}

export function timeRangeOf(dashboard, now = Date.now()) {
  return {
    from: parseRelativeTime(dashboard.time.from, now, false),
    to: parseRelativeTime(dashboard.time.to, now, true),
    raw: { ...dashboard.time },
  };
}

/** Grafana's interval strings (`1d`, `30s`, `5m`) in seconds. */
export function intervalSeconds(text) {
  const match = /^(\d+)([smhdw])$/.exec(text);
  if (!match) {
    throw new Error(`interval "${text}" not understood`);
  }
  return (Number(match[1]) * UNIT_MS[match[2]]) / 1000;
}

/* ---------- Variables and PromQL ---------- */

/** Grafana's prometheusSpecialRegexEscape: a value used inside a regex matcher of a PromQL string. */
function regexEscape(value) {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/**
 * What Grafana's Prometheus data source substitutes for a variable whose current value is `current`:
 * `{ all: true }` (the "All" option) or `{ values: [...] }`. "All" with a custom all value is that value unchanged;
 * "All" without one is every option, as a regex alternation, like a multi-value selection.
 */
export function prometheusValue(variable, current, options) {
  if (current.all) {
    if (variable.allValue !== undefined && variable.allValue !== null && variable.allValue !== '') {
      return variable.allValue;
    }
    return prometheusValue(variable, { values: options }, options);
  }
  const escaped = current.values.map(regexEscape);
  if (escaped.length === 0) {
    throw new Error(`variable ${variable.name} has no value`);
  }
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

/**
 * Substitutes `$name`, `${name}`, `[[name]]` (dashboard variables, from `values`: name → replacement text) and
 * Grafana's built-ins `$__range`, `$__range_s`, `$__range_ms`, `$__interval`, `$__interval_ms`,
 * `$__rate_interval`, `${__from}`, `${__to}`. A `$` reference left over is an error naming it.
 */
export function interpolate(expr, values, { rangeMs, intervalS, scrapeIntervalS, fromMs, toMs }) {
  const builtins = {
    __range: `${Math.round(rangeMs / 1000)}s`,
    __range_s: String(Math.round(rangeMs / 1000)),
    __range_ms: String(rangeMs),
    __interval: `${intervalS}s`,
    __interval_ms: String(intervalS * 1000),
    __rate_interval: `${Math.max(intervalS + scrapeIntervalS, 4 * scrapeIntervalS)}s`,
    __from: String(fromMs),
    __to: String(toMs),
  };
  const lookup = (name, reference) => {
    if (name in builtins) {
      return builtins[name];
    }
    if (values.has(name)) {
      return values.get(name);
    }
    throw new Error(`unresolved variable ${reference} in ${JSON.stringify(expr)}`);
  };
  return expr.replace(/\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (reference, braced, bracketed, bare) =>
    lookup(braced ?? bracketed ?? bare, reference),
  );
}

/** Grafana's label_values(metric_or_selector, label) variable query, parsed; other forms are an error. */
export function parseLabelValues(query) {
  const match = /^label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)$/s.exec(query.trim());
  if (!match) {
    throw new Error(`variable query ${JSON.stringify(query)} is not label_values(selector, label)`);
  }
  return { selector: match[1], label: match[2] };
}

/**
 * The step Grafana sends for a range query: the panel's minimum interval (`interval`), at least the data
 * source's scrape interval, at least range / max data points (the panel's pixel width, here 1000).
 */
export function rangeStepSeconds(panel, rangeMs, scrapeIntervalS, maxDataPoints = 1000) {
  const minimum = panel.interval ? intervalSeconds(panel.interval) : scrapeIntervalS;
  return Math.max(minimum, scrapeIntervalS, Math.ceil(rangeMs / 1000 / maxDataPoints));
}
