#!/usr/bin/env node
'use strict';
/**
 * An AWS Organization through a Config aggregator: the exporter reads every account's and region's rule
 * compliance from the aggregator and each account's remediation and SSM history through an assumed role,
 * against the simulator's organization preset with AWS-like rate limits. Reports calls per cold and
 * steady-state poll against the minimum the APIs allow, cold wall time against the rate-limit floor, peak
 * RSS, /metrics time and size, and whether the numbers equal the simulator's ground truth.
 *
 *   npm run build && node bench/organization.js --members 200 [--concurrency 64]
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { sleep, until, get, peakRssMb, freePort, timeMetrics, ceil, benchArguments } = require('./lib');

const ROOT = join(__dirname, '..');
const { startSimulator, AGGREGATOR_NAME, MANAGEMENT_ACCOUNT_ID } = require(
  join(ROOT, 'exporter', 'dist', 'simulator', 'index.js'),
);
const USAGE = 'usage: node bench/organization.js [--members N] [--concurrency N] [--seed N]';
const EXTERNAL_ID = 'compliance-pulse-bench';
const CONFIG_RATE = 4; // the exporter's default budget per operation, account and region

function options() {
  const values = benchArguments(
    USAGE,
    {
      members: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '64' },
      seed: { type: 'string', default: '1' },
    },
    (v) =>
      ['members', 'concurrency', 'seed']
        .map((name) => (/^\d+$/.test(v[name]) ? undefined : `--${name} must be a whole number`))
        .find(Boolean),
  );
  return {
    members: Number(values.members),
    concurrency: Number(values.concurrency),
    seed: Number(values.seed),
  };
}

/**
 * The samples of the named metrics in a /metrics body, read line by line from the bytes: at ten times the
 * preset the body is larger than a JavaScript string may be.
 */
function samples(body, names) {
  const out = new Map(names.map((n) => [n, []]));
  for (let start = 0; start < body.length;) {
    let end = body.indexOf(10, start);
    if (end === -1) end = body.length;
    if (body[start] === 97 /* a */) {
      const line = body.toString('utf8', start, end);
      const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
      if (m && out.has(m[1])) {
        const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1], p[2]]));
        out.get(m[1]).push({ labels, value: Number(m[3]) });
      }
    }
    start = end + 1;
  }
  return out;
}

