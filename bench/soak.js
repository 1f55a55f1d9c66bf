#!/usr/bin/env node
'use strict';
/**
 * Soak test: the exporter polls a live simulated account whose rules change state (INSUFFICIENT_DATA and
 * back, all results NOT_APPLICABLE, rules deleted and created again, resources deleted) while AWS
 * misbehaves at random (throttling bursts, 5xx, hung requests, dropped connections, malformed bodies, one
 * rule failing for a while). After every poll a checker compares the exporter's numbers with the
 * simulator's ground truth:
 *   - per rule: the exact noncompliant count (fresh rules) or the last known one (rules marked stale),
 *   - the open findings, one by one, against a model of what the exporter must conclude from what it saw,
 *   - findings opened and fixed, the time-to-remediate count, and the SSM execution counters.
 * A source that failed must say so (poll_success 0) and is checked again once it succeeds.
 *
 * The world stands still while the exporter polls (manual clock), so every comparison is exact.
 *
 *   npm run build && npm run soak -- --minutes 10 [--seed 1]
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const pino = require('pino');
const { benchArguments } = require('./lib');

const ROOT = join(__dirname, '..');
const dist = (path) => require(join(ROOT, 'exporter', 'dist', path));
const { startSimulator } = dist('simulator/index.js');
const { createExporter } = dist('src/exporter.js');
const { loadConfig } = dist('src/config/load.js');
const { loadCatalog } = dist('src/catalog/load.js');
const { exactNoncompliant } = dist('src/poller/snapshots.js');

const USAGE = 'usage: npm run soak -- --minutes N [--seed N] [--step-seconds N]';
const options = benchArguments(
  USAGE,
  {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    'step-seconds': { type: 'string', default: '30' },
  },
  (v) =>
    !/^\d+(\.\d+)?$/.test(v.minutes) || !/^\d+$/.test(v.seed) || !/^\d+$/.test(v['step-seconds'])
      ? 'bad arguments'
      : undefined,
);

/** mulberry32: a small seeded generator for the fault schedule. */
function seeded(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: (list) => list[Math.floor(next() * list.length)], int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

const OPERATIONS = [
  'DescribeComplianceByConfigRule',
  'DescribeConfigRuleEvaluationStatus',
  'GetComplianceDetailsByConfigRule',
  'DescribeRemediationExecutionStatus',
  'ListConformancePackComplianceScores',
  'DescribeAutomationExecutions',
  'GetAutomationExecution',
];

/** This step's faults: none half the time, else one kind of misbehaviour. */
function faultsFor(random, ruleNames) {
  if (random.next() < 0.5) return [];
  const kind = random.pick(['throttle', 'server-error', 'hang', 'drop-connection', 'malformed-body', 'rule-failing']);
  switch (kind) {
    case 'throttle':
      return [{ kind: 'throttle', probability: 0.5, times: random.int(5, 30) }];
    case 'server-error':
      return [{ kind: 'server-error', status: random.pick([500, 503]), operation: random.pick(OPERATIONS), times: random.int(1, 12) }];
    case 'hang':
      return [{ kind: 'hang', operation: random.pick(OPERATIONS), times: random.int(1, 3) }];
    case 'drop-connection':
      return [{ kind: 'drop-connection', probability: 0.3, times: random.int(1, 6) }];
    case 'malformed-body':
      return [{ kind: 'malformed-body', operation: random.pick(OPERATIONS), times: 1 }];
    default:
      return [{ kind: 'server-error', status: 500, operation: 'GetComplianceDetailsByConfigRule', rule: random.pick(ruleNames) }];
  }
}

const keyOf = (type, id) => `${type}\u0000${id}`;

/**
 * What the exporter must conclude from what it saw, per target: the open findings of each rule (and the
 * rule's id), how many findings it opened and fixed, and which fixes have a time to remediate. It moves only
 * where the exporter read fresh results. A finding opened by the first read of a rule that existed at the
 * target's first successful poll is pre-existing: it counts as opened and fixed, but has no time to remediate.
 */
class FindingsModel {
  constructor() {
    this.rules = new Map();
    this.started = false;
    this.opened = 0;
    this.preExisting = 0;
    this.fixed = 0;
    this.timed = 0;
  }

  entry(rule, id) {
    const before = this.rules.get(rule);
    if (before && before.id === id) return before;
    // New, or deleted and created again (its old findings closed, not fixed).
    const entry = { id, open: new Map(), read: false, existedAtStart: !before && !this.started };
    this.rules.set(rule, entry);
    return entry;
  }

  /** A rule read fresh: its open findings become exactly its NON_COMPLIANT resources. */
  fresh(rule, id, noncompliant) {
    const entry = this.entry(rule, id);
    const preExisting = !entry.read && entry.existedAtStart;
    for (const [key, wasPreExisting] of entry.open) {
      if (noncompliant.has(key)) continue;
      entry.open.delete(key);
      this.fixed++;
      if (!wasPreExisting) this.timed++;
    }
    for (const key of noncompliant) {
      if (entry.open.has(key)) continue;
      entry.open.set(key, preExisting);
      this.opened++;
      if (preExisting) this.preExisting++;
    }
    entry.read = true;
  }

  /** A rule whose state is unknown or whose read failed: nothing changes, unless it was re-created. */
  unchanged(rule, id) {
    this.entry(rule, id);
  }

  /** Rules gone from Config: their findings close, not as fixes. */
  keepOnly(names) {
    for (const rule of this.rules.keys()) if (!names.has(rule)) this.rules.delete(rule);
  }
}

async function main() {
  const seed = Number(options.seed);
  const stepMs = Number(options['step-seconds']) * 1000;
  const random = seeded(seed);
  const sim = await startSimulator({ scenario: 'default', seed, clock: 'manual', startTime: new Date('2026-11-29T03:00:00Z'), live: { transitions: true } });
  const dir = mkdtempSync(join(tmpdir(), 'cp-soak-'));
  const loaded = loadConfig(
    [
      ...sim.regions.map((r) => `--aws.region=${r}`),
      '--aws.config-requests-per-second=500',
      '--aws.ssm-requests-per-second=500',
      '--aws.request-timeout=1s',
      '--aws.max-attempts=4',
      '--poll.timeout=60s',
      `--storage.path=${join(dir, 'store.db')}`,
    ],
    {},
  );
  const config = loaded.config;
  const warnings = [];
  const log = pino({ level: 'warn' }, { write: (line) => warnings.push(line) });
  const exporter = createExporter({
    config,
    catalog: loadCatalog(undefined),
    log,
    connection: { endpoint: sim.endpoint, credentials: sim.credentials() },
    now: () => sim.clock.now().getTime() / 1000,
  });

  let crashes = 0;
  process.on('uncaughtException', (err) => {
    crashes++;
    console.error(`crash: ${err.stack}`);
  });
  process.on('unhandledRejection', (err) => {
    crashes++;
    console.error(`crash (unhandled rejection): ${err && err.stack}`);
  });

  const models = new Map();
  const finishedIds = new Map();
  const figures = { polls: 0, compared: 0, wrong: 0, failedSources: 0, unreported: 0, longestFailingPollSeconds: 0, staleRuleChecks: 0, unknownRuleChecks: 0 };
  const wrong = [];
  const expect = (what, actual, expected) => {
    figures.compared++;
    if (actual === expected) return;
    figures.wrong++;
    if (wrong.length < 20) wrong.push(`poll ${figures.polls}: ${what}: exporter ${actual}, truth ${expected}`);
  };

  const deadline = Date.now() + Number(options.minutes) * 60_000;
  const started = Date.now();
  while (Date.now() < deadline) {
    if (figures.polls > 0) {
      sim.clock.advance(stepMs);
      sim.tick();
    }
    const ruleNames = sim.truth.ruleStates(sim.accountIds[0], sim.regions[0]).map((r) => r.ruleName);
    // The first poll is clean: it learns the account and reads the 30-day backfill.
    const faults = figures.polls === 0 ? [] : faultsFor(random, ruleNames);
    for (const f of faults) sim.faults.add(f);
    const pollAt = sim.clock.now().getTime() / 1000;
    const firstCall = sim.calls.lastSeq();
    // A poll cycle ends by its deadline (--poll.timeout=60s): one still running well after is a hang.
    const watchdog = setTimeout(() => {
      console.error(`poll ${figures.polls} still running after 120 s; faults ${JSON.stringify(faults)}`);
      for (const c of sim.calls.entries().slice(-10)) console.error(`  call ${JSON.stringify(c).slice(0, 300)}`);
    }, 120_000);
    try {
      await exporter.pollOnce();
    } catch (err) {
      crashes++;
      console.error(`crash: pollOnce threw: ${err.stack}`);
    }
    clearTimeout(watchdog);
    if (figures.polls % 50 === 0) console.error(`poll ${figures.polls}: ${figures.compared} compared, ${figures.wrong} wrong`);
    sim.faults.clear();
    figures.polls++;
    check(pollAt, firstCall);
  }

  /**
   * Rules whose results this poll read in full (every page answered): a Config poll that fails later still
   * reconciles them, since what was read is a fact. A rule's results come 100 to a page.
   */
  function fullyRead(accountId, region, afterSeq, rules) {
    const answered = new Map();
    for (const c of sim.calls.since(afterSeq)) {
      if (c.operation !== 'GetComplianceDetailsByConfigRule' || c.accountId !== accountId || c.region !== region) continue;
      if (c.status !== 200 || c.faultId !== undefined) continue;
      answered.set(c.params.ConfigRuleName, (answered.get(c.params.ConfigRuleName) ?? 0) + 1);
    }
    const pages = (rule) => Math.max(1, Math.ceil((rule.nonCompliantResources.length + rule.compliantResources.length) / 100));
    return new Set(rules.filter((r) => (answered.get(r.ruleName) ?? 0) >= pages(r)).map((r) => r.ruleName));
  }

  function check(pollAt, firstCall) {
    const histograms = exporter.store.totals.histogramSeries('aws_config_time_to_remediate_seconds');
    const ssmTotals = exporter.store.totals.counterSeries('aws_ssm_automation_executions_total');
    for (const t of exporter.state.targets()) {
      const { accountId, region } = t.target;
      const where = `${accountId}/${region}`;
      for (const source of t.sources) {
        const status = t.status[source];
        if (!status || status.lastAttemptAt !== pollAt) {
          // Every source of every target is attempted each poll (remediation after a Config success).
          figures.unreported++;
          if (wrong.length < 20) wrong.push(`poll ${figures.polls}: ${where}/${source} has no outcome for this poll`);
          continue;
        }
        if (!status.ok) {
          figures.failedSources++;
          figures.longestFailingPollSeconds = Math.max(figures.longestFailingPollSeconds, status.lastDurationSeconds);
        }
      }
      let model = models.get(where);
      if (!model) models.set(where, (model = new FindingsModel()));

      if (t.status.config && !t.status.config.ok && t.status.config.lastAttemptAt === pollAt) {
        const truth = sim.truth.ruleStates(accountId, region).filter((r) => !r.serviceLinked && (r.compliance === 'COMPLIANT' || r.compliance === 'NON_COMPLIANT'));
        const read = fullyRead(accountId, region, firstCall, truth);
        for (const rule of truth) {
          if (!read.has(rule.ruleName)) continue;
          model.fresh(rule.ruleName, rule.configRuleId, new Set(rule.nonCompliantResources.map((r) => keyOf(r.resourceType, r.resourceId))));
        }
      }

      if (t.status.config?.ok && t.status.config.lastAttemptAt === pollAt) {
        const views = new Map(t.config.rules.map((v) => [v.rule.name, v]));
        const names = new Set();
        for (const rule of sim.truth.ruleStates(accountId, region)) {
          const name = rule.ruleName;
          names.add(name);
          const view = views.get(name);
          expect(`${where} ${name} is published`, view !== undefined, true);
          if (!view || rule.serviceLinked) continue; // service-linked: no per-resource results to compare
          const reports = rule.compliance === 'COMPLIANT' || rule.compliance === 'NON_COMPLIANT';
          const noncompliant = new Set(rule.nonCompliantResources.map((r) => keyOf(r.resourceType, r.resourceId)));
          if (reports && !view.stale) {
            model.fresh(name, rule.configRuleId, noncompliant);
            expect(`${where} ${name} noncompliant`, exactNoncompliant(view), noncompliant.size);
          } else {
            figures.staleRuleChecks++;
            if (!reports) figures.unknownRuleChecks++;
            model.unchanged(name, rule.configRuleId);
            expect(`${where} ${name} marked stale (${rule.compliance})`, view.stale !== undefined, true);
            expect(`${where} ${name} last known count`, exactNoncompliant(view), model.rules.get(name).open.size);
          }
        }
        model.keepOnly(names);
        model.started = true;
        // The open findings, one by one.
        const rows = exporter.store.db
          .prepare('SELECT rule, resource_type, resource_id FROM findings WHERE account_id = ? AND region = ? AND resolved_at IS NULL')
          .all(accountId, region);
        const actual = new Set(rows.map((r) => `${r.rule}\u0000${keyOf(r.resource_type, r.resource_id)}`));
        const expected = new Set();
        for (const [rule, { open }] of model.rules) for (const key of open.keys()) expected.add(`${rule}\u0000${key}`);
        expect(`${where} open findings`, actual.size, expected.size);
        expect(`${where} open findings that differ`, [...actual].filter((k) => !expected.has(k)).length, 0);
        const count = (sql) => exporter.store.db.prepare(`SELECT COUNT(*) AS n FROM findings WHERE account_id = ? AND region = ?${sql}`).get(accountId, region).n;
        expect(`${where} findings opened`, count(''), model.opened);
        expect(`${where} findings flagged pre-existing`, count(' AND pre_existing = 1'), model.preExisting);
        expect(`${where} fixes`, count(" AND resolution IN ('compliant', 'gone')"), model.fixed);
        const timed = histograms.filter((h) => h.labels.account_id === accountId && h.labels.region === region).reduce((n, h) => n + h.count, 0);
        expect(`${where} fixes with a time to remediate (histogram count)`, timed, model.timed);
      }

      if (t.status.ssm?.ok && t.status.ssm.lastAttemptAt === pollAt) {
        let ids = finishedIds.get(where);
        if (!ids) finishedIds.set(where, (ids = new Set()));
        for (const e of sim.truth.automationExecutions(accountId, region)) if (e.endTime) ids.add(e.executionId);
        const counted = ssmTotals.filter((s) => s.labels.account_id === accountId && s.labels.region === region).reduce((n, s) => n + s.value, 0);
        expect(`${where} SSM executions counted`, counted, ids.size);
      }
    }
  }

  console.error('closing the exporter and the simulator');
  await exporter.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`soak: ${minutes} min, seed ${seed}, ${figures.polls} polls of ${sim.regions.length} targets, simulated time ${((figures.polls * stepMs) / 3_600_000).toFixed(1)} h`);
  console.log(`  numbers compared: ${figures.compared}; wrong: ${figures.wrong}; crashes: ${crashes}`);
  console.log(`  stale-rule checks: ${figures.staleRuleChecks} (${figures.unknownRuleChecks} of rules Config reports no results for); failed source polls: ${figures.failedSources}; sources without an outcome: ${figures.unreported}`);
  console.log(`  longest time a failing source went unreported: ${figures.longestFailingPollSeconds.toFixed(2)} s`);
  console.log(`  warn lines logged: ${warnings.length}`);
  for (const line of wrong) console.log(`  WRONG ${line}`);
  process.exitCode = figures.wrong === 0 && crashes === 0 && figures.unreported === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err.stack);
  process.exit(1);
});
