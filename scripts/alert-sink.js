#!/usr/bin/env node
'use strict';
/**
 * A tiny Alertmanager webhook sink for the demo and for end-to-end tests. No dependencies.
 *
 *   node scripts/alert-sink.js --port 9099 --out alerts.jsonl [--host 0.0.0.0]
 *
 * POST <any path>  An Alertmanager webhook payload (JSON). It is appended to --out as one JSON line and
 *                  kept in memory; the answer is 200. Not JSON: 400. Larger than 1 MiB: 413.
 * GET /alerts      The payloads received since start, oldest first, as a JSON array.
 *                  ?receiver=pager keeps only those sent to that Alertmanager receiver.
 * GET /healthz     200 "ok".
 *
 * --port 0 picks a free port; the first line on stdout says which ("alert-sink listening on http://...").
 */
const fs = require('node:fs');
const http = require('node:http');

const MAX_BODY_BYTES = 1024 * 1024;
const USAGE = 'usage: node scripts/alert-sink.js --port N --out FILE [--host HOST]';

/** Parses --name value and --name=value; returns { port, out, host } or throws an Error with a one-line message. */
function parseArgs(argv) {
  const known = new Set(['port', 'out', 'host']);
  const values = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!known.has(name)) throw new Error(`unknown flag --${name}`);
    let value;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      i++;
    }
    if (name in values) throw new Error(`--${name} given twice`);
    values[name] = value;
  }
  if (values.port === undefined) throw new Error('--port is required');
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, not "${values.port}"`);
  }
  if (values.out === undefined || values.out === '') throw new Error('--out is required');
  return { port: Number(values.port), out: values.out, host: values.host || '0.0.0.0' };
}

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Creates the HTTP server; `received` collects the payloads (in memory) and each is appended to `out`. */
function createSink(out) {
  const received = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://sink');
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, 'ok\n');
    if (req.method === 'GET' && url.pathname === '/alerts') {
      const receiver = url.searchParams.get('receiver');
      return send(
        res,
        200,
        receiver === null ? received : received.filter((p) => p && p.receiver === receiver),
      );
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST to deliver, GET /alerts to read' });

    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return send(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
      let payload;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        return send(res, 400, { error: `body is not JSON: ${err.message}` });
      }
      try {
        fs.appendFileSync(out, `${JSON.stringify(payload)}\n`);
      } catch (err) {
        console.error(`alert-sink: cannot write ${out}: ${err.message}`);
        return send(res, 500, { error: 'cannot store the payload' });
      }
      received.push(payload);
      const alerts = payload && Array.isArray(payload.alerts) ? payload.alerts.length : 0;
      console.log(
        `alert-sink: ${url.pathname} receiver=${payload && payload.receiver} status=${payload && payload.status} alerts=${alerts}`,
      );
      return send(res, 200, { status: 'ok' });
    });
    req.on('error', () => res.destroy());
    return undefined;
  });
  return { server, received };
}

function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    console.error(`alert-sink: ${err.message} (${USAGE})`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  try {
    fs.appendFileSync(options.out, '');
  } catch (err) {
    console.error(`alert-sink: cannot write ${options.out}: ${err.message}`);
    process.exit(1);
  }
  const { server } = createSink(options.out);
  server.on('error', (err) => {
    console.error(`alert-sink: cannot listen on ${options.host}:${options.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(options.port, options.host, () => {
    const address = server.address();
    console.log(
      `alert-sink listening on http://${options.host}:${address.port}, appending to ${options.out}`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) main(process.argv.slice(2));

module.exports = { parseArgs, createSink };
