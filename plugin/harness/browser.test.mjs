/**
 * Browser test of the built plugin (dist/) in Debian's Chromium, driven by playwright-core.
 *
 * No Grafana server can run on this machine, so harness/server.mjs plays Grafana's part: it serves a page (built
 * here with Vite from harness/page) that loads dist/module.js as an AMD module and renders the plugin's editors and
 * real @grafana/ui panels fed by the plugin's query(), and it proxies the plugin's requests through the route in
 * dist/plugin.json, like Grafana's data source proxy.
 *
 * The exporter behind it (environment):
 *   PLUGIN_BROWSER_EXPORTER=auto     default: the real exporter when exporter/dist/src/main.js exists, else the fixture
 *   PLUGIN_BROWSER_EXPORTER=real     node exporter/bin/exporter.js --demo (fails when the exporter is not built)
 *   PLUGIN_BROWSER_EXPORTER=fixture  node harness/fixture-exporter.mjs (docs/api.md-shaped demo data)
 *   PLUGIN_BROWSER_EXPORTER_URL=…    an exporter that is already running (token: PLUGIN_BROWSER_EXPORTER_TOKEN)
 * Both started programs get --web.listen-address=127.0.0.1:<free port> and --web.api-token-file=<random token>;
 * the real one also --demo and --storage.path=<temporary file>. The test waits for GET /-/ready (up to
 * PLUGIN_BROWSER_READY_TIMEOUT seconds, default 120). A second fixture exporter started with --stale checks the
 * "stale data" message of Save & test.
 *
 * Chromium: CHROMIUM_PATH (default /usr/bin/chromium). Screenshots go to test-results/screenshots/; with
 * UPDATE_DOCS_SCREENSHOTS=1 they are also copied to ../docs/screenshots/plugin-*.png.
 *
 * Run: npm run test:browser (builds the plugin first).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

import { startHarnessServer } from './server.mjs';
import { assertChromiumInstalled, launchChromium } from './chromium.mjs';

const harnessDir = dirname(fileURLToPath(import.meta.url));
const pluginDir = join(harnessDir, '..');
const repositoryDir = join(pluginDir, '..');
const distDir = join(pluginDir, 'dist');
const screenshotDir = join(pluginDir, 'test-results', 'screenshots');
const docsScreenshotDir = join(repositoryDir, 'docs', 'screenshots');
const realExporterMain = join(repositoryDir, 'exporter', 'dist', 'src', 'main.js');
const uiPublicDir = join(dirname(fileURLToPath(import.meta.resolve('@grafana/ui/package.json'))), 'dist', 'public');

const DATASOURCE_UID = 'compliance-pulse-kpi';
const READY_TIMEOUT_MS = Number(process.env.PLUGIN_BROWSER_READY_TIMEOUT ?? 120) * 1000;

const scratch = mkdtempSync(join(tmpdir(), 'plugin-browser-'));
const children = [];

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(url, child, logPath) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`the exporter exited with code ${child.exitCode}:\n${tail(logPath)}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  throw new Error(`${url}/-/ready did not answer 200 within ${READY_TIMEOUT_MS / 1000} s:\n${tail(logPath)}`);
}

function tail(path) {
  return path && existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
}

/** Starts `node <args>` with the exporter's flags on a free port and waits for /-/ready. */
async function startExporter(name, args, { token } = {}) {
  const port = await freePort();
  const logPath = join(scratch, `${name}.log`);
  const flags = [`--web.listen-address=127.0.0.1:${port}`];
  if (token) {
    const tokenFile = join(scratch, `${name}.token`);
    writeFileSync(tokenFile, `${token}\n`);
    flags.push(`--web.api-token-file=${tokenFile}`);
  }
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, [...args, ...flags], { cwd: repositoryDir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url, child, logPath);
  return { url, token, description: `${args.join(' ')} ${flags.join(' ')}` };
}

