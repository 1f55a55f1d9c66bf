/**
 * End to end against `npm run stack` (the demo exporter, Debian's Prometheus and Alertmanager, the alert sink):
 *
 * 1. PromQL: every Prometheus target of every generated dashboard, with its template variables resolved through
 *    Prometheus' label API (label_values) or the exporter's dimensions, "All" as the dashboards define it, sent
 *    the way Grafana's Prometheus data source sends it (instant at the range end, range aligned to the panel's
 *    step), returns at least one series. Polled until each does, within E2E_PROMQL_TIMEOUT (s, default 240).
 * 2. Plugin queries: every target of the plugin data source in every dashboard, every plugin annotation and every
 *    plugin template variable, run in Chromium through the built plugin (dist/module.js loaded as an AMD module,
 *    as Grafana does, via plugin/harness) and Grafana's data source proxy route (plugin/harness/server.mjs) against
 *    the stack's exporter, with the dashboard's variables interpolated; each returns a non-empty frame.
 * 3. An alert end to end: an AWSConfigRemediationAccessDenied notification for receiver "pager" reaches the
 *    sink, with its labels and runbook link; waited for up to E2E_ALERT_TIMEOUT (s, default 300).
 * 4. Rendering: the wall screen (and the daily dashboard) in Chromium at 1920×1080, every panel as the
 *    @grafana/ui visualisation Grafana's panel would render, fed by the real query results with the dashboard's
 *    fieldConfig applied (e2e/page/main.tsx); screenshots in e2e/test-results/screenshots/, copied to
 *    docs/screenshots/ only with UPDATE_DOCS_SCREENSHOTS=1. Minutes after start-up the wall screen shows the
 *    backfilled day (failed remediations above 0, success below 100 %), and "collecting" for time to remediate,
 *    whose Config data Prometheus has only since it started.
 *
 * The stack builds the exporter and this test builds the plugin (webpack) and the page (Vite) before starting;
 * E2E_NO_BUILD=1 uses the existing exporter/dist and plugin/dist (after `npm run build`). E2E_STACK_ARGS: more
 * flags for npm run stack, space-separated (e.g. --exporter-arg=--log.level=debug). E2E_PLUGIN_DIST: another
 * plugin build to load instead of plugin/dist (e.g. an unpacked release zip). E2E_DASHBOARDS_DIR: dashboard JSON
 * to test instead of dashboards/generated (e.g. to try a fix before regenerating). Chromium:
 * CHROMIUM_PATH (default /usr/bin/chromium). Run: npm run e2e.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  annotationsOf,
  loadDashboards,
  panelsOf,
  PLUGIN_UID,
  ROOT,
  targetsOf,
  timeRangeOf,
  variablesOf,
} from './lib/dashboards.mjs';
import { buildPage, PLUGIN_DIST_DIR, servePage } from './lib/page.mjs';
import { describeRequest, getJson, prometheusRequests, resolveVariables, runRequest } from './lib/promql.mjs';
import { startStack, stopStack } from './lib/stack.mjs';
import { assertChromiumInstalled, launchChromium } from '../plugin/harness/chromium.mjs';

const E2E_DIR = dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = join(E2E_DIR, 'test-results');
const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');
const DOCS_SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots');
const NO_BUILD = process.env.E2E_NO_BUILD === '1';
const EXTRA_STACK_ARGS = (process.env.E2E_STACK_ARGS ?? '').split(' ').filter(Boolean);
const PROMQL_TIMEOUT_MS = Number(process.env.E2E_PROMQL_TIMEOUT ?? 240) * 1000;
const ALERT_TIMEOUT_MS = Number(process.env.E2E_ALERT_TIMEOUT ?? 300) * 1000;
const STACK_TIMEOUT_MS = 300_000;
const POLL_MS = 2_500;

const ALERT = 'AWSConfigRemediationAccessDenied';
const RUNBOOK_URL =
  'https://github.com/compliance-pulse/compliance-pulse/blob/main/docs/alerts.md#awsconfigremediationaccessdenied';
/** What a panel shows instead of a number when its data is missing or stale (the dashboards' value mappings). */
const NOT_A_NUMBER = /^(STALE|NO DATA|NEVER POLLED)$/;
/** The "nothing to divide by" texts the wall screen shows for fresh data (the -1 sentinels). */
const FRESH_SENTINELS = /^(no runs|no fixes|no evaluations)$/;
/** What a wall-screen panel shows while Prometheus has less than its window (dashboards/src/panels.ts). */
const COLLECTING = /^collecting: \d+ (min|h|days) of (24 h|7 days)$/;

