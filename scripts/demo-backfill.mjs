#!/usr/bin/env node
/**
 * The demo's 30 days of remediation history as OpenMetrics, for Prometheus's own backfilling
 * (`promtool tsdb create-blocks-from openmetrics FILE DATA_DIR`, https://prometheus.io/docs/prometheus/latest/storage/#backfilling-from-openmetrics-format).
 * Used by `npm run stack` (scripts/stack.mjs) and by the `prometheus-backfill` service of docker-compose.yml.
 *
 *   node scripts/demo-backfill.mjs --exporter=URL --instance=HOST:PORT --out=FILE [--start=EPOCH_MS]
 *
 * The demo exporter (`--demo`) counts, at its first poll, every finished Config remediation its simulated account
 * reports (the latest execution per rule and resource, as DescribeRemediationExecutionStatus gives them), and
 * keeps counting live ones from there (exporter/src/store/remediation-store.ts). This script builds the same
 * simulated account (scenario "default", the demo's seed, its start time) with exporter/dist/simulator, takes the
 * same executions, classifies their failures with the exporter's own classifier, and writes each counter as it
 * stood over the 30 days before the start (sampled as SPACING says), ending at the value the exporter counted from
 * that history. Series and labels are the exporter's own: those it serves on /metrics (read first; the exporter
 * must have finished its first poll), plus job="compliance-pulse" and the scrape target's instance, as a scrape
 * would add them. So the live samples continue the backfilled ones without a drop (no counter reset).
 *
 * Backfilled: aws_config_remediation_executions_total and aws_config_remediation_execution_failures_total (what
 * the wall screen's windowed panels and the remediation alerts read), and compliance_pulse_poll_success{source=
 * "remediation"} = 1, from which the coverage recording rule learns that Prometheus has this source's 30 days
 * (provisioning/prometheus/rules, docs/alerts.md#coverage-windows-not-yet-filled). Nothing of the config source
 * is: the exporter has no history of findings or fixes (time to remediate starts when it first sees a finding),
 * so the wall screen says "collecting" for those windows until Prometheus has seen them live.
 *
 * Prints one JSON line on stdout: { series, samples, from, to, counted, liveAhead, capped }. Exit 1 with one
 * line on stderr when the exporter cannot be read or the histories disagree in a way that cannot be written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIMULATOR = path.join(ROOT, 'exporter', 'dist', 'simulator', 'index.js');
const FAILURE_REASON = path.join(ROOT, 'exporter', 'dist', 'src', 'remediation', 'failure-reason.js');
const JOB = 'compliance-pulse';
const HISTORY_SECONDS = 30 * 86_400;
/**
 * Sample spacing by age: windows reach back from the live "now", so only an hour-long window (the failure-ratio
 * alert) needs minute samples, and only in the last hours; a 7-day window is as exact with half-hour samples.
 * [age up to, spacing] in seconds; about 900 samples per series instead of 43,200 at one a minute, which keeps
 * the file at a few MB and promtool at a few seconds.
 */
export const SPACING = [
  [2 * 3600, 60],
  [86_400, 600],
  [8 * 86_400, 1800],
  [HISTORY_SECONDS, 7200],
];

/** Sample times from `endSeconds - HISTORY_SECONDS` to `endSeconds`, oldest first, spaced by SPACING. */
export function sampleTimes(endSeconds) {
  const times = [endSeconds];
  let t = endSeconds;
  for (;;) {
    const age = endSeconds - t;
    const [, spacing] = SPACING.find(([upTo]) => age < upTo) ?? [];
    if (spacing === undefined) break;
    // Aligned to the spacing, as a scrape interval would be.
    t = Math.ceil(t / spacing) * spacing - spacing;
    if (endSeconds - t > HISTORY_SECONDS) break;
    times.push(t);
  }
  return times.reverse();
}
/** The demo exporter's simulated account: startDemoAccount() in exporter/simulator/demo.ts (default seed). */
const DEMO_SCENARIO = 'default';
const DEMO_SEED = 1;
const FETCH_TIMEOUT_MS = 10_000;

