#!/usr/bin/env node
'use strict';
/**
 * Polls a simulator preset with the real exporter binary and reports what a poll costs:
 *   AWS calls per cold and per steady-state poll against the minimum the APIs allow for the same data,
 *   cold poll wall time (against the floor the rate limits impose), peak RSS of the exporter process,
 *   and /metrics response time and size against serving the same bytes from memory.
 *
 * The simulator runs in this process (for its call log and ground truth); the exporter runs as a child
 * process, exactly as deployed, so its memory is measured alone.
 *
 *   npm run build && node bench/poll.js --scenario large [--rate-limits aws] [--budget default|unlimited]
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { sleep, until, get, peakRssMb, freePort, timeMetrics, quiet, ceil, benchArguments } = require('./lib');

const ROOT = join(__dirname, '..');
const { startSimulator } = require(join(ROOT, 'exporter', 'dist', 'simulator', 'index.js'));

const USAGE =
  'usage: node bench/poll.js --scenario large|default [--seed N] [--rate-limits off|aws] [--budget default|unlimited]';

function options() {
  return benchArguments(
    USAGE,
    {
      scenario: { type: 'string', default: 'large' },
      seed: { type: 'string', default: '1' },
      'rate-limits': { type: 'string', default: 'aws' },
      budget: { type: 'string', default: 'default' },
    },
    (v) =>
      !['off', 'aws'].includes(v['rate-limits']) ||
      !['default', 'unlimited'].includes(v.budget) ||
      !/^\d+$/.test(v.seed)
        ? 'bad arguments'
        : undefined,
  );
}

/** The fewest calls that read the same data: every listing at its largest page size. */
/**
 * `activeSinceMs`: the steady-state poll re-reads a rule's remediation statuses only when its runbook ran
 * since then (the previous poll minus the SSM overlap), so the minimum counts just those rules.
 */
function minimumCalls(sim, accountId, region, remediationDocuments, activeSinceMs) {
  const state = sim.world.region(accountId, region);
  const rules = state.rules();
  const counts = sim.truth.evaluationCounts(accountId, region).byRule;
  const compliance = sim.truth.ruleCompliance(accountId, region);
  let details = 0;
  for (const rule of rules) {
    const c = counts[rule.name];
    const results = c ? c.COMPLIANT + c.NON_COMPLIANT : 0;
    const state = compliance[rule.name];
    if (state !== 'COMPLIANT' && state !== 'NON_COMPLIANT') continue;
    // A service-linked rule answers AccessDenied: one call to learn it.
    details += rule.createdBy ? 1 : Math.max(1, ceil(results, 100));
  }
  const configs = state.remediationConfigurations();
  let statuses = 0;
  for (const c of configs)
    statuses += Math.max(1, ceil(sim.truth.remediationStatuses(accountId, region, c.ruleName).length, 100));
  const executions = sim.truth.automationExecutions(accountId, region);
  const joins = executions.filter((e) => e.endTime && remediationDocuments.has(e.documentName)).length;
  const listing = {
    config:
      2 * Math.max(1, ceil(rules.length, 25)) +
      Math.max(1, ceil(rules.length, 50)) +
      details +
      Math.max(1, ceil(state.conformancePacks().length, 20)),
    remediation: Math.max(1, ceil(rules.length, 25)) + statuses,
    ssm: Math.max(1, ceil(executions.length, 50)),
  };
  const active = new Set(
    executions
      .filter(
        (e) => !e.endTime || e.startTime.getTime() >= activeSinceMs || e.endTime.getTime() >= activeSinceMs,
      )
      .map((e) => e.documentName),
  );
  let activeStatuses = 0;
  for (const c of configs)
    if (active.has(c.targetId))
      activeStatuses += Math.max(
        1,
        ceil(sim.truth.remediationStatuses(accountId, region, c.ruleName).length, 100),
      );
  const steady = {
    config:
      Math.max(1, ceil(rules.length, 25)) +
      Math.max(1, ceil(rules.length, 50)) +
      Math.max(1, ceil(state.conformancePacks().length, 20)),
    remediation: activeStatuses,
    ssm: 1,
  };
  return { listing, steady, joins, details };
}

function serviceOf(entry) {
  if (entry.service === 'ssm') return entry.operation === 'GetAutomationExecution' ? 'join' : 'ssm';
  if (entry.service === 'sts') return 'sts';
  return ['DescribeRemediationConfigurations', 'DescribeRemediationExecutionStatus'].includes(entry.operation)
    ? 'remediation'
    : 'config';
}

function tally(entries) {
  const out = { config: 0, remediation: 0, ssm: 0, join: 0, sts: 0, throttled: 0 };
  for (const e of entries) {
    out[serviceOf(e)]++;
    if (e.errorCode === 'ThrottlingException') out.throttled++;
  }
  return out;
}