const dashboards = loadDashboards();
const dashboard = (uid) => dashboards.find(({ json }) => json.uid === uid).json;

const scratch = mkdtempSync(join(tmpdir(), 'compliance-pulse-e2e-'));
const log = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;

let stack;
let stackReadyAt;
let server;
let browser;
let page;
let promqlResult;
let alertResult;
const pageErrors = [];
const consoleErrors = [];
const failedRequests = [];

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/* ---------- 1. PromQL ---------- */

/**
 * Polls every Prometheus request of every dashboard until each returns at least one series, or until the
 * deadline. Template variables are resolved first (and must have values). Resolves with what was seen.
 */
async function pollPromql({ prometheus, exporter, deadline }) {
  const variables = new Map(); // dashboard uid → resolved variables
  const satisfied = new Map(); // request key → { request, series, afterSeconds }
  const last = new Map(); // request key → { request, outcome }
  const variableProblems = new Map();
  for (;;) {
    const dimensions = await getJson(`${exporter}/api/v1/dimensions`).catch(() => undefined);
    for (const { json } of dashboards) {
      if (!variables.has(json.uid) && dimensions) {
        try {
          const resolved = await resolveVariables(json, prometheus, dimensions, timeRangeOf(json));
          const empty = resolved.options.filter((option) => option.values.length === 0);
          if (empty.length === 0) {
            variables.set(json.uid, resolved);
            variableProblems.delete(json.uid);
          } else {
            variableProblems.set(
              json.uid,
              empty.map((option) => `variable $${option.name}: ${option.query} has no values`).join('; '),
            );
          }
        } catch (error) {
          variableProblems.set(json.uid, error.message);
        }
      }
      const resolved = variables.get(json.uid);
      if (!resolved) {
        continue;
      }
      await Promise.all(
        prometheusRequests(json, resolved.replacements).map(async (request) => {
          const key = `${request.dashboard}/${request.panelId}/${request.refId}`;
          if (satisfied.has(key)) {
            return;
          }
          try {
            const result = await runRequest(prometheus, request);
            if (result.length > 0) {
              satisfied.set(key, {
                request,
                series: result.length,
                afterSeconds: (Date.now() - stackReadyAt) / 1000,
              });
              last.delete(key);
            } else {
              last.set(key, { request, outcome: 'no series' });
            }
          } catch (error) {
            last.set(key, { request, outcome: error.message });
          }
        }),
      );
    }
    const allResolved = dashboards.every(({ json }) => variables.has(json.uid));
    if ((allResolved && last.size === 0) || Date.now() > deadline) {
      return { variables, satisfied, unsatisfied: [...last.values()], variableProblems };
    }
    await sleep(POLL_MS);
  }
}

/* ---------- 3. The alert ---------- */

/** Polls the sink until Alertmanager delivered a firing ALERT to receiver "pager". */
async function waitForAlert({ sink, deadline }) {
  for (;;) {
    const payloads = await getJson(`${sink}/alerts?receiver=pager`).catch(() => []);
    for (const payload of payloads) {
      const alert = payload.alerts?.find((candidate) => candidate.labels?.alertname === ALERT);
      if (alert && payload.status === 'firing') {
        return {
          payload,
          alert,
          afterSeconds: (Date.now() - stackReadyAt) / 1000,
          payloadsSeen: payloads.length,
        };
      }
    }
    if (Date.now() > deadline) {
      const seen = payloads.flatMap((payload) =>
        payload.alerts.map((a) => `${payload.receiver}:${a.labels.alertname}`),
      );
      return { timedOut: true, seen: [...new Set(seen)] };
    }
    await sleep(POLL_MS);
  }
}

/* ---------- Set-up ---------- */