const EXECUTIONS = 'aws_config_remediation_executions_total';
const FAILURES = 'aws_config_remediation_execution_failures_total';
const POLL_SUCCESS = 'compliance_pulse_poll_success';

/** Series of one metric in Prometheus's text exposition format: [{ labels, value }]. */
export function parseExposition(text, metric) {
  const series = [];
  const line = new RegExp(`^${metric}(?:\\{(.*)\\})? (\\S+)`);
  for (const row of text.split('\n')) {
    const match = line.exec(row);
    if (!match) continue;
    const labels = {};
    for (const [, name, value] of (match[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    series.push({ labels, value: Number(match[2]) });
  }
  return series;
}

const escape = (value) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels) =>
  `{${Object.keys(labels)
    .sort()
    .map((name) => `${name}="${escape(labels[name])}"`)
    .join(',')}}`;
const keyOf = (labels, names) => names.map((name) => labels[name]).join('\u0000');

const EXECUTION_LABELS = ['account_id', 'region', 'rule', 'severity', 'runbook'];
const FAILURE_LABELS = [...EXECUTION_LABELS, 'reason'];

/**
 * The finished remediations the exporter counted from the simulated account's history, as
 * { account_id, region, rule, reason (null: succeeded), at (epoch seconds) }.
 */
export async function historyEvents(startMs, rulesByTarget) {
  const { startSimulator } = await import(pathToFileURL(SIMULATOR).href);
  const { classifyFailure } = await import(pathToFileURL(FAILURE_REASON).href);
  const simulator = await startSimulator({
    scenario: DEMO_SCENARIO,
    seed: DEMO_SEED,
    startTime: new Date(startMs),
    live: false,
  });
  try {
    const events = [];
    for (const [target, rules] of rulesByTarget) {
      const [account_id, region] = target.split('\u0000');
      for (const rule of rules) {
        for (const status of simulator.truth.remediationStatuses(account_id, region, rule)) {
          if (status.state !== 'SUCCEEDED' && status.state !== 'FAILED') continue;
          // As the exporter reads it (exporter/src/aws/config-reader.ts): the failed step's message.
          const message = status.stepDetails.find((step) => step.state === 'FAILED')?.errorMessage;
          events.push({
            account_id,
            region,
            rule,
            reason: status.state === 'FAILED' ? classifyFailure({ message }) : null,
            at: status.lastUpdatedTime / 1000,
          });
        }
      }
    }
    return events;
  } finally {
    await simulator.close();
  }
}

/**
 * OpenMetrics text of the backfill, and a summary. `live` are the exporter's series (parseExposition), `events`
 * the counted history, `endSeconds` the last sample's time (before Prometheus's first scrape of the exporter).
 * A series whose history counts more than the exporter serves keeps only its earliest events, so that the live
 * value never drops below it: the exporter sees only the latest execution per resource, and the live account may
 * start a new one on a resource before the exporter's first poll (the finished one it replaced is then never
 * counted); also a run at midnight UTC or Seoul can fall on the other side of a start time a few seconds off.
 */
export function openMetrics({ live, events, instance, endSeconds }) {
  const grid = sampleTimes(endSeconds);
  const scrape = { job: JOB, instance };
  const families = [];
  let samples = 0;
  let counted = 0;
  let liveAhead = 0;
  const capped = [];

  const counterFamily = (metric, names, eventKey) => {
    const times = new Map();
    for (const event of events) {
      const key = eventKey(event);
      if (key === undefined) continue;
      if (!times.has(key)) times.set(key, []);
      times.get(key).push(event.at);
    }
    const lines = [`# TYPE ${metric.replace(/_total$/, '')} counter`];
    for (const { labels, value } of live.get(metric)) {
      const key = keyOf(labels, names);
      let history = (times.get(key) ?? []).sort((a, b) => a - b);
      times.delete(key);
      if (history.length > value) {
        capped.push(`${metric}${labelText(labels)}: history ${history.length}, exporter ${value}`);
        history = history.slice(0, value);
      }
      counted += history.length;
      liveAhead += value - history.length;
      const series = `${metric}${labelText({ ...labels, ...scrape })}`;
      let index = 0;
      for (const t of grid) {
        while (index < history.length && history[index] <= t) index++;
        lines.push(`${series} ${index} ${t}`);
      }
      samples += grid.length;
    }
    // A label set the exporter does not serve would be a series that stops at the start: say so.
    if (times.size > 0) {
      throw new Error(
        `${metric}: the history has series the exporter does not serve: ${[...times.keys()].map((k) => k.split('\u0000').join('/')).join(', ')}`,
      );
    }
    families.push(lines.join('\n'));
  };

  const ruleLabels = new Map(
    live.get(EXECUTIONS).map(({ labels }) => [keyOf(labels, ['account_id', 'region', 'rule']), labels]),
  );
  const withRuleLabels = (event) => ruleLabels.get(keyOf(event, ['account_id', 'region', 'rule']));
  counterFamily(EXECUTIONS, EXECUTION_LABELS, (event) => {
    const labels = withRuleLabels(event);
    return labels && keyOf(labels, EXECUTION_LABELS);
  });
  counterFamily(FAILURES, FAILURE_LABELS, (event) => {
    const labels = withRuleLabels(event);
    return event.reason === null || !labels
      ? undefined
      : keyOf({ ...labels, reason: event.reason }, FAILURE_LABELS);
  });

  const pollLines = [`# TYPE ${POLL_SUCCESS} gauge`];
  for (const { labels } of live.get(POLL_SUCCESS).filter((s) => s.labels.source === 'remediation')) {
    const series = `${POLL_SUCCESS}${labelText({ ...labels, ...scrape })}`;
    for (const t of grid) pollLines.push(`${series} 1 ${t}`);
    samples += grid.length;
  }
  families.push(pollLines.join('\n'));

  const series = families.reduce((n, family) => n + family.split('\n').length - 1, 0) / grid.length;
  return {
    text: `${families.join('\n')}\n# EOF\n`,
    summary: { series, samples, from: grid[0], to: endSeconds, counted, liveAhead, capped },
  };
}

async function readExporter(url) {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url}/metrics: HTTP ${response.status}`);
  const text = await response.text();
  const live = new Map([EXECUTIONS, FAILURES, POLL_SUCCESS].map((m) => [m, parseExposition(text, m)]));
  if (live.get(EXECUTIONS).length === 0) {
    throw new Error(`${url}/metrics has no ${EXECUTIONS}: is it the demo exporter, after its first poll?`);
  }
  return live;
}

function parseArgs(argv) {
  const options = {};
  for (const arg of argv) {
    const match = /^--(exporter|instance|out|start)=(.+)$/.exec(arg);
    if (!match)
      throw new Error(
        `unexpected argument "${arg}" (--exporter=URL --instance=HOST:PORT --out=FILE [--start=MS])`,
      );
    options[match[1]] = match[2];
  }
  for (const required of ['exporter', 'instance', 'out']) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  return options;
}

/**
 * Reads the exporter, builds the history and writes the OpenMetrics file `out`; returns the summary.
 * `startMs`: when the exporter (and so its simulated account) started; default now.
 */
export async function writeBackfill({ exporterUrl, instance, startMs, out }) {
  const endSeconds = Math.floor(Date.now() / 1000);
  const live = await readExporter(exporterUrl.replace(/\/+$/, ''));
  const rulesByTarget = new Map();
  for (const { labels } of live.get(EXECUTIONS)) {
    const target = `${labels.account_id}\u0000${labels.region}`;
    if (!rulesByTarget.has(target)) rulesByTarget.set(target, new Set());
    rulesByTarget.get(target).add(labels.rule);
  }
  // The history is laid out relative to the simulated account's start, so a start a few seconds off only
  // shifts it by as much.
  const events = await historyEvents(startMs ?? endSeconds * 1000, rulesByTarget);
  const { text, summary } = openMetrics({ live, events, instance, endSeconds });
  fs.writeFileSync(out, text);
  return summary;
}

async function main(argv) {
  const options = parseArgs(argv);
  const summary = await writeBackfill({
    exporterUrl: options.exporter,
    instance: options.instance,
    startMs: options.start === undefined ? undefined : Number(options.start),
    out: options.out,
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`demo-backfill: ${error.message}\n`);
    process.exit(1);
  });
}