async function main() {
  const opts = options();
  const sim = await startSimulator({
    scenario: opts.scenario,
    seed: Number(opts.seed),
    rateLimits: opts['rate-limits'],
    port: 0,
  });
  const accountId = sim.accountIds[0];
  const regions = sim.regions;
  const work = mkdtempSync(join(tmpdir(), 'cp-bench-'));
  const port = await freePort();
  const budget =
    opts.budget === 'unlimited'
      ? ['--aws.config-requests-per-second=1000', '--aws.ssm-requests-per-second=1000']
      : [];
  const credentials = sim.credentials(accountId);
  const exporterArgs = [
    join(ROOT, 'exporter', 'bin', 'exporter.js'),
    ...regions.map((r) => `--aws.region=${r}`),
    `--web.listen-address=127.0.0.1:${port}`,
    `--storage.path=${join(work, 'store.db')}`,
    '--poll.interval=30s',
    '--log.level=warn',
    ...budget,
  ];
  const started = Date.now();
  const child = spawn(process.execPath, exporterArgs, {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: sim.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: regions[0],
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(async () => (await get(`${base}/-/ready`)).status === 200, 30 * 60_000, 'the first poll');
    const coldSeconds = (Date.now() - started) / 1000;
    const coldSeq = sim.calls.lastSeq();
    // The join of runbook runs to resources follows the publish; wait until it has gone quiet.
    await quiet(sim, 30 * 60_000);
    const coldEntries = sim.calls.entries();
    const cold = tally(coldEntries);
    const coldToReady = tally(coldEntries.filter((e) => e.seq <= coldSeq));

    // One steady-state cycle: wait until every source of every region has polled again.
    const pollCount = async () => {
      const text = (await get(`${base}/metrics`)).body.toString();
      return [
        ...text.matchAll(/^compliance_pulse_poll_duration_seconds_count\{source="\w+"\} (\d+)/gm),
      ].reduce((n, m) => n + Number(m[1]), 0);
    };
    const before = await pollCount();
    const steadyStart = sim.calls.lastSeq();
    // The previous poll was one interval (30 s) ago; the exporter looks back the SSM overlap (15 min) more.
    const activeSinceMs = sim.clock.now().getTime() - (30 + 15 * 60) * 1000;
    await until(
      async () => (await pollCount()) >= before + 3 * regions.length,
      10 * 60_000,
      'a steady-state cycle',
    );
    await sleep(1000);
    const steady = tally(sim.calls.since(steadyStart));

    // /metrics response time and size, against the same bytes served from memory.
    const metrics = await timeMetrics(base);
    const rssMb = peakRssMb(child.pid);

    const runbooks = new Set();
    for (const region of regions)
      for (const c of sim.world.region(accountId, region).remediationConfigurations())
        runbooks.add(c.targetId);
    const minimum = {
      config: 0,
      remediation: 0,
      ssm: 0,
      join: 0,
      steadyConfig: 0,
      steadyRemediation: 0,
      steadySsm: 0,
    };
    let evaluations = 0;
    let rules = 0;
    for (const region of regions) {
      const m = minimumCalls(sim, accountId, region, runbooks, activeSinceMs);
      minimum.config += m.listing.config;
      minimum.remediation += m.listing.remediation;
      minimum.ssm += m.listing.ssm;
      minimum.join += m.joins;
      minimum.steadyConfig += m.steady.config;
      minimum.steadyRemediation += m.steady.remediation;
      minimum.steadySsm += m.steady.ssm;
      const total = sim.truth.evaluationCounts(accountId, region).total;
      evaluations += total.COMPLIANT + total.NON_COMPLIANT;
      rules += sim.world.region(accountId, region).rules().length;
    }
    const coldMin = minimum.config + minimum.remediation + minimum.ssm + 1;
    const coldCalls = coldToReady.config + coldToReady.remediation + coldToReady.ssm + coldToReady.sts;
    const steadyMin = minimum.steadyConfig + minimum.steadyRemediation + minimum.steadySsm;
    const steadyCalls = steady.config + steady.remediation + steady.ssm;
    // The floor the rate limits impose: the busiest (region, operation) budget, drained at its rate.
    const configRate = opts.budget === 'unlimited' ? Infinity : 4;
    const perRegionDetails = Math.max(
      ...regions.map((r) => minimumCalls(sim, accountId, r, runbooks, activeSinceMs).details),
    );
    const floorSeconds = perRegionDetails / configRate;
    const line = [
      `bench=poll scenario=${opts.scenario} regions=${regions.length} rules=${rules} evaluations=${evaluations} rate_limits=${opts['rate-limits']} budget=${opts.budget}`,
      `cold_calls=${coldCalls} cold_min=${coldMin} cold_ratio=${(coldCalls / coldMin).toFixed(3)}`,
      `cold_s=${coldSeconds.toFixed(1)} cold_floor_s=${Number.isFinite(floorSeconds) ? floorSeconds.toFixed(1) : 0}`,
      `join_calls=${cold.join} join_pending=${minimum.join}`,
      `steady_calls=${steadyCalls} steady_min=${steadyMin} steady_ratio=${(steadyCalls / steadyMin).toFixed(3)}`,
      `throttled=${cold.throttled + steady.throttled}`,
      `peak_rss_mb=${rssMb.toFixed(0)}`,
      `metrics_bytes=${metrics.bytes} metrics_p50_ms=${metrics.p50.toFixed(1)} metrics_p95_ms=${metrics.p95.toFixed(1)} memory_p50_ms=${metrics.memoryP50.toFixed(2)}`,
    ].join(' ');
    console.log(line);
    console.log(
      `  cold by source: ${JSON.stringify(coldToReady)} minimum: ${JSON.stringify({ config: minimum.config, remediation: minimum.remediation, ssm: minimum.ssm, sts: 1 })}`,
    );
    console.log(
      `  steady by source: ${JSON.stringify(steady)} minimum: ${JSON.stringify({ config: minimum.steadyConfig, remediation: minimum.steadyRemediation, ssm: minimum.steadySsm })}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench: ${err.stack || err}`);
  process.exit(1);
});