before(
  async () => {
    assertChromiumInstalled();
    const pageDir = join(scratch, 'page');
    // The stack (with its exporter build), the plugin build and the page build side by side.
    const [started] = await Promise.all([
      startStack({
        extraArgs: [...(NO_BUILD ? ['--no-build'] : []), ...EXTRA_STACK_ARGS],
        timeoutMs: STACK_TIMEOUT_MS,
      }).then((value) => {
        stack = value;
        stackReadyAt = Date.now();
        log(
          `stack ready after ${elapsed()} (its own readySeconds ${value.ready.readySeconds}): ports ${value.base}..${value.base + 3}`,
        );
        // From here on, the slow conditions are polled in the background while the browser checks run.
        promqlResult = pollPromql({
          prometheus: value.ready.prometheus,
          exporter: value.ready.exporter,
          deadline: Date.now() + PROMQL_TIMEOUT_MS,
        });
        alertResult = waitForAlert({ sink: value.ready.alertSink, deadline: Date.now() + ALERT_TIMEOUT_MS });
        return value;
      }),
      NO_BUILD ? Promise.resolve() : run('npm', ['run', 'build', '--workspace', 'plugin']),
    ]).then(async (values) => {
      await buildPage(pageDir);
      log(`plugin and page built after ${elapsed()}`);
      return values;
    });
    assert.ok(
      existsSync(join(PLUGIN_DIST_DIR, 'module.js')),
      'plugin/dist/module.js is missing: npm run build',
    );
    server = await servePage(pageDir, started.ready.exporter);
    browser = await launchChromium();
    // A 1080p TV in kiosk mode: the dashboard is the whole viewport.
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) {
        failedRequests.push(`${response.status()} ${response.url()}`);
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(`${message.text()} ${message.location()?.url ?? ''}`);
      }
    });
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.deepEqual(await page.evaluate((exporter) => window.e2e.init(exporter), started.ready.exporter), {
      loaded: true,
    });
  },
  { timeout: STACK_TIMEOUT_MS + 120_000 },
);