async function startMainExporter() {
  const token = randomBytes(12).toString('hex');
  if (process.env.PLUGIN_BROWSER_EXPORTER_URL) {
    const url = process.env.PLUGIN_BROWSER_EXPORTER_URL.replace(/\/$/, '');
    await waitForReady(url);
    return { url, token: process.env.PLUGIN_BROWSER_EXPORTER_TOKEN, description: `running exporter at ${url}` };
  }
  const mode = process.env.PLUGIN_BROWSER_EXPORTER ?? 'auto';
  const useReal = mode === 'real' || (mode === 'auto' && existsSync(realExporterMain));
  if (mode === 'real' && !existsSync(realExporterMain)) {
    throw new Error(
      `PLUGIN_BROWSER_EXPORTER=real but ${realExporterMain} does not exist: run npm run build at the root`
    );
  }
  if (useReal) {
    return startExporter(
      'exporter',
      ['exporter/bin/exporter.js', '--demo', `--storage.path=${join(scratch, 'exporter.db')}`],
      { token }
    );
  }
  return startExporter('fixture-exporter', [join(harnessDir, 'fixture-exporter.mjs')], { token });
}

async function exporterJson(exporter, path) {
  const response = await fetch(`${exporter.url}${path}`, {
    headers: exporter.token ? { authorization: `Bearer ${exporter.token}` } : {},
  });
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}`);
  return response.json();
}

let exporter;
let staleExporter;
let harness;
let browser;
let page;
const pageErrors = [];
const consoleErrors = [];

async function screenshot(name, locator) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await (locator ?? page).screenshot({ path, ...(locator ? {} : { fullPage: true }) });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(docsScreenshotDir, { recursive: true });
    copyFileSync(path, join(docsScreenshotDir, `plugin-${name}.png`));
  }
}

before(async () => {
  assert.ok(existsSync(join(distDir, 'module.js')), 'dist/module.js is missing: run npm run build first');
  assertChromiumInstalled();
  const pageDir = join(scratch, 'page');
  [exporter, staleExporter] = await Promise.all([
    startMainExporter(),
    startExporter('stale-fixture-exporter', [join(harnessDir, 'fixture-exporter.mjs'), '--stale']),
    build({ configFile: join(harnessDir, 'vite.config.mjs'), logLevel: 'error', build: { outDir: pageDir } }),
  ]);
  console.log(`# exporter: ${exporter.description}`);
  harness = await startHarnessServer({ pageDir, distDir, uiPublicDir, datasourceUid: DATASOURCE_UID });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // Grafana's web fonts are not in the npm packages; Chromium falls back to system fonts.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      consoleErrors.push(message.text());
    }
  });
});

after(async () => {
  await browser?.close();
  await harness?.close();
  for (const child of children) {
    child.kill('SIGTERM');
  }
  rmSync(scratch, { recursive: true, force: true });
});

const panel = (id) => page.getByTestId(`panel-${id}`);
const executed = (id) => page.getByTestId(`executed-${id}`);
const viz = (id) => page.getByTestId(`viz-${id}`);

async function saveAndTest({ url, token }) {
  const urlInput = page.getByRole('textbox', { name: /^Exporter URL/ });
  await urlInput.fill(url);
  const reset = page.getByRole('button', { name: 'Reset' });
  if (await reset.isVisible()) {
    await reset.click();
  }
  if (token !== undefined) {
    await page.getByRole('textbox', { name: 'API token' }).fill(token);
  }
  await page.getByRole('button', { name: 'Save & test' }).click();
  const result = page.getByTestId('test-result');
  await result.waitFor();
  return { status: await result.getAttribute('data-status'), message: (await result.textContent()) ?? '' };
}

async function waitForPanel(id) {
  await page.waitForSelector(`[data-testid=panel-${id}]:not([data-state=loading])`);
  return panel(id).getAttribute('data-state');
}

/** Types into a combobox and picks the option; a multi-value one keeps the typed text, so clear it. */
async function pickOption(combobox, option, { multi = true } = {}) {
  await combobox.click();
  await combobox.fill(option);
  // Options with a description have it in their accessible name too.
  await page.getByRole('option', { name: new RegExp(`^${option}`) }).click();
  if (multi) {
    await combobox.fill('');
    await page.keyboard.press('Escape');
  }
}

