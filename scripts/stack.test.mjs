// Tests of scripts/stack.mjs (`npm run stack`): flags and configuration rewriting, then the whole stack on free
// ports, driven through its JSON line, and stopped with SIGTERM. Run: npm run test:stack (node:test).
// Needs Debian's prometheus and prometheus-alertmanager (apt-get install prometheus prometheus-alertmanager).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { openMetrics, parseExposition, sampleTimes } from './demo-backfill.mjs';
import { alertmanagerConfig, parseArgs, prometheusConfig } from './stack.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STACK = path.join(ROOT, 'scripts', 'stack.mjs');
const PORTS = { exporter: 19867, prometheus: 19090, alertmanager: 19093, alertSink: 19099 };

/** Free TCP ports on 127.0.0.1, distinct, held open together while they are chosen. */
async function freePorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Polls `check` (returning a truthy value when satisfied) until it is, or fails with the last state. */
async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = 'condition false';
    } catch (err) {
      last = err.message;
    }
    if (Date.now() > deadline) assert.fail(`${what}: not true after ${timeoutMs / 1000} s (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Resolves with `value` after `ms`, without keeping the test process alive. */
function later(ms, value) {
  return new Promise((resolve) => setTimeout(resolve, ms, value).unref());
}

async function getJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function promQuery(prometheus, query) {
  const body = await getJson(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  return body.data.result;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Processes whose process group is one of `groups` (Linux /proc), as "pid command" strings. */
function membersOfGroups(groups) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (groups.includes(Number(fields[2])))
        found.push(`${entry} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

function runStack(args) {
  return spawnSync(process.execPath, [STACK, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe('flags', () => {
  test('defaults, --ports-base and individual ports', () => {
    assert.deepEqual(parseArgs([]).ports, {
      exporter: 9867,
      prometheus: 9090,
      alertmanager: 9093,
      alertSink: 9099,
    });
    assert.deepEqual(parseArgs(['--ports-base=20000']).ports, {
      exporter: 20000,
      prometheus: 20001,
      alertmanager: 20002,
      alertSink: 20003,
    });
    assert.deepEqual(parseArgs(['--ports-base', '20000', '--sink-port=30000']).ports.alertSink, 30000);
    const options = parseArgs([
      '--exporter-arg=--log.level=debug',
      '--exporter-arg',
      '--kpi.timezone=UTC',
      '--no-build',
    ]);
    assert.deepEqual(options.exporterArgs, ['--log.level=debug', '--kpi.timezone=UTC']);
    assert.equal(options.build, false);
  });

  for (const [args, message] of [
    [['--bogus'], /unknown flag --bogus/],
    [['--prometheus-port=0'], /--prometheus-port must be a port number/],
    [['--ports-base=65534'], /no room for 4 ports/],
    [['--exporter-port=9090'], /ports must differ/],
    [['--exporter-arg=--web.listen-address=:1'], /--exporter-port/],
    [['--exporter-arg=--storage.path=x.db'], /work directory/],
    [['--work-dir'], /needs a value/],
    [['stray'], /unexpected argument/],
  ]) {
    test(`${args.join(' ')}: one-line error, exit 2`, () => {
      const result = runStack(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.equal(result.stdout, '');
    });
  }

  test('--help prints the usage, exit 0', () => {
    const result = runStack(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /--ports-base=N/);
  });

  test('a missing binary names the Debian package', () => {
    let result = runStack(['--prometheus-bin=/nonexistent/prometheus', '--no-build']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /apt-get install prometheus\b/);
    result = runStack(['--alertmanager-bin=/nonexistent/alertmanager', '--no-build']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /apt-get install prometheus-alertmanager/);
  });

  test('a port in use: one-line error naming it, nothing started', async () => {
    const [port, ...others] = await freePorts(4);
    const blocker = net.createServer();
    await new Promise((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = runStack([
        `--exporter-port=${others[0]}`,
        `--prometheus-port=${port}`,
        `--alertmanager-port=${others[1]}`,
        `--sink-port=${others[2]}`,
        '--no-build',
      ]);
      assert.equal(result.status, 1);
      assert.match(result.stderr, new RegExp(`${port} \\(Prometheus\\)`));
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    } finally {
      blocker.close();
    }
  });
});

describe('configuration for the stack', () => {
  const prometheusYml = fs.readFileSync(path.join(ROOT, 'provisioning/prometheus/prometheus.yml'), 'utf8');
  const alertmanagerYml = fs.readFileSync(
    path.join(ROOT, 'provisioning/alertmanager/alertmanager.yml'),
    'utf8',
  );

  test('prometheus.yml: every address, interval and rule file rewritten; promtool accepts it', (t) => {
    const out = prometheusConfig(prometheusYml, PORTS);
    const config = out
      .split('\n')
      .filter((line) => !/^\s*#/.test(line))
      .join('\n');
    for (const name of ['exporter:9867', 'alertmanager:9093', 'localhost:9090'])
      assert.ok(!config.includes(name), name);
    for (const port of [PORTS.exporter, PORTS.prometheus, PORTS.alertmanager]) {
      assert.ok(config.includes(`127.0.0.1:${port}`), String(port));
    }
    assert.doesNotMatch(config, /(scrape_interval|evaluation_interval|scrape_timeout): (?!5s\b)/);
    const ruleFiles = [...config.matchAll(/^\s+- "(\/[^"]+\.yml)"$/gm)].map((m) => m[1]);
    assert.equal(ruleFiles.length, 2);
    for (const file of ruleFiles) assert.ok(fs.existsSync(file), file);

    const promtool = spawnSync('promtool', ['--version']);
    if (promtool.error) return t.skip('promtool not installed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), out);
      execFileSync('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')], { stdio: 'pipe' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return undefined;
  });

  test('alertmanager.yml: both webhooks go to the sink port; amtool accepts it', (t) => {
    const out = alertmanagerConfig(alertmanagerYml, PORTS);
    const config = out
      .split('\n')
      .filter((line) => !/^\s*#/.test(line))
      .join('\n');
    assert.ok(!config.includes('alert-sink:9099'));
    assert.equal(out.split(`http://127.0.0.1:${PORTS.alertSink}/`).length - 1, 2);
    const amtool = spawnSync('amtool', ['--version']);
    if (amtool.error) return t.skip('amtool not installed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'alertmanager.yml'), out);
      execFileSync('amtool', ['check-config', path.join(dir, 'alertmanager.yml')], { stdio: 'pipe' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return undefined;
  });

  test('a configuration that no longer names an address is an error, not a silent pass', () => {
    assert.throws(
      () => prometheusConfig(prometheusYml.replace(/exporter:9867/g, 'exp:1'), PORTS),
      /exporter:9867/,
    );
    assert.throws(() => alertmanagerConfig('receivers: []\n# alert-sink:9099\n', PORTS), /alert-sink:9099/);
  });
});

describe('demo backfill (scripts/demo-backfill.mjs)', () => {
  const end = 1_800_000_000;
  const rule = (name, severity) =>
    `account_id="1",region="r",rule="${name}",runbook="rb-${name}",severity="${severity}"`;
  const exposition = [
    `aws_config_remediation_executions_total{${rule('a', 'HIGH')}} 3`,
    `aws_config_remediation_executions_total{${rule('b', 'LOW')}} 5`,
    `aws_config_remediation_execution_failures_total{${rule('a', 'HIGH')},reason="access_denied"} 2`,
    `aws_config_remediation_execution_failures_total{${rule('a', 'HIGH')},reason="timeout"} 0`,
    'compliance_pulse_poll_success{account_id="1",region="r",source="remediation"} 1',
    'compliance_pulse_poll_success{account_id="1",region="r",source="config"} 1',
  ].join('\n');
  const live = new Map(
    [
      'aws_config_remediation_executions_total',
      'aws_config_remediation_execution_failures_total',
      'compliance_pulse_poll_success',
    ].map((metric) => [metric, parseExposition(exposition, metric)]),
  );
  const event = (name, reason, ageSeconds) => ({
    account_id: '1',
    region: 'r',
    rule: name,
    reason,
    at: end - ageSeconds,
  });
  /** { series text: [[time, value], ...] } of an OpenMetrics text. */
  function samplesOf(text) {
    const bySeries = {};
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const [, series, value, time] = /^(\S+) (\S+) (\S+)$/.exec(line);
      (bySeries[series] ??= []).push([Number(time), Number(value)]);
    }
    return bySeries;
  }

  test('sample times: 30 days up to the end, minutes apart in the last 2 hours, under 1000 in all', () => {
    const times = sampleTimes(end);
    assert.equal(times.at(-1), end);
    assert.ok(times[0] >= end - 30 * 86_400 && times[0] < end - 29 * 86_400, String(times[0]));
    assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]));
    const gaps = (fromAge, toAge) =>
      times
        .slice(1)
        .map((t, i) => [t, t - times[i]])
        .filter(([t]) => end - t >= toAge && end - t < fromAge)
        .map(([, gap]) => gap);
    assert.ok(Math.max(...gaps(2 * 3600, 0)) <= 60);
    assert.ok(Math.max(...gaps(86_400, 2 * 3600)) <= 600);
    assert.ok(Math.max(...gaps(8 * 86_400, 86_400)) <= 1800);
    assert.ok(times.length < 1000, `${times.length} samples per series`);
  });

  test("the exporter's series with job and instance, counting up to its values; coverage marker for remediation only", () => {
    const events = [
      event('a', 'access_denied', 20 * 86_400),
      event('a', null, 3 * 3600),
      event('a', 'access_denied', 90),
      ...[5, 4, 3, 2, 1].map((days) => event('b', null, days * 86_400)),
    ];
    const { text, summary } = openMetrics({ live, events, instance: 'exporter:9867', endSeconds: end });
    assert.ok(text.endsWith('\n# EOF\n'));
    const samples = samplesOf(text);
    const scrape = 'instance="exporter:9867",job="compliance-pulse"';
    const a = `aws_config_remediation_executions_total{account_id="1",${scrape},region="r",rule="a",runbook="rb-a",severity="HIGH"}`;
    const denied = `aws_config_remediation_execution_failures_total{account_id="1",${scrape},reason="access_denied",region="r",rule="a",runbook="rb-a",severity="HIGH"}`;
    const timeout = denied.replace('access_denied', 'timeout');
    const marker = `compliance_pulse_poll_success{account_id="1",${scrape},region="r",source="remediation"}`;
    assert.deepEqual(
      Object.keys(samples).sort(),
      [
        denied,
        timeout,
        a,
        a.replace(/rule="a",runbook="rb-a",severity="HIGH"/, 'rule="b",runbook="rb-b",severity="LOW"'),
        marker,
      ].sort(),
    );
    const valueAt = (series, age) => samples[series].filter(([t]) => t <= end - age).at(-1)[1];
    assert.equal(valueAt(a, 25 * 86_400), 0);
    assert.equal(valueAt(a, 10 * 86_400), 1);
    assert.equal(valueAt(a, 3600), 2);
    assert.equal(valueAt(a, 0), 3);
    assert.equal(valueAt(denied, 0), 2);
    assert.equal(valueAt(denied, 3600), 1);
    assert.ok(samples[timeout].every(([, value]) => value === 0));
    assert.ok(samples[marker].every(([, value]) => value === 1));
    assert.deepEqual(
      samples[a].map(([t]) => t),
      sampleTimes(end),
    );
    assert.deepEqual(
      {
        series: summary.series,
        counted: summary.counted,
        liveAhead: summary.liveAhead,
        capped: summary.capped,
      },
      { series: 5, counted: 10, liveAhead: 0, capped: [] },
    );
  });

  test('never above the live value (no counter reset at the start), and no series the exporter does not serve', () => {
    const events = [1, 2, 3, 4].map((hours) => event('a', 'access_denied', hours * 3600));
    const { text, summary } = openMetrics({ live, events, instance: 'i', endSeconds: end });
    const samples = samplesOf(text);
    const [denied] = Object.keys(samples).filter((series) => series.includes('access_denied'));
    // The exporter counted 2 access-denied failures: the history keeps the 2 earliest.
    assert.equal(samples[denied].at(-1)[1], 2);
    assert.equal(samples[denied].filter(([t]) => t <= end - 2.5 * 3600).at(-1)[1], 2);
    assert.equal(summary.capped.length, 2); // executions and failures of rule a
    assert.throws(
      () => openMetrics({ live, events: [event('a', 'throttled', 60)], instance: 'i', endSeconds: end }),
      /the history has series the exporter does not serve: .*throttled/,
    );
  });
});

describe('npm run stack', () => {
  let stack;
  let stackExited;
  let startedPids = [];
  let stderr = '';
  let stoppedCleanly = false;
  after(async () => {
    // Only when the test failed before everything was stopped: stop it as a user would, then make sure.
    if (stoppedCleanly) return;
    if (stack && stack.exitCode === null && stack.signalCode === null) {
      process.kill(stack.pid, 'SIGTERM');
      await Promise.race([stackExited, later(20_000)]);
    }
    for (const group of [stack?.pid, ...startedPids]) {
      if (group === undefined) continue;
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  });

  test(
    'starts on free ports, serves, alerts, and stops everything on SIGTERM',
    { timeout: 360_000 },
    async () => {
      const [exporter, prometheus, alertmanager, sink] = await freePorts(4);
      const started = Date.now();
      // Own process group, so that after() can clean up; the test itself signals only npm's pid.
      stack = spawn(
        'npm',
        [
          'run',
          'stack',
          '--',
          `--exporter-port=${exporter}`,
          `--prometheus-port=${prometheus}`,
          `--alertmanager-port=${alertmanager}`,
          `--sink-port=${sink}`,
        ],
        { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const exited = new Promise((resolve) =>
        stack.once('exit', (code, signal) => resolve({ code, signal })),
      );
      stackExited = exited;
      stack.stderr.setEncoding('utf8').on('data', (chunk) => {
        stderr += chunk;
      });

      // The JSON line (npm's own banner lines come first on stdout).
      const ready = await new Promise((resolve, reject) => {
        let buffer = '';
        const timer = setTimeout(
          () => reject(new Error(`no JSON line within 300 s; stderr:\n${stderr}`)),
          300_000,
        );
        stack.stdout.setEncoding('utf8').on('data', (chunk) => {
          buffer += chunk;
          for (const line of buffer.split('\n').slice(0, -1)) {
            if (line.startsWith('{')) {
              clearTimeout(timer);
              resolve(JSON.parse(line));
            }
          }
          buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        });
        exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(
            new Error(`npm run stack exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`),
          );
        });
      });
      const readyAfter = (Date.now() - started) / 1000;
      assert.equal(ready.status, 'ready');
      assert.equal(ready.exporter, `http://127.0.0.1:${exporter}`);
      assert.equal(ready.prometheus, `http://127.0.0.1:${prometheus}`);
      assert.equal(ready.alertmanager, `http://127.0.0.1:${alertmanager}`);
      assert.equal(ready.alertSink, `http://127.0.0.1:${sink}`);
      assert.equal(ready.grafana, null);
      assert.equal(ready.workDirKept, false);
      assert.ok(fs.existsSync(ready.workDir), ready.workDir);
      const pids = Object.values(ready.pids);
      startedPids = pids;
      assert.equal(pids.length, 4);
      for (const pid of pids) assert.ok(alive(pid), `pid ${pid} alive`);

      // Prometheus scrapes the exporter.
      await until(
        'up{job="compliance-pulse"} == 1',
        async () => (await promQuery(ready.prometheus, 'up{job="compliance-pulse"} == 1')).length === 1,
        60_000,
      );
      // The demo's history was backfilled before Prometheus started: 30 days of the exporter's own series.
      assert.ok(ready.backfill && ready.backfill.series > 100, JSON.stringify(ready.backfill));
      assert.ok(ready.backfill.from < Date.now() / 1000 - 29 * 86_400, JSON.stringify(ready.backfill));
      const monthAgo = Date.now() / 1000 - 29 * 86_400;
      const seriesAt = async (query, time) => {
        const body = await getJson(
          `${ready.prometheus}/api/v1/query?query=${encodeURIComponent(query)}${time ? `&time=${time}` : ''}`,
        );
        return body.data.result.map((r) => JSON.stringify(r.metric)).sort();
      };
      // Backfilled samples a month back are 2 hours apart, beyond an instant query's 5-minute lookback.
      for (const metric of [
        'aws_config_remediation_executions_total',
        'aws_config_remediation_execution_failures_total',
      ]) {
        const live = await seriesAt(`last_over_time(${metric}[3h])`);
        assert.ok(live.length > 0, metric);
        assert.deepEqual(
          await seriesAt(`last_over_time(${metric}[3h])`, monthAgo),
          live,
          `${metric}: the same series a month ago and now`,
        );
      }
      const failedToday = await promQuery(
        ready.prometheus,
        'sum(increase(aws_config_remediation_execution_failures_total[1d]))',
      );
      assert.ok(
        Number(failedToday[0]?.value[1]) > 0,
        `failed remediations in the last 24 h: ${JSON.stringify(failedToday)}`,
      );
      // Coverage: the remediation source's history is there, the config source's is not.
      const coverage = await until(
        'coverage recorded for the config and remediation sources',
        async () => {
          const result = await promQuery(
            ready.prometheus,
            'min by (source) (account_region_source:compliance_pulse_poll_success:coverage_seconds)',
          );
          const bySource = Object.fromEntries(result.map((r) => [r.metric.source, Number(r.value[1])]));
          return bySource.config !== undefined && bySource.remediation !== undefined && bySource;
        },
        120_000,
      );
      assert.ok(coverage.remediation >= 7 * 86_400, `remediation coverage ${coverage.remediation} s`);
      assert.ok(coverage.config < 3600, `config coverage ${coverage.config} s`);
      // The live values continue the backfilled ones: no counter reset at the boundary (once live samples exist).
      await until(
        'live samples after the backfilled ones',
        async () =>
          (
            await promQuery(
              ready.prometheus,
              'count_over_time(aws_config_remediation_executions_total[1m]) >= 3',
            )
          ).length > 0,
        60_000,
      );
      const resets = await promQuery(
        ready.prometheus,
        'sum(resets(aws_config_remediation_executions_total[31d])) + sum(resets(aws_config_remediation_execution_failures_total[31d]))',
      );
      assert.equal(Number(resets[0].value[1]), 0, 'counter resets between the backfill and the live samples');
      // Every rule file loaded, no rule in error, and a recording rule computed from the exporter's data.
      const groups = (await getJson(`${ready.prometheus}/api/v1/rules`)).data.groups;
      const files = new Set(groups.map((g) => path.basename(g.file)));
      assert.deepEqual([...files].sort(), ['compliance-pulse.alerts.yml', 'compliance-pulse.recording.yml']);
      const broken = groups.flatMap((g) => g.rules).filter((r) => r.health === 'err');
      assert.deepEqual(
        broken.map((r) => `${r.name}: ${r.lastError}`),
        [],
      );
      await until(
        'recording rule severity:aws_config_noncompliant_resources:sum has a value',
        async () =>
          (await promQuery(ready.prometheus, 'severity:aws_config_noncompliant_resources:sum')).length > 0,
        60_000,
      );
      // Prometheus sends to this Alertmanager; it is ready; the sink answers.
      const alertmanagers = (await getJson(`${ready.prometheus}/api/v1/alertmanagers`)).data
        .activeAlertmanagers;
      assert.deepEqual(
        alertmanagers.map((a) => a.url),
        [`${ready.alertmanager}/api/v2/alerts`],
      );
      assert.equal((await fetch(`${ready.alertmanager}/-/ready`)).status, 200);
      assert.equal((await fetch(`${ready.alertSink}/healthz`)).status, 200);
      assert.ok(Array.isArray(await getJson(`${ready.alertSink}/alerts`)));
      // End to end: an alert evaluated by this Prometheus, routed by this Alertmanager, delivered to this sink.
      // (The demo account has CRITICAL findings open for days, so alerts fire at the first evaluations.)
      const delivered = await until(
        'a notification from this Prometheus at the sink',
        async () =>
          (await getJson(`${ready.alertSink}/alerts`)).find((payload) =>
            payload.alerts.some((a) => a.generatorURL.startsWith(ready.prometheus)),
          ),
        120_000,
      );
      assert.ok(['pager', 'ticket'].includes(delivered.receiver));
      const runningAfter = (Date.now() - started) / 1000;

      // SIGTERM to npm alone, as a supervisor would send it: npm passes it on to the script, which stops the rest.
      process.kill(stack.pid, 'SIGTERM');
      const result = await Promise.race([exited, later(30_000, { code: 'still running after 30 s' })]);
      assert.equal(result.code, 0, `npm run stack exit: ${JSON.stringify(result)}; stderr:\n${stderr}`);
      await until('every started process gone', () => pids.every((pid) => !alive(pid)), 5_000);
      assert.deepEqual(
        membersOfGroups([...pids, stack.pid]),
        [],
        "processes left in the stack's process groups",
      );
      assert.ok(!fs.existsSync(ready.workDir), `${ready.workDir} removed`);
      for (const port of [exporter, prometheus, alertmanager, sink]) {
        await until(`port ${port} free again`, () => freePortCheck(port), 5_000);
      }
      stoppedCleanly = true;
      process.stderr.write(
        `# stack ready after ${readyAfter.toFixed(1)} s (build included), checks done after ${runningAfter.toFixed(1)} s\n`,
      );
    },
  );
});

function freePortCheck(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