after(async () => {
  await browser?.close();
  await server?.close();
  // Let the background pollers see their deadline instead of running against a stopped stack.
  if (stack) {
    const { problems, stopSeconds } = await stopStack(stack);
    log(`stack stopped in ${stopSeconds.toFixed(1)} s; total ${elapsed()}`);
    rmSync(scratch, { recursive: true, force: true });
    assert.deepEqual(
      problems,
      [],
      `npm run stack did not stop cleanly:\n${problems.join('\n')}\n${stack.stderr().slice(-3000)}`,
    );
  } else {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/* ---------- The checks ---------- */

describe('end to end against npm run stack', () => {
  it(
    'every PromQL expression in every dashboard returns data from Prometheus',
    { timeout: PROMQL_TIMEOUT_MS + 60_000 },
    async () => {
      const { variables, satisfied, unsatisfied, variableProblems } = await promqlResult;
      for (const [uid, resolved] of variables) {
        for (const option of resolved.options) {
          log(
            `${uid} $${option.name} = ${option.all ? 'All' : option.values.join(',')} (${option.values.length} values from ${option.query})`,
          );
        }
      }
      const slowest = [...satisfied.values()].sort((a, b) => b.afterSeconds - a.afterSeconds)[0];
      log(
        `${satisfied.size} Prometheus queries returned data; the last after ${slowest?.afterSeconds.toFixed(0)} s (${slowest ? describeRequest(slowest.request).split(':')[0] : '-'})`,
      );
      const expected = dashboards.reduce(
        (count, { json }) =>
          count + prometheusRequests(json, new Map(json.templating.list.map((v) => [v.name, '.*']))).length,
        0,
      );
      assert.deepEqual(
        [...variableProblems.entries()].map(([uid, problem]) => `${uid}: ${problem}`),
        [],
        'template variables without values',
      );
      const explained = await Promise.all(unsatisfied.map((entry) => explainEmpty(entry)));
      assert.deepEqual(
        explained,
        [],
        `Prometheus queries that returned nothing within ${PROMQL_TIMEOUT_MS / 1000} s`,
      );
      assert.equal(satisfied.size, expected, 'every Prometheus target was queried');
    },
  );

  it('every plugin query, annotation and variable in every dashboard returns data through the built plugin', async () => {
    // Some figures exist only once the live account has moved on after the exporter's first poll (time to
    // remediate needs a finding first seen open, then seen fixed), so the whole check is repeated until it
    // passes or the deadline comes.
    const deadline = Date.now() + 180_000;
    let problems;
    let checked;
    for (;;) {
      ({ problems, checked } = await checkPluginQueries());
      if (problems.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    log(`${checked} plugin queries, annotations and variables checked`);
    assert.deepEqual(problems, []);
  });

  async function checkPluginQueries() {
    const dimensions = await getJson(`${stack.ready.exporter}/api/v1/dimensions`);
    const problems = [];
    let checked = 0;
    for (const { json } of dashboards) {
      const range = timeRangeOf(json);
      const answer = await page.evaluate(([d, r]) => window.e2e.checkPluginQueries(d, r), [json, range]);
      // Variables: the plugin lists what the exporter knows.
      const declared = variablesOf(json, PLUGIN_UID);
      assert.equal(answer.variables.length, declared.length);
      for (const variable of answer.variables) {
        const dimension = declared.find((v) => v.name === variable.name).query.dimension;
        checked++;
        if (variable.error || variable.values.length === 0) {
          problems.push(`${json.uid} variable $${variable.name}: ${variable.error ?? 'no values'}`);
        } else if ([...variable.values].sort().join() !== [...dimensions[dimension]].sort().join()) {
          problems.push(
            `${json.uid} variable $${variable.name}: ${variable.values} ≠ exporter ${dimension} ${dimensions[dimension]}`,
          );
        }
      }
      const allOf = (name) => answer.variables.find((variable) => variable.name === name)?.values ?? [];
      // Panel targets: a frame with rows and values; "All" interpolated as the dashboards define it.
      const declaredTargets = targetsOf(json, PLUGIN_UID);
      assert.equal(answer.targets.length, declaredTargets.length);
      for (const target of answer.targets) {
        checked++;
        const where = `${json.uid} panel ${target.panelId} "${target.panelTitle}" ${target.refId} (${target.queryType})`;
        const source = declaredTargets.find(
          ({ panel, target: t }) => panel.id === target.panelId && t.refId === target.refId,
        ).target;
        problems.push(...frameProblems(where, target, source, allOf));
      }
      // Annotations: events with time, title, text and tags.
      const declaredAnnotations = annotationsOf(json, PLUGIN_UID);
      assert.equal(answer.annotations.length, declaredAnnotations.length);
      for (const annotation of answer.annotations) {
        checked++;
        const where = `${json.uid} annotation "${annotation.name}" (${annotation.queryType})`;
        problems.push(...frameProblems(where, annotation, undefined, allOf));
        const fields = annotation.frames[0]?.fields.map((field) => field.name) ?? [];
        for (const name of ['time', 'title', 'text', 'tags']) {
          if (!fields.includes(name)) {
            problems.push(`${where}: no ${name} field (${fields})`);
          }
        }
      }
    }
    return { problems, checked };
  }

  it('the wall screen renders in Chromium with the dashboard’s thresholds, units and mappings', async () => {
    await promqlResult; // recording rules have data by now (or the PromQL check has said which do not)
    const wall = dashboard('cp-wall-screen');
    const { results, variables } = await queryForRender(wall);
    await page.evaluate(
      (list) =>
        window.e2e.setVariables(
          list.map((v) => ({
            name: v.name,
            multi: true,
            includeAll: true,
            allValue: '.*',
            all: v.all,
            values: v.values,
            options: v.values,
          })),
        ),
      variables,
    );
    await page.evaluate(
      ([d, r, p]) => window.e2e.renderDashboard(d, r, p),
      [wall, timeRangeOf(wall), results],
    );
    await page.waitForFunction(() => document.body.dataset.rendered === 'cp-wall-screen');
    const screenshot = await saveScreenshot('wall-screen', { fullPage: false });
    log(
      `wall screen: rendered ${((Date.now() - stackReadyAt) / 1000).toFixed(0)} s after the stack was ready, screenshot ${screenshot}`,
    );

    const panels = panelsOf(wall);
    const rendered = await renderedPanels();
    assert.deepEqual(
      rendered.map((panel) => panel.id).sort(),
      panels.map((panel) => String(panel.id)).sort(),
    );
    assert.deepEqual(
      rendered
        .filter((panel) => panel.state !== 'done' || panel.renderError)
        .map((panel) => `${panel.id}: ${panel.errors} ${panel.renderError}`),
      [],
      'panels with errors',
    );
    // The whole dashboard fits the 1080p screen.
    const box = await page.getByTestId('dashboard-cp-wall-screen').boundingBox();
    assert.ok(
      box.y + box.height <= 1080 && box.x + box.width <= 1920,
      `dashboard box ${JSON.stringify(box)}`,
    );

    const problems = [];
    for (const panel of panels) {
      const shown = rendered.find((candidate) => candidate.id === String(panel.id));
      if (!shown.text.includes(panel.title)) {
        problems.push(`panel ${panel.id}: title "${panel.title}" not shown`);
      }
      if (shown.values.length === 0) {
        problems.push(`panel ${panel.id} "${panel.title}": no value rendered`);
      }
      for (const value of shown.values) {
        // The stack's data is fresh: a wall-screen value is a number, a "nothing to divide by" text, or how much of
        // its window Prometheus has.
        const text = FRESH_SENTINELS.test(value.text) || COLLECTING.test(value.text) || /\d/.test(value.text);
        if (NOT_A_NUMBER.test(value.text) || !text) {
          problems.push(
            `panel ${panel.id} "${panel.title}" ${value.title}: shows "${value.text}" although the data is fresh`,
          );
        }
      }
      // Single-value stats show what Prometheus answered (or its mapping).
      if (panel.type === 'stat' && panel.targets.length === 1 && shown.values.length === 1) {
        const series = results[`${panel.id}/A`].result;
        const expectedNumber = series.length === 1 ? Number(series[0].value[1]) : undefined;
        if (
          expectedNumber !== undefined &&
          Math.abs(Number(shown.values[0].numeric) - expectedNumber) > 1e-9
        ) {
          problems.push(
            `panel ${panel.id}: shows ${shown.values[0].numeric}, Prometheus answered ${expectedNumber}`,
          );
        }
      }
    }

    // Open findings: Critical — a whole number, in the colour of its threshold step (dark red from 1).
    const critical = panels.find((panel) => panel.title === 'Open findings: Critical');
    const [criticalValue] = rendered.find((panel) => panel.id === String(critical.id)).values;
    assert.match(criticalValue.text, /^\d+$/);
    const step = activeStep(critical.fieldConfig.defaults.thresholds.steps, Number(criticalValue.numeric));
    const stepColor = await page.evaluate((name) => window.e2e.colorByName(name), step.color);
    assert.equal(criticalValue.color.toLowerCase(), stepColor.toLowerCase(), `Critical in ${step.color}`);
    assertBackgroundIs(criticalValue.background, stepColor, 'Critical stat background');
    if (Number(criticalValue.numeric) >= 1) {
      assert.equal(step.color, 'dark-red');
    }

    // Data age: seconds, below the 15-minute staleness threshold, green.
    const age = panels.find((panel) => panel.title.startsWith('Data age'));
    const [ageValue] = rendered.find((panel) => panel.id === String(age.id)).values;
    assert.match(ageValue.text, /^\d+ s$/, 'data age in seconds');
    assert.ok(Number(ageValue.numeric) >= 0 && Number(ageValue.numeric) < 900, ageValue.text);
    assert.equal(
      ageValue.color.toLowerCase(),
      (await page.evaluate(() => window.e2e.colorByName('green'))).toLowerCase(),
    );
    assertBackgroundIs(ageValue.background, ageValue.color, 'data age background');

    // Truthful from the first minute. The remediation history is backfilled (npm run stack), so the last 24 h
    // are real: the demo account's failures, not "0" and "100 %" over the minutes Prometheus has run.
    const failed = rendered.find((panel) => panel.title === 'Failed remediations, last 24 h').values[0];
    assert.match(failed.text, /^\d+$/, `failed remediations, last 24 h: "${failed.text}"`);
    assert.ok(Number(failed.numeric) > 0, `failed remediations, last 24 h: ${failed.text}`);
    const success = rendered.find((panel) => panel.title === 'Remediation success, last 24 h').values[0];
    assert.match(success.text, /^\d+(\.\d)?%$/);
    assert.ok(Number(success.numeric) < 1, `remediation success, last 24 h: ${success.text}`);
    const weekly = rendered.find((panel) => panel.title === 'Remediation success, last 7 days').values[0];
    assert.match(weekly.text, /^\d+(\.\d)?%$/);
    // Time to remediate comes from the Config source, which has no history: Prometheus has minutes of it, and the
    // panels say so rather than "no fixes".
    for (const title of [
      'Time to remediate, median of fixes in the last 24 h',
      'Time to remediate, 95th percentile of fixes in the last 24 h',
    ]) {
      const ttr = rendered.find((panel) => panel.title === title);
      assert.deepEqual(
        ttr.values.map((value) => value.title),
        ['Critical', 'High', 'Medium'],
      );
      for (const value of ttr.values) {
        assert.match(value.text, /^collecting: \d+ min of 24 h$/, `${title} ${value.title}: "${value.text}"`);
      }
    }

    // Bar gauges: a bar per row, named by its label, largest first (the panels' sortBy).
    for (const title of [
      'Failed remediations in the last 24 h, by reason',
      'Top 10 rules by noncompliant resources',
    ]) {
      const bars = rendered.find((panel) => panel.title === title).values;
      assert.ok(bars.length >= 1 && bars.length <= 10, `${title}: ${bars.length} bars`);
      const numbers = bars.map((bar) => Number(bar.numeric));
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => b - a),
        `${title}: sorted`,
      );
      assert.ok(
        bars.every((bar) => bar.title !== ''),
        `${title}: bar names`,
      );
    }
    const reasons = rendered
      .find((panel) => panel.title.endsWith('by reason'))
      .values.map((bar) => bar.title);
    assert.ok(reasons.includes('access_denied'), `reasons: ${reasons}`);

    // Every panel: its title, a value, a number (or a fresh-data text) rather than STALE, what Prometheus answered.
    assert.deepEqual(problems, []);
    publishScreenshot(screenshot, 'wall-screen');
  });

  it('the daily dashboard renders in Chromium (plugin time series and Prometheus panels)', async () => {
    const daily = dashboard('cp-daily');
    // The exporter's JSON API calls a source stale when it has not polled within two poll intervals (30 s with
    // the stack's 15 s): a demo poll cycle takes about 20 s and overruns now and then, so /api/v1/summary says
    // "stale" for a few seconds about once a minute, and the "JSON API data" stat shows STALE meanwhile.
    // Render again (for up to a minute) until a rendering shows fresh data; a lasting STALE still fails.
    const deadline = Date.now() + 60_000;
    let renders = 0;
    let rendered;
    let staleShown;
    let screenshot;
    do {
      if (renders > 0) {
        await sleep(POLL_MS);
      }
      renders++;
      const { results } = await queryForRender(daily);
      await page.evaluate(() => {
        document.body.dataset.rendered = '';
      });
      await page.evaluate(
        ([d, r, p]) => window.e2e.renderDashboard(d, r, p),
        [daily, timeRangeOf(daily), results],
      );
      await page.waitForFunction(() => document.body.dataset.rendered === 'cp-daily');
      screenshot = await saveScreenshot('daily', { fullPage: true });
      rendered = await renderedPanels();
      // The stack's data is fresh: no stat or bar gauge may say otherwise.
      staleShown = rendered.flatMap((panel) =>
        panel.values
          .filter((value) => NOT_A_NUMBER.test(value.text))
          .map(
            (value) => `panel ${panel.id} "${panel.title}": shows "${value.text}" although the data is fresh`,
          ),
      );
    } while (staleShown.length > 0 && Date.now() < deadline);
    log(`daily dashboard: ${renders} rendering(s), screenshot ${screenshot}`);
    assert.deepEqual(
      rendered
        .filter((panel) => panel.state !== 'done' || panel.renderError)
        .map((panel) => `${panel.id}: ${panel.errors} ${panel.renderError}`),
      [],
      'panels with errors',
    );
    for (const panel of panelsOf(daily).filter((candidate) => candidate.type === 'timeseries')) {
      const shown = rendered.find((candidate) => candidate.id === String(panel.id));
      assert.ok(
        shown.canvases > 0,
        `panel ${panel.id} "${panel.title}": no uPlot canvas (${shown.text.slice(0, 80)})`,
      );
    }
    assert.deepEqual(staleShown, [], `for ${renders} renderings over a minute`);
    const freshness = rendered.find((panel) => panel.title.startsWith('JSON API data'));
    assert.deepEqual(
      freshness.values.map((value) => value.text),
      ['FRESH'],
    );
    publishScreenshot(screenshot, 'daily');
  });

  it(
    `an ${ALERT} alert fires and reaches the sink’s pager receiver through Alertmanager`,
    { timeout: ALERT_TIMEOUT_MS + 60_000 },
    async () => {
      const result = await alertResult;
      assert.ok(
        !result.timedOut,
        `no ${ALERT} at the sink's pager receiver within ${ALERT_TIMEOUT_MS / 1000} s; seen: ${result.seen?.join(', ')}`,
      );
      const { payload, alert, afterSeconds } = result;
      log(
        `${ALERT} for rule ${alert.labels.rule} (${alert.labels.finding_severity}) in ${alert.labels.account_id}/${alert.labels.region} reached the sink ${afterSeconds.toFixed(0)} s after the stack was ready`,
      );
      // An Alertmanager webhook (version 4), routed to pager, grouped by alertname, account and region.
      assert.equal(payload.version, '4');
      assert.equal(payload.receiver, 'pager');
      assert.equal(payload.groupLabels.alertname, ALERT);
      assert.ok(
        alert.generatorURL.startsWith(stack.ready.prometheus),
        `from this Prometheus: ${alert.generatorURL}`,
      );
      const dimensions = await getJson(`${stack.ready.exporter}/api/v1/dimensions`);
      assert.equal(alert.status, 'firing');
      assert.equal(alert.labels.severity, 'critical');
      assert.ok(
        dimensions.accounts.includes(alert.labels.account_id),
        `account_id ${alert.labels.account_id}`,
      );
      assert.ok(dimensions.regions.includes(alert.labels.region), `region ${alert.labels.region}`);
      assert.ok(dimensions.rules.includes(alert.labels.rule), `rule ${alert.labels.rule}`);
      assert.match(alert.labels.finding_severity, /^(CRITICAL|HIGH)$/);
      assert.equal(alert.labels.source, 'remediation');
      assert.equal(alert.annotations.runbook_url, RUNBOOK_URL);
      assert.match(readFileSync(join(ROOT, 'docs', 'alerts.md'), 'utf8'), new RegExp(`^### ${ALERT}$`, 'm'));
      assert.match(
        alert.annotations.summary,
        new RegExp(
          `Remediation of ${alert.labels.rule} in ${alert.labels.account_id}/${alert.labels.region} is denied by IAM`,
        ),
      );
    },
  );

  it('leaves no page errors', () => {
    assert.deepEqual(pageErrors, []);
    // Grafana's web fonts and a favicon are not in the npm packages; any other failed request is an error.
    const unexpected = failedRequests.filter((line) => !/\/(favicon\.ico|public\/fonts\/.*)$/.test(line));
    assert.deepEqual(unexpected, [], 'failed requests');
    assert.deepEqual(
      consoleErrors.filter((text) => !/Failed to load resource/.test(text)),
      [],
    );
    if (failedRequests.length > 0) {
      log(`failed requests (expected): ${[...new Set(failedRequests)].join(', ')}`);
    }
  });
});

/* ---------- Helpers ---------- */

/** Problems of one plugin answer: errors, no frame, no rows, no values; "All" not interpolated as defined. */
function frameProblems(where, answer, target, allOf) {
  const problems = [];
  if (answer.errors.length > 0) {
    return [`${where}: ${answer.errors.join(' ')}`];
  }
  const [frame] = answer.frames;
  if (!frame) {
    return [`${where}: no frame`];
  }
  if (answer.queryType === 'summary') {
    const names = frame.fields.map((field) => field.name);
    for (const name of [
      'open_findings_total',
      'open_findings_CRITICAL',
      'compliance_score_evaluations',
      'data_age_seconds',
      'stale',
    ]) {
      if (!names.includes(name)) {
        problems.push(`${where}: summary without ${name}`);
      }
    }
  }
  if (frame.length < 1) {
    problems.push(`${where}: no rows (${frame.executed})`);
  } else if (!frame.fields.some((field) => field.type !== 'time' && field.nonNull > 0)) {
    problems.push(`${where}: every value is empty (${frame.executed})`);
  }
  // $account_id / $region "All" = every value; $severity / $rule "All" = no filter (the blank custom all value).
  const filters = {
    accountIds: ['account_id', 'account_id'],
    regions: ['region', 'region'],
    severities: ['severity', 'severity'],
    rules: ['rule', 'rule'],
  };
  for (const [key, [variable, parameter]] of Object.entries(filters)) {
    if (!target?.[key]?.includes(`$${variable}`)) {
      continue;
    }
    const sent = new URL(frame.executed.replace(/^GET /, ''), 'http://x').searchParams.get(parameter);
    const expected = ['severity', 'rule'].includes(variable) ? null : allOf(variable).join(',');
    if (sent !== expected) {
      problems.push(
        `${where}: $${variable} "All" sent as ${parameter}=${sent}, expected ${expected ?? 'no filter'}`,
      );
    }
  }
  return problems;
}

/**
 * Why a query returned nothing, as far as the test can tell: an instant query evaluated in the future (Grafana
 * evaluates instant queries at the end of the dashboard's time range, and Prometheus looks back only 5 minutes),
 * and whether the same expression has data when evaluated now.
 */
async function explainEmpty({ request, outcome }) {
  const lines = [`${describeRequest(request)}`, `    → ${outcome}`];
  if (request.kind === 'instant') {
    const at = Number(request.params.time) * 1000;
    if (at > Date.now() + 5 * 60_000) {
      const to = dashboard(request.dashboard).time.to;
      lines.push(
        `    evaluated at ${new Date(at).toISOString()}, the end of the dashboard's range (time.to "${to}"), ` +
          `${((at - Date.now()) / 3_600_000).toFixed(1)} h in the future: beyond Prometheus' 5-minute lookback`,
      );
    }
    const now = await runRequest(stack.ready.prometheus, {
      ...request,
      params: { query: request.query },
    }).catch((error) => error.message);
    lines.push(
      Array.isArray(now)
        ? `    evaluated now: ${now.length} series${now.length === 0 ? ' (no data at all: the expression itself)' : ''}`
        : `    evaluated now: ${now}`,
    );
  }
  return lines.join('\n');
}

/** Fresh Prometheus answers for every Prometheus target of `json`, keyed "<panel id>/<refId>" for the page. */
async function queryForRender(json) {
  const dimensions = await getJson(`${stack.ready.exporter}/api/v1/dimensions`);
  const { replacements, options } = await resolveVariables(
    json,
    stack.ready.prometheus,
    dimensions,
    timeRangeOf(json),
  );
  const results = {};
  for (const request of prometheusRequests(json, replacements)) {
    results[`${request.panelId}/${request.refId}`] = {
      refId: request.refId,
      format: request.format,
      legendFormat: request.legendFormat,
      result: await runRequest(stack.ready.prometheus, request),
    };
  }
  return { results, variables: options };
}

/** What the page rendered per panel: state, errors, text, uPlot canvases, and each stat/bar gauge value. */
function renderedPanels() {
  return page.$$eval('[data-testid^="panel-"]', (elements) =>
    elements.map((element) => ({
      id: element.dataset.testid.replace('panel-', ''),
      state: element.dataset.state,
      errors: element.dataset.errors ?? '',
      title: element.dataset.title,
      text: element.textContent ?? '',
      canvases: element.querySelectorAll('canvas').length,
      renderError: element.querySelector('[data-testid="render-error"]')?.textContent ?? '',
      values: [...element.querySelectorAll('[data-testid="value"]')].map((value) => ({
        title: value.dataset.title,
        text: value.dataset.text,
        numeric: value.dataset.numeric,
        color: value.dataset.color,
        shown: value.textContent,
        // BigValue paints its colour as the background of its first element.
        background: getComputedStyle(value.firstElementChild ?? value).backgroundImage,
      })),
    })),
  );
}

function activeStep(steps, value) {
  let active = steps[0];
  for (const step of steps) {
    if (step.value === null || value >= step.value) {
      active = step;
    }
  }
  return active;
}

/** Hue (0–360) and saturation (0–1) of "#rrggbb" or "rgb(r, g, b)". */
function hueOf(color) {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  const [r, g, b] = (
    hex ? hex.slice(1).map((part) => parseInt(part, 16)) : color.match(/\d+(\.\d+)?/g).map(Number)
  )
    .slice(0, 3)
    .map((channel) => channel / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  if (delta === 0) {
    return { hue: 0, saturation: 0 };
  }
  const hue = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  const lightness = (max + min) / 2;
  return { hue: (hue * 60 + 360) % 360, saturation: delta / (1 - Math.abs(2 * lightness - 1)) };
}

/** BigValue's "background" colour mode: a gradient of two shades of the value's colour (hue within a few degrees). */
function assertBackgroundIs(background, color, what) {
  const stops = [...background.matchAll(/rgba?\([^)]*\)/g)].map((match) => match[0]);
  assert.ok(background.startsWith('linear-gradient') && stops.length >= 2, `${what}: ${background}`);
  const expected = hueOf(color);
  for (const stop of stops) {
    const { hue } = hueOf(stop);
    const hueDistance = Math.min(Math.abs(hue - expected.hue), 360 - Math.abs(hue - expected.hue));
    assert.ok(hueDistance <= 15, `${what}: ${stop} is not a shade of ${color} (${background})`);
  }
}

async function saveScreenshot(name, { fullPage }) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** With UPDATE_DOCS_SCREENSHOTS=1, after the panel's checks passed: docs/screenshots/<name>.png for the README. */
function publishScreenshot(path, name) {
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    copyFileSync(path, join(DOCS_SCREENSHOT_DIR, `${name}.png`));
    log(`copied to docs/screenshots/${name}.png`);
  }
}