describe('the built plugin in Chromium', () => {
  it('loads dist/module.js as an AMD module and renders the config editor', async () => {
    await page.goto(harness.url);
    await page.waitForFunction(() => document.body.dataset.plugin !== undefined);
    assert.equal(await page.evaluate(() => document.body.dataset.plugin), 'loaded', await page.textContent('body'));
    await page.getByRole('textbox', { name: /^Exporter URL/ }).waitFor();
  });

  it('shows the config editor’s URL check while typing', async () => {
    await page.getByRole('textbox', { name: /^Exporter URL/ }).fill(`${exporter.url}/api/v1`);
    await page.getByText('Enter the base URL without /api/v1').waitFor();
  });

  it('Save & test: unreachable exporter', async () => {
    const { status, message } = await saveAndTest({ url: `http://127.0.0.1:${await freePort()}` });
    assert.equal(status, 'error');
    assert.match(
      message,
      /^Cannot reach the exporter at http:\/\/127\.0\.0\.1:\d+\. Grafana could not reach the exporter \(HTTP 502/
    );
  });

  it('Save & test: wrong API token', async () => {
    const { status, message } = await saveAndTest({ url: exporter.url, token: 'wrong-token' });
    if (exporter.token === undefined) {
      return; // an already running exporter without a known token may not check tokens at all
    }
    assert.equal(status, 'error');
    assert.match(message, /^Authentication failed\. The exporter refused the request \(401 unauthorized\)/);
    assert.equal(harness.requests.at(-1)?.authorization, true, 'the route sends the token');
  });

  it('Save & test: stale data', async () => {
    const { status, message } = await saveAndTest({ url: staleExporter.url, token: '' });
    assert.equal(status, 'warning');
    assert.match(message, /but its data is stale: 123456789012\/eu-west-1\/ssm did not poll AWS successfully/);
    assert.equal(harness.requests.at(-1)?.authorization, false, 'no Authorization header without a token');
  });

  it('Save & test: connected with the token', async () => {
    const { status, message } = await saveAndTest({ url: exporter.url, token: exporter.token });
    assert.ok(status === 'success' || status === 'warning', message);
    assert.match(
      message,
      new RegExp(
        `^Connected to the exporter at ${exporter.url.replace(/\./g, '\\.')}: \\d+ open findings|^Connected to the exporter at .*but its data is stale`
      )
    );
    assert.equal(
      await page.getByRole('textbox', { name: 'API token' }).inputValue(),
      'configured',
      'the saved token is not sent back'
    );
    await screenshot('config', page.getByTestId('config'));
  });

  it('template variable: lists the regions from /api/v1/dimensions', async () => {
    await pickOption(page.getByRole('combobox', { name: 'Values of' }), 'Regions', { multi: false });
    await page.getByRole('button', { name: 'Run query' }).click();
    const dimensions = await exporterJson(exporter, '/api/v1/dimensions');
    const values = page.getByTestId('variable-values');
    await values.waitFor();
    for (const region of dimensions.regions) {
      await values.getByText(region, { exact: true }).waitFor();
    }
  });

  it('panels: every query type renders real data from the exporter', async () => {
    const before = await exporterJson(exporter, '/api/v1/summary');
    for (const id of ['stat', 'bargauge', 'timeseries', 'findings', 'remediations', 'rules', 'annotations']) {
      assert.equal(await waitForPanel(id), 'done', `${id}: ${await panel(id).textContent()}`);
    }
    const after = await exporterJson(exporter, '/api/v1/summary');
    const dimensions = await exporterJson(exporter, '/api/v1/dimensions');

    // Stat and bar gauge: the summary's numbers, with units.
    const total = (await page.getByTestId('stat-open_findings_total').textContent()) ?? '';
    assert.ok(
      total.includes(String(before.open_findings_total)) || total.includes(String(after.open_findings_total)),
      total
    );
    assert.match(
      (await page.getByTestId('stat-compliance_score_evaluations').textContent()) ?? '',
      /Compliance score \(evaluations\)\s*\d+(\.\d)?%/
    );
    assert.match((await page.getByTestId('stat-data_age_seconds').textContent()) ?? '', /Data age/);
    for (const severity of Object.keys(after.open_findings)) {
      const title = severity.charAt(0) + severity.slice(1).toLowerCase();
      assert.match(
        (await page.getByTestId(`bargauge-open_findings_${severity}`).textContent()) ?? '',
        new RegExp(title)
      );
    }
    assert.match(await executed('stat').textContent(), /^GET \/api\/v1\/summary$/);

    // Time series: a uPlot canvas and a legend entry per series.
    assert.equal((await viz('timeseries').locator('canvas').count()) > 0, true);
    for (const name of ['Findings opened', 'Findings resolved', 'Remediations failed']) {
      await viz('timeseries').getByText(name, { exact: true }).first().waitFor();
    }
    assert.match(
      await executed('timeseries').textContent(),
      /^GET \/api\/v1\/kpis\/daily\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&tz=UTC$/
    );

    // Tables: typed columns with display names; the findings table interpolates the multi-value $region.
    await viz('findings').getByText('First seen', { exact: true }).waitFor();
    await viz('findings').getByText('Severity', { exact: true }).waitFor();
    const regions = [...dimensions.regions].join(',');
    assert.equal(
      await executed('findings').textContent(),
      `GET /api/v1/findings?state=open&region=${regions}&limit=50`
    );
    const findings = await exporterJson(exporter, `/api/v1/findings?state=open&region=${regions}&limit=50`);
    if (findings.items.length > 0) {
      await viz('findings').getByText(findings.items[0].resource_id).first().waitFor();
    }
    // The Pre-existing flag, next to First seen; an exporter without the field means "no".
    await viz('findings').getByText('Pre-existing', { exact: true }).waitFor();
    if (findings.items.length > 0) {
      const flag = findings.items[0].pre_existing === true ? 'Yes: open at least since First seen' : 'No';
      await viz('findings').getByText(flag, { exact: true }).first().waitFor();
    }
    await viz('remediations').getByText('Outcome', { exact: true }).waitFor();
    assert.match(
      await executed('remediations').textContent(),
      /^GET \/api\/v1\/remediations\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&tz=UTC&limit=50/
    );
    await viz('rules').getByText('Compliant share').waitFor();
    assert.equal(await executed('rules').textContent(), 'GET /api/v1/rules?severity=CRITICAL,HIGH');
    const rules = await exporterJson(exporter, '/api/v1/rules?severity=CRITICAL,HIGH');
    await viz('rules').getByText(rules.items[0].rule, { exact: true }).first().waitFor();

    // Annotations: remediation executions as events with title, text and tags.
    assert.match(await executed('annotations').textContent(), /status=succeeded,failed&limit=1000/);
    await viz('annotations')
      .getByText(/^Remediation (succeeded|failed): /)
      .first()
      .waitFor();

    // Every request went through the plugin.json route with the token.
    assert.ok(harness.requests.length > 0);
    assert.ok(harness.requests.slice(-10).every((request) => request.authorization === (exporter.token !== undefined)));
    await screenshot('dashboard');
  });

  it('daily figures before monitoring began stay empty, and the "monitoring began" annotation marks the start', async () => {
    for (const id of ['daily30', 'monitoring']) {
      assert.equal(await waitForPanel(id), 'done', `${id}: ${await panel(id).textContent()}`);
    }
    const request = (await executed('daily30').textContent()) ?? '';
    assert.match(request, /^GET \/api\/v1\/kpis\/daily\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&tz=UTC$/);
    const answer = await exporterJson(exporter, request.replace(/^GET /, ''));
    const [series] = JSON.parse((await page.getByTestId('values-daily30').textContent()) ?? '[]');
    assert.equal(series.time.length, answer.days.length);
    // Null where the exporter says null (before monitoring began), a number otherwise; remediation figures always.
    // Only null-ness is compared: a real exporter may have polled between the page's request and this one.
    answer.days.forEach((day, index) => {
      for (const name of Object.keys(series).filter((key) => key.startsWith('open_findings_'))) {
        assert.equal(series[name][index] === null, day.open_findings === null, `${day.date} ${name}`);
        assert.notEqual(typeof series[name][index], 'undefined', `${day.date} ${name}`);
      }
      assert.equal(typeof series.remediations_failed[index], 'number', `${day.date} remediations_failed`);
    });

    const monitoring = (await executed('monitoring').textContent()) ?? '';
    assert.match(monitoring, /^GET \/api\/v1\/kpis\/daily\?from=(\d{4}-\d{2}-\d{2})&to=\1&tz=UTC$/);
    const [events] = JSON.parse((await page.getByTestId('values-monitoring').textContent()) ?? '[]');
    const began = typeof answer.monitoring_began === 'string' ? Date.parse(answer.monitoring_began) : undefined;
    if (began !== undefined && began >= Date.parse(`${answer.from}T00:00:00Z`)) {
      // The fixture's monitoring began 14 days ago: the days before it carry null, and the annotation is there.
      assert.ok(
        answer.days.some((day) => day.findings_opened === null),
        'days before monitoring began are null'
      );
      assert.deepEqual(events.time, [began]);
      await viz('monitoring').getByText('Monitoring began', { exact: true }).first().waitFor();
    } else {
      assert.deepEqual(events.time, [], `no event for monitoring_began=${answer.monitoring_began}`);
    }
    assert.equal(await panel('monitoring').getByRole('radio', { name: 'Monitoring began' }).isChecked(), true);
    await screenshot('monitoring-began', page.getByTestId('panel-daily30'));
  });

  it('query editor: typing and picking re-runs the query', async () => {
    const findings = panel('findings');
    // Rows: only a valid number reaches the query.
    const rows = findings.getByRole('spinbutton', { name: 'Rows' });
    await rows.fill('90000');
    await findings.getByText('Rows must be a whole number from 1 to 5000.').waitFor();
    await rows.fill('5');
    await rows.press('Tab');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=executed-findings]')?.textContent?.includes('limit=5')
    );
    // Severities: pick CRITICAL; only critical findings remain.
    await pickOption(findings.getByRole('combobox', { name: 'Severities' }), 'CRITICAL');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=executed-findings]')?.textContent?.includes('severity=CRITICAL')
    );
    assert.equal(await waitForPanel('findings'), 'done');
    assert.match(
      await executed('findings').textContent(),
      /^GET \/api\/v1\/findings\?state=open&region=[^&]+&severity=CRITICAL&limit=5$/
    );
    const severityCells = await viz('findings')
      .locator('[role=cell]')
      .filter({ hasText: /^(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL|UNKNOWN)$/ })
      .allTextContents();
    assert.ok(severityCells.length <= 5 && severityCells.every((text) => text === 'CRITICAL'), severityCells.join(','));
    await screenshot('query-editor', findings);

    // Time zone: a wrong one is explained next to the field, a right one reaches the request.
    const timeseries = panel('timeseries');
    const timeZone = timeseries.getByRole('textbox', { name: 'Time zone' });
    await timeZone.fill('Mars/Olympus');
    await timeZone.press('Tab');
    await timeseries.getByText('"Mars/Olympus" is not an IANA time zone').first().waitFor();
    await timeZone.fill('Asia/Seoul');
    await timeZone.press('Tab');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=executed-timeseries]')?.textContent?.includes('tz=Asia%2FSeoul')
    );

    // Indicators: add the success ratio; its series appears in the legend.
    await pickOption(timeseries.getByRole('combobox', { name: 'Indicators' }), 'Remediation success ratio');
    await viz('timeseries').getByText('Remediation success ratio', { exact: true }).first().waitFor();
    assert.equal(await waitForPanel('timeseries'), 'done');
    await screenshot('timeseries', timeseries);
  });

  it('leaves no page errors', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });
});