async function main() {
  const opts = options();
  const t0 = Date.now();
  const sim = await startSimulator({
    scenario: 'organization',
    members: opts.members,
    seed: opts.seed,
    rateLimits: 'aws',
    externalId: EXTERNAL_ID,
    port: 0,
  });
  const regions = sim.regions;
  const accounts = sim.accountIds;

  // Ground truth and the minimum calls, from the simulator's own state.
  let rows = 0;
  let cappedPages = 0;
  let evaluations = 0;
  let remediationMin = 0;
  let ssmMin = 0;
  let joins = 0;
  let busiestTargetCalls = 0;
  const expectedNoncompliant = new Map();
  for (const accountId of accounts) {
    for (const region of regions) {
      const compliance = sim.truth.ruleCompliance(accountId, region);
      const counts = sim.truth.evaluationCounts(accountId, region);
      evaluations += counts.total.COMPLIANT + counts.total.NON_COMPLIANT;
      let withResults = 0;
      for (const [rule, state] of Object.entries(compliance)) {
        if (state !== 'COMPLIANT' && state !== 'NON_COMPLIANT') continue;
        withResults++;
        const noncompliant = counts.byRule[rule]?.NON_COMPLIANT ?? 0;
        expectedNoncompliant.set(`${accountId}/${region}/${rule}`, noncompliant);
        if (noncompliant > 100) cappedPages += ceil(noncompliant, 100);
      }
      rows += withResults;
      const state = sim.world.region(accountId, region);
      let statuses = 0;
      // An aggregator lists only rules with results, so only their remediation configurations are read.
      for (const c of state.remediationConfigurations()) {
        const ruleState = compliance[c.ruleName];
        if (ruleState !== 'COMPLIANT' && ruleState !== 'NON_COMPLIANT') continue;
        statuses += Math.max(
          1,
          ceil(sim.truth.remediationStatuses(accountId, region, c.ruleName).length, 100),
        );
      }
      const configs = Math.max(1, ceil(withResults, 25));
      remediationMin += configs + statuses;
      busiestTargetCalls = Math.max(busiestTargetCalls, configs + statuses);
      const executions = sim.truth.automationExecutions(accountId, region);
      ssmMin += Math.max(1, ceil(executions.length, 50));
      const runbooks = new Set(state.remediationConfigurations().map((c) => c.targetId));
      joins += executions.filter((e) => e.endTime && runbooks.has(e.documentName)).length;
    }
  }
  const aggregatorMin = Math.max(1, ceil(rows, 1000)) + cappedPages;
  const coldMin =
    aggregatorMin + remediationMin + ssmMin + accounts.length /* AssumeRole */ + 1; /* GetCallerIdentity */
  const steadyMin =
    Math.max(1, ceil(rows, 1000)) + accounts.length * regions.length; /* one SSM page per target */
  const setupSeconds = (Date.now() - t0) / 1000;

  // The poll interval must leave room for the aggregator's pages, which drain one budget: at least 2 minutes,
  // and half again what those pages take.
  const POLL_INTERVAL_S = Math.max(120, Math.ceil((1.5 * aggregatorMin) / CONFIG_RATE));
  const work = mkdtempSync(join(tmpdir(), 'cp-bench-org-'));
  const configFile = join(work, 'config.yaml');
  const yaml = [
    'aws:',
    '  regions: [us-east-1]',
    `  aggregator: ${AGGREGATOR_NAME}`,
    `  external_id: ${EXTERNAL_ID}`,
    '  accounts:',
    ...accounts.map((a) => `    - { account_id: "${a}", regions: [${regions.join(', ')}] }`),
    'poll:',
    `  interval: ${POLL_INTERVAL_S}s`,
    `  max_concurrent_targets: ${opts.concurrency}`,
  ].join('\n');
  writeFileSync(configFile, `${yaml}\n`);
  const port = await freePort();
  const credentials = sim.credentials(MANAGEMENT_ACCOUNT_ID);
  const exporterLogFile = join(work, 'exporter.log');
  const exporterLog = openSync(exporterLogFile, 'a');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'exporter', 'bin', 'exporter.js'),
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.path=${join(work, 'store.db')}`,
      '--log.level=warn',
    ],
    {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: sim.endpoint,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      stdio: ['ignore', exporterLog, exporterLog],
    },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(async () => (await get(`${base}/-/ready`)).status === 200, 60 * 60_000, 'the first poll');
    const coldSeconds = (Date.now() - started) / 1000;
    const coldSeq = sim.calls.lastSeq();
    const coldEntries = sim.calls.entries().filter((e) => e.seq <= coldSeq);
    const cold = coldEntries.filter((e) => e.operation !== 'GetAutomationExecution').length;
    const throttled = sim.calls.entries().filter((e) => e.errorCode === 'ThrottlingException').length;

    // Steady state: once every source of every target has succeeded again after the cold poll, count the
    // calls of exactly one poll interval, in which each target (and the aggregator) polls once.
    const afterCold = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    await until(
      async () => {
        const summary = JSON.parse((await get(`${base}/api/v1/summary`)).body.toString());
        return summary.targets.every((t) => t.last_success !== null && t.last_success >= afterCold);
      },
      60 * 60_000,
      'a first steady-state cycle',
    );
    const steadyStart = sim.calls.lastSeq();
    await sleep(POLL_INTERVAL_S * 1000);
    const steady = sim.calls
      .since(steadyStart)
      .filter((e) => e.operation !== 'GetAutomationExecution').length;

    const metrics = await timeMetrics(base, 5);
    const rss = peakRssMb(child.pid);

    // The exporter's numbers against the ground truth.
    const found = samples(metrics.body, [
      'aws_config_rule_noncompliant_resources',
      'aws_ssm_automation_executions_total',
    ]);
    let mismatches = 0;
    let compared = 0;
    const seen = new Set();
    for (const s of found.get('aws_config_rule_noncompliant_resources')) {
      const key = `${s.labels.account_id}/${s.labels.region}/${s.labels.rule}`;
      seen.add(key);
      compared++;
      if (expectedNoncompliant.get(key) !== s.value) mismatches++;
    }
    for (const key of expectedNoncompliant.keys()) if (!seen.has(key)) mismatches++;
    const ssmTotals = new Map();
    for (const s of found.get('aws_ssm_automation_executions_total')) {
      const key = `${s.labels.account_id}/${s.labels.region}`;
      ssmTotals.set(key, (ssmTotals.get(key) ?? 0) + s.value);
    }
    for (const accountId of accounts) {
      for (const region of regions) {
        const expected = sim.truth.automationExecutions(accountId, region).filter((e) => e.endTime).length;
        compared++;
        if ((ssmTotals.get(`${accountId}/${region}`) ?? 0) !== expected) mismatches++;
      }
    }

    // The floor: the aggregator's pages drain one budget; every target's remediation reads drain their own,
    // concurrently (up to the exporter's concurrency).
    const targets = accounts.length * regions.length;
    const floorSeconds = Math.max(
      aggregatorMin / CONFIG_RATE,
      (busiestTargetCalls / CONFIG_RATE) * Math.ceil(targets / opts.concurrency),
    );
    console.log(
      [
        `bench=organization accounts=${accounts.length} regions=${regions.length} targets=${targets} rule_rows=${rows} evaluations=${evaluations} concurrency=${opts.concurrency} interval_s=${POLL_INTERVAL_S}`,
        `cold_calls=${cold} cold_min=${coldMin} cold_ratio=${(cold / coldMin).toFixed(3)}`,
        `cold_s=${coldSeconds.toFixed(1)} cold_floor_s=${floorSeconds.toFixed(1)}`,
        `steady_calls=${steady} steady_min=${steadyMin} steady_ratio=${(steady / steadyMin).toFixed(3)}`,
        `join_pending=${joins} throttled=${throttled}`,
        `truth_compared=${compared} truth_mismatches=${mismatches}`,
        `peak_rss_mb=${rss.toFixed(0)}`,
        `metrics_bytes=${metrics.bytes} metrics_p50_ms=${metrics.p50.toFixed(1)} metrics_p95_ms=${metrics.p95.toFixed(1)} memory_p50_ms=${metrics.memoryP50.toFixed(2)}`,
        `setup_s=${setupSeconds.toFixed(1)}`,
      ].join(' '),
    );
    const byOperation = {};
    for (const e of coldEntries) byOperation[e.operation] = (byOperation[e.operation] ?? 0) + 1;
    console.log(`  cold by operation: ${JSON.stringify(byOperation)}`);
    console.log(
      `  minimum: aggregator ${aggregatorMin}, remediation ${remediationMin}, ssm ${ssmMin}, sts ${accounts.length + 1}`,
    );
  } catch (err) {
    const log = readFileSync(exporterLogFile, 'utf8').trim().split('\n').slice(-20).join('\n');
    throw new Error(`${err.message}\nexporter ${exited ? 'exited' : 'running'}; its last log lines:\n${log}`);
  } finally {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench: ${err.stack || err}`);
  process.exit(1);
});
