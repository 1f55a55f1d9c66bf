'use strict';
/** Helpers shared by the benchmarks: HTTP timing, polling until a condition, percentiles, peak RSS. */
const http = require('node:http');
const { readFileSync } = require('node:fs');
const { parseArgs } = require('node:util');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function get(url) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // A fresh connection each time: reusing a kept-alive one races the server's idle timeout when reading a
    // large body takes the client longer than that timeout ("socket hang up").
    http
      .get(url, { agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            body: Buffer.concat(chunks),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      })
      .on('error', reject);
  });
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Peak resident set size of a process (Linux), in MB. */
function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
}

function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** /metrics timed over `n` sequential requests, and the same bytes served from memory by a bare server. */
async function timeMetrics(base, n = 30) {
  const times = [];
  let body = Buffer.alloc(0);
  for (let i = 0; i < n; i++) {
    const r = await get(`${base}/metrics`);
    times.push(r.ms);
    body = r.body;
  }
  const server = http.createServer((_req, res) => res.end(body)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const memory = [];
  for (let i = 0; i < n; i++) memory.push((await get(`http://127.0.0.1:${server.address().port}/`)).ms);
  server.close();
  return {
    bytes: body.length,
    body,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    memoryP50: percentile(memory, 50),
  };
}

/** Waits until the simulator's call log has been quiet for a moment (follow-up work after a poll). */
async function quiet(sim, timeoutMs) {
  let last = -1;
  await until(
    async () => {
      const now = sim.calls.lastSeq();
      const still = now === last;
      last = now;
      if (!still) await sleep(1500);
      return still;
    },
    timeoutMs,
    'the call log to go quiet',
  );
}

const ceil = (n, page) => Math.ceil(n / page);

/**
 * The command line of a benchmark: `options` as for util.parseArgs (plus --help), `problem(values)` names what
 * is wrong with them or returns nothing. Bad arguments print the reason and the usage and exit 2.
 */
function benchArguments(usage, options, problem) {
  const fail = (reason) => {
    console.error(`bench: ${reason}\n${usage}`);
    process.exit(2);
  };
  let values;
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean', default: false } } }).values;
  } catch (err) {
    fail(err.message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const reason = problem(values);
  if (reason) fail(reason);
  return values;
}

module.exports = {
  sleep,
  until,
  get,
  percentile,
  peakRssMb,
  freePort,
  timeMetrics,
  quiet,
  ceil,
  benchArguments,
};
