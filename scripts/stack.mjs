#!/usr/bin/env node
/**
 * The Compliance Pulse demo stack without Docker: the demo exporter, Debian's Prometheus and Alertmanager with
 * the repository's configuration, and the alert sink. Grafana is only in the Docker stack (docker-compose.yml).
 *
 *   npm run stack [-- flags]      builds the exporter, starts everything, prints the URLs; Ctrl-C stops it all
 *
 * Run with --help for the flags. Plain Node (>= 20), no dependencies. See docs/demo.md.
 *
 * Configuration. provisioning/prometheus/prometheus.yml and provisioning/alertmanager/alertmanager.yml are
 * written for docker-compose service names. This script copies them into the work directory and rewrites, by
 * plain text substitution (each file names every address once in its configuration, for this purpose):
 *   prometheus.yml     exporter:9867 -> 127.0.0.1:<exporter port>, alertmanager:9093 -> 127.0.0.1:<alertmanager
 *                      port>, localhost:9090 -> 127.0.0.1:<prometheus port>; every scrape_interval,
 *                      evaluation_interval and scrape_timeout -> 5s (30s/30s/10s in the file), so that recording
 *                      rules and alerts have data within seconds instead of minutes; the rule_files entries,
 *                      relative to the original file, -> absolute paths of provisioning/prometheus/rules/*.yml
 *                      (the rules themselves are used unchanged, in place).
 *   alertmanager.yml   alert-sink:9099 -> 127.0.0.1:<sink port>; timers unchanged (already short for the demo).
 * The exporter polls the simulated account every 15s (--poll.interval=15s; the --demo default is 30s) unless
 * --exporter-arg sets --poll.interval. A substitution that no longer matches stops the script with an error
 * rather than running a stack that silently talks to the wrong place.
 *
 * Backfill. Prometheus starts with the demo account's 30 days of remediation history already in its TSDB, so the
 * wall screen's 24 h and 7 d figures are real from the first minute: once the exporter has finished its first
 * poll, scripts/demo-backfill.mjs writes that history as OpenMetrics (the exporter's own series and values, see
 * there), `promtool tsdb create-blocks-from openmetrics` turns it into blocks in Prometheus's data directory, and
 * only then does Prometheus start (its first scrape comes after the last backfilled sample, so nothing overlaps).
 * Skipped with --no-backfill, and when the data directory of a kept --work-dir already holds Prometheus data.
 *
 * Processes. Each child runs in its own process group (so a terminal's Ctrl-C reaches only this script, which
 * then stops them in an orderly way) with its output in <work dir>/logs/. On SIGINT, SIGTERM or SIGHUP, when a
 * child dies, or when this script's parent goes away, every group gets SIGTERM, then SIGKILL after 10 s; the
 * temporary work directory is then removed. (Only SIGKILL of this script itself can leave children behind.)
 *
 * Output. Progress goes to stderr. When ready: on a terminal, a summary on stdout; otherwise exactly one JSON
 * line on stdout, for scripts and tests:
 *   {"status":"ready","exporter":"http://127.0.0.1:9867","prometheus":"http://127.0.0.1:9090",
 *    "alertmanager":"http://127.0.0.1:9093","alertSink":"http://127.0.0.1:9099","grafana":null,
 *    "workDir":"/tmp/compliance-pulse-stack-…","workDirKept":false,"logs":{"exporter":"…",…},
 *    "pids":{"exporter":123,"prometheus":124,"alertmanager":125,"alertSink":126},"readySeconds":24.3}
 * Exit status: 0 after a requested stop, 1 when something failed, 2 for bad flags.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeBackfill } from './demo-backfill.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROMETHEUS_YML = path.join(ROOT, 'provisioning', 'prometheus', 'prometheus.yml');
const ALERTMANAGER_YML = path.join(ROOT, 'provisioning', 'alertmanager', 'alertmanager.yml');
const EXPORTER_BIN = path.join(ROOT, 'exporter', 'bin', 'exporter.js');
const SINK_SCRIPT = path.join(ROOT, 'scripts', 'alert-sink.js');
const HOST = '127.0.0.1';
const STACK_INTERVAL = '5s';
const DEMO_POLL_INTERVAL = '15s';
const STOP_GRACE_MS = 10_000;
/** Each backfill step (generating the OpenMetrics file, promtool) normally takes a few seconds. */
const BACKFILL_STEP_TIMEOUT_MS = 120_000;

const SERVICES = [
  { key: 'exporter', flag: 'exporter-port', name: 'exporter', port: 9867 },
  { key: 'prometheus', flag: 'prometheus-port', name: 'Prometheus', port: 9090 },
  { key: 'alertmanager', flag: 'alertmanager-port', name: 'Alertmanager', port: 9093 },
  { key: 'alertSink', flag: 'sink-port', name: 'alert sink', port: 9099 },
];

const USAGE = `usage: npm run stack -- [flags]     (or: node scripts/stack.mjs [flags])

Starts the demo exporter, Prometheus and Alertmanager (Debian packages) and the alert sink on ${HOST},
waits until each is ready and prints the URLs; Ctrl-C (or SIGTERM) stops everything it started.
Grafana is only in the Docker stack (docker compose up; see docs/demo.md).

  --ports-base=N          exporter N, Prometheus N+1, Alertmanager N+2, alert sink N+3
  --exporter-port=N       default 9867      --prometheus-port=N    default 9090
  --alertmanager-port=N   default 9093      --sink-port=N          default 9099
                          (an individual port flag wins over --ports-base)
  --work-dir=DIR          keep configuration, data and logs in DIR (created if missing, kept on exit);
                          default: a temporary directory, removed on exit
  --exporter-arg=ARG      pass ARG to the exporter, repeatable (e.g. --exporter-arg=--log.level=debug);
                          --poll.interval here replaces the stack's 15s
  --prometheus-bin=PATH   default: /usr/bin/prometheus, else prometheus on PATH
  --alertmanager-bin=PATH default: /usr/bin/prometheus-alertmanager, else alertmanager on PATH
  --promtool-bin=PATH     default: /usr/bin/promtool, else promtool on PATH (for the backfill)
  --no-backfill           start Prometheus empty, without the demo account's 30 days of remediation history
  --no-build              skip \`npm run build --workspace exporter\` (done by default before starting)
  --timeout=SECONDS       how long to wait for everything to be ready (default 180)
  --help                  this text

When stdout is not a terminal, one JSON line with the URLs, work directory and pids is printed once ready.`;

class UsageError extends Error {}

function log(message) {
  process.stderr.write(`stack: ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Flags

function parsePort(flag, value) {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new UsageError(`--${flag} must be a port number from 1 to 65535, not "${value}"`);
  }
  return Number(value);
}

export function parseArgs(argv) {
  const valueFlags = new Set([
    'ports-base',
    'work-dir',
    'exporter-arg',
    'prometheus-bin',
    'alertmanager-bin',
    'promtool-bin',
    'timeout',
    ...SERVICES.map((s) => s.flag),
  ]);
  const seen = new Set();
  const options = { ports: {}, exporterArgs: [], build: true, backfill: true, timeoutSeconds: 180 };
  let base;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--no-build') {
      options.build = false;
      continue;
    }
    if (arg === '--no-backfill') {
      options.backfill = false;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!valueFlags.has(name)) throw new UsageError(`unknown flag --${name}`);
    let value;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      // --exporter-arg's value is itself a flag, so only the = form is unambiguous for it.
      if (value === undefined || (value.startsWith('--') && name !== 'exporter-arg')) {
        throw new UsageError(`--${name} needs a value (--${name}=VALUE)`);
      }
    }
    if (name === 'exporter-arg') {
      options.exporterArgs.push(value);
      continue;
    }
    if (seen.has(name)) throw new UsageError(`--${name} given twice`);
    seen.add(name);
    if (value === '') throw new UsageError(`--${name} needs a value`);
    if (name === 'ports-base') {
      base = parsePort(name, value);
      if (base + SERVICES.length - 1 > 65535)
        throw new UsageError(`--ports-base=${value} leaves no room for 4 ports`);
    } else if (name === 'work-dir') options.workDir = path.resolve(value);
    else if (name === 'prometheus-bin') options.prometheusBin = value;
    else if (name === 'alertmanager-bin') options.alertmanagerBin = value;
    else if (name === 'promtool-bin') options.promtoolBin = value;
    else if (name === 'timeout') {
      if (!/^\d+$/.test(value) || Number(value) < 1)
        throw new UsageError(`--timeout must be a number of seconds`);
      options.timeoutSeconds = Number(value);
    } else {
      const service = SERVICES.find((s) => s.flag === name);
      options.ports[service.key] = parsePort(name, value);
    }
  }
  SERVICES.forEach((service, index) => {
    options.ports[service.key] ??= base === undefined ? service.port : base + index;
  });
  const ports = Object.values(options.ports);
  if (new Set(ports).size !== ports.length) {
    throw new UsageError(
      `the four ports must differ (${SERVICES.map((s) => `${s.name} ${options.ports[s.key]}`).join(', ')})`,
    );
  }
  for (const arg of options.exporterArgs) {
    const flag = arg.replace(/=.*/, '');
    if (flag === '--web.listen-address')
      throw new UsageError("set the exporter's port with --exporter-port, not --exporter-arg");
    if (flag === '--storage.path')
      throw new UsageError("the exporter's store is in the work directory (--work-dir), not --exporter-arg");
    if (flag === '--demo') throw new UsageError('the stack always runs the exporter with --demo');
  }
  return options;
}

// ---------------------------------------------------------------------------------------------------------
// Binaries, ports, configuration

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The binary given with a flag, or the first default found; a one-line error names the Debian package. */
export function findBinary(given, defaults, what, debianPackage, flag) {
  if (given !== undefined) {
    const resolved = given.includes('/') ? path.resolve(given) : onPath(given);
    if (resolved && executable(resolved)) return resolved;
    throw new Error(`${what} binary not found: ${given} (${flag}; Debian: apt-get install ${debianPackage})`);
  }
  for (const candidate of defaults) {
    const resolved = candidate.startsWith('/')
      ? executable(candidate)
        ? candidate
        : undefined
      : onPath(candidate);
    if (resolved) return resolved;
  }
  throw new Error(
    `${what} not found (looked for ${defaults.join(', ')}): apt-get install ${debianPackage}, or pass ${flag}=PATH`,
  );
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Replaces every occurrence of `from`; throws unless it occurs in a line that is not a comment. */
function substitute(text, from, to, file) {
  const inConfig = text.split('\n').some((line) => !/^\s*#/.test(line) && line.includes(from));
  if (!inConfig)
    throw new Error(`${path.relative(ROOT, file)} no longer contains "${from}"; update scripts/stack.mjs`);
  return text.split(from).join(to);
}

/** prometheus.yml for the stack: addresses, intervals and rule_files rewritten (see the header comment). */
export function prometheusConfig(text, ports, sourceFile = PROMETHEUS_YML) {
  let out = substitute(text, 'exporter:9867', `${HOST}:${ports.exporter}`, sourceFile);
  out = substitute(out, 'alertmanager:9093', `${HOST}:${ports.alertmanager}`, sourceFile);
  out = substitute(out, 'localhost:9090', `${HOST}:${ports.prometheus}`, sourceFile);
  let intervals = 0;
  out = out.replace(/^(\s*(?:scrape_interval|evaluation_interval|scrape_timeout):\s*)\S+/gm, (_, key) => {
    intervals++;
    return `${key}${STACK_INTERVAL}`;
  });
  if (intervals < 2)
    throw new Error(`${path.relative(ROOT, sourceFile)}: no scrape/evaluation interval found`);
  // rule_files: a block of "- path" lines; each path is relative to the original file.
  const lines = out.split('\n');
  const start = lines.findIndex((line) => /^rule_files:\s*$/.test(line));
  if (start === -1) throw new Error(`${path.relative(ROOT, sourceFile)}: no rule_files block`);
  let rules = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const match = /^(\s+-\s+)(['"]?)([^'"#]+?)\2\s*$/.exec(lines[i]);
    if (!match) {
      if (/^\s*(#.*)?$/.test(lines[i])) continue;
      break;
    }
    lines[i] = `${match[1]}${JSON.stringify(path.resolve(path.dirname(sourceFile), match[3]))}`;
    rules++;
  }
  if (rules === 0) throw new Error(`${path.relative(ROOT, sourceFile)}: rule_files lists no files`);
  const header = [
    `# Generated by scripts/stack.mjs from ${path.relative(ROOT, sourceFile)}: addresses -> ${HOST} ports,`,
    `# scrape and evaluation intervals -> ${STACK_INTERVAL}, rule_files -> absolute paths. Do not edit.`,
  ];
  return [...header, ...lines].join('\n');
}

/** alertmanager.yml for the stack: the sink's address rewritten. */
export function alertmanagerConfig(text, ports, sourceFile = ALERTMANAGER_YML) {
  const out = substitute(text, 'alert-sink:9099', `${HOST}:${ports.alertSink}`, sourceFile);
  return `# Generated by scripts/stack.mjs from ${path.relative(ROOT, sourceFile)}: alert-sink:9099 -> ${HOST}:${ports.alertSink}. Do not edit.\n${out}`;
}

// ---------------------------------------------------------------------------------------------------------
// Processes

const children = new Map(); // name -> { child, logFile, exited: Promise }
let stopping = false;
let workDir;
let removeWorkDir = false;

// util-linux's setpriv (Essential in Debian) execs the command with a parent-death signal: if this script is
// killed with SIGKILL, its children still get SIGTERM from the kernel instead of running on as orphans.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(executable);

function startChild(name, command, args, logFile, { expectExit = false } = {}) {
  const fd = fs.openSync(logFile, 'a');
  const [file, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
  const child = spawn(file, argv, { cwd: ROOT, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  const entry = { child, logFile, exited, done: false };
  exited.then((result) => {
    entry.done = true;
    if (!stopping && !expectExit) {
      const how = result.error
        ? result.error.message
        : result.signal
          ? `signal ${result.signal}`
          : `code ${result.code}`;
      log(`${name} exited unexpectedly (${how}); last lines of ${logFile}:`);
      process.stderr.write(tail(logFile));
      void shutdown(1);
    }
  });
  children.set(name, entry);
  return entry;
}

function tail(file, lines = 20) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
    return text.map((line) => `  | ${line}\n`).join('');
  } catch {
    return '  | (no log)\n';
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

async function stopAll() {
  await Promise.all(
    [...children.entries()].map(async ([name, { child, exited }]) => {
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'timeout'));
      if ((await Promise.race([exited, timer])) === 'timeout') {
        log(`${name} did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM: SIGKILL`);
      }
      // The leader has exited (or would not): take down anything left in its group.
      signalGroup(child.pid, 'SIGKILL');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    }),
  );
}

let shuttingDown;
function shutdown(code, reason) {
  if (shuttingDown) return shuttingDown;
  stopping = true;
  shuttingDown = (async () => {
    if (reason) log(`${reason}: stopping`);
    await stopAll();
    if (workDir && removeWorkDir) {
      fs.rmSync(workDir, { recursive: true, force: true });
      log(`stopped; removed ${workDir}`);
    } else if (workDir) log(`stopped; kept ${workDir}`);
    else log('stopped');
    process.exit(code);
  })();
  return shuttingDown;
}

/** The parent pid as the kernel sees it now (process.ppid is read once at start-up). */
function currentParentPid() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

async function waitReady(name, url, deadline, logFile) {
  const started = Date.now();
  for (;;) {
    if (stopping) return new Promise(() => {}); // shutdown() exits the process
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        log(`${name} ready (${url}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      log(`${name} not ready (${url}) within --timeout; last lines of ${logFile}:`);
      process.stderr.write(tail(logFile));
      throw new Error(`${name} not ready in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ---------------------------------------------------------------------------------------------------------

async function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`stack: ${err.message} (see --help)\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (shuttingDown && signal === 'SIGINT') {
        log('second Ctrl-C: killing everything now');
        for (const { child } of children.values()) if (child.pid) signalGroup(child.pid, 'SIGKILL');
      }
      void shutdown(0, signal);
    });
  }
  process.on('uncaughtException', (err) => {
    log(`error: ${err.stack || err.message}`);
    void shutdown(1);
  });

  let prometheusBin;
  let alertmanagerBin;
  let promtoolBin;
  try {
    prometheusBin = findBinary(
      options.prometheusBin,
      ['/usr/bin/prometheus', 'prometheus'],
      'Prometheus',
      'prometheus',
      '--prometheus-bin',
    );
    alertmanagerBin = findBinary(
      options.alertmanagerBin,
      ['/usr/bin/prometheus-alertmanager', 'prometheus-alertmanager', 'alertmanager'],
      'Alertmanager',
      'prometheus-alertmanager',
      '--alertmanager-bin',
    );
    promtoolBin = options.backfill
      ? findBinary(
          options.promtoolBin,
          ['/usr/bin/promtool', 'promtool'],
          'promtool',
          'prometheus',
          '--promtool-bin',
        )
      : undefined;
  } catch (err) {
    log(err.message);
    process.exit(1);
  }

  const taken = [];
  for (const service of SERVICES) {
    if (!(await portFree(options.ports[service.key])))
      taken.push(`${options.ports[service.key]} (${service.name})`);
  }
  if (taken.length > 0) {
    log(
      `port${taken.length > 1 ? 's' : ''} already in use on ${HOST}: ${taken.join(', ')}; ` +
        'choose others with --ports-base=N or --exporter-port/--prometheus-port/--alertmanager-port/--sink-port',
    );
    process.exit(1);
  }

  if (options.workDir) {
    workDir = options.workDir;
    fs.mkdirSync(workDir, { recursive: true });
  } else {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-pulse-stack-'));
    removeWorkDir = true;
  }
  const dirs = ['logs', 'prometheus/data', 'alertmanager/data', 'exporter'];
  for (const dir of dirs) fs.mkdirSync(path.join(workDir, dir), { recursive: true });
  const logs = Object.fromEntries(
    [...SERVICES.map((s) => s.key), 'build', 'backfill'].map((key) => [
      key,
      path.join(workDir, 'logs', `${key}.log`),
    ]),
  );

  // Leave when the parent does (e.g. `npm run stack` killed with SIGKILL), rather than run on unowned.
  const parent = currentParentPid();
  if (parent !== undefined) {
    setInterval(() => {
      if (currentParentPid() !== parent) void shutdown(0, 'parent process gone');
    }, 1000).unref();
  }

  const started = Date.now();
  try {
    const promConfig = path.join(workDir, 'prometheus', 'prometheus.yml');
    const amConfig = path.join(workDir, 'alertmanager', 'alertmanager.yml');
    fs.writeFileSync(promConfig, prometheusConfig(fs.readFileSync(PROMETHEUS_YML, 'utf8'), options.ports));
    fs.writeFileSync(amConfig, alertmanagerConfig(fs.readFileSync(ALERTMANAGER_YML, 'utf8'), options.ports));

    if (options.build) {
      log('building the exporter (npm run build --workspace exporter)');
      // npm sets npm_execpath for scripts it runs; otherwise npm from PATH.
      const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
      const build = startBuild(npm[0], [...npm[1], 'run', 'build', '--workspace', 'exporter']);
      const result = await build;
      if (result.code !== 0) {
        log(
          `the exporter build failed (${result.error ? result.error.message : `exit code ${result.code}`})`,
        );
        return shutdown(1);
      }
    }

    const urls = Object.fromEntries(SERVICES.map((s) => [s.key, `http://${HOST}:${options.ports[s.key]}`]));
    startChild(
      'alert sink',
      process.execPath,
      [
        SINK_SCRIPT,
        '--port',
        String(options.ports.alertSink),
        '--host',
        HOST,
        '--out',
        path.join(workDir, 'alerts.jsonl'),
      ],
      logs.alertSink,
    );
    startChild(
      'Alertmanager',
      alertmanagerBin,
      [
        `--config.file=${amConfig}`,
        `--storage.path=${path.join(workDir, 'alertmanager', 'data')}`,
        `--web.listen-address=${HOST}:${options.ports.alertmanager}`,
        `--web.external-url=${urls.alertmanager}/`, // links in notifications (default: this host's name)
        '--cluster.listen-address=', // no gossip port (9094): a single instance
      ],
      logs.alertmanager,
    );
    const userSetsPoll = options.exporterArgs.some((arg) => arg.replace(/=.*/, '') === '--poll.interval');
    const exporterStartedMs = Date.now();
    startChild(
      'exporter',
      process.execPath,
      [
        EXPORTER_BIN,
        '--demo',
        `--web.listen-address=${HOST}:${options.ports.exporter}`,
        `--storage.path=${path.join(workDir, 'exporter', 'compliance-pulse.db')}`,
        ...(userSetsPoll ? [] : [`--poll.interval=${DEMO_POLL_INTERVAL}`]),
        ...options.exporterArgs,
      ],
      logs.exporter,
    );

    const deadline = Date.now() + options.timeoutSeconds * 1000;
    const prometheusData = path.join(workDir, 'prometheus', 'data');
    let backfilled = null;
    await Promise.all([
      waitReady('alert sink', `${urls.alertSink}/healthz`, deadline, logs.alertSink),
      waitReady('Alertmanager', `${urls.alertmanager}/-/ready`, deadline, logs.alertmanager),
      (async () => {
        await waitReady(
          'exporter (after its first poll of the demo account)',
          `${urls.exporter}/-/ready`,
          deadline,
          logs.exporter,
        );
        // Prometheus has run in this data directory before (a kept --work-dir): its history is there already.
        if (options.backfill && !fs.existsSync(path.join(prometheusData, 'wal'))) {
          backfilled = await backfill(urls.exporter, exporterStartedMs, prometheusData);
        } else if (options.backfill) log(`${prometheusData} already holds Prometheus data: no backfill`);
        startChild(
          'Prometheus',
          prometheusBin,
          [
            `--config.file=${promConfig}`,
            `--storage.tsdb.path=${prometheusData}`,
            `--web.listen-address=${HOST}:${options.ports.prometheus}`,
            `--web.external-url=${urls.prometheus}/`, // the alerts' generatorURL (default: this host's name)
            // Longer than the backfilled 30 days, and the daily dashboard reads 30 days.
            '--storage.tsdb.retention.time=31d',
          ],
          logs.prometheus,
        );
        await waitReady('Prometheus', `${urls.prometheus}/-/ready`, deadline, logs.prometheus);
      })(),
    ]);
    if (stopping) return undefined;

    const readySeconds = Math.round((Date.now() - started) / 100) / 10;
    const pids = Object.fromEntries(
      [
        ['exporter', 'exporter'],
        ['prometheus', 'Prometheus'],
        ['alertmanager', 'Alertmanager'],
        ['alertSink', 'alert sink'],
      ].map(([key, name]) => [key, children.get(name).child.pid]),
    );
    const summary = [
      `Compliance Pulse stack ready in ${readySeconds} s:`,
      `  exporter      ${urls.exporter}   (demo account; /metrics, /api/v1/summary)`,
      `  Prometheus    ${urls.prometheus}   (/alerts, /rules, /targets)`,
      `  Alertmanager  ${urls.alertmanager}`,
      `  alert sink    ${urls.alertSink}/alerts   (notifications received; ?receiver=pager)`,
      `  Grafana       not in this stack: it needs Docker (docker compose up, see docs/demo.md)`,
      `  work dir      ${workDir}   (logs/; ${removeWorkDir ? 'removed' : 'kept'} on exit)`,
      'Ctrl-C stops everything.',
    ].join('\n');
    if (process.stdout.isTTY) process.stdout.write(`${summary}\n`);
    else {
      process.stderr.write(`${summary}\n`);
      const { build: _build, ...serviceLogs } = logs;
      process.stdout.write(
        `${JSON.stringify({
          status: 'ready',
          ...urls,
          grafana: null,
          workDir,
          workDirKept: !removeWorkDir,
          logs: serviceLogs,
          pids,
          readySeconds,
          backfill: backfilled,
        })}\n`,
      );
    }
  } catch (err) {
    log(err.message);
    return shutdown(1);
  }
  return undefined;

  /**
   * The demo account's history into Prometheus's data directory (see the header comment): returns the summary
   * of scripts/demo-backfill.mjs and how long it took.
   */
  async function backfill(exporterUrl, exporterStartedMs, dataDir) {
    const begun = Date.now();
    const file = path.join(workDir, 'prometheus', 'backfill.om');
    const summary = await writeBackfill({
      exporterUrl,
      instance: `${HOST}:${options.ports.exporter}`,
      startMs: exporterStartedMs,
      out: file,
    });
    fs.appendFileSync(logs.backfill, `${JSON.stringify(summary)}\n`);
    // https://prometheus.io/docs/prometheus/latest/storage/#backfilling-from-openmetrics-format: day-long blocks
    // rather than the default 2 h ones, so Prometheus opens 31 blocks instead of 360.
    const promtool = startChild(
      'promtool',
      promtoolBin,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir],
      logs.backfill,
      { expectExit: true },
    );
    const timer = setTimeout(() => signalGroup(promtool.child.pid, 'SIGKILL'), BACKFILL_STEP_TIMEOUT_MS);
    const result = await promtool.exited;
    clearTimeout(timer);
    children.delete('promtool');
    fs.rmSync(file, { force: true });
    if (result.code !== 0) {
      process.stderr.write(tail(logs.backfill));
      const how =
        result.signal === 'SIGKILL'
          ? `still running after ${BACKFILL_STEP_TIMEOUT_MS / 1000} s`
          : (result.error?.message ?? `exit code ${result.code}`);
      throw new Error(`promtool tsdb create-blocks-from openmetrics failed (${how}); see ${logs.backfill}`);
    }
    const seconds = Math.round((Date.now() - begun) / 100) / 10;
    log(
      `backfilled ${summary.series} series, ${summary.samples} samples from ` +
        `${new Date(summary.from * 1000).toISOString()} (${seconds} s)` +
        (summary.capped.length > 0
          ? `; capped at the exporter's value: ${summary.capped.length} series`
          : ''),
    );
    return { ...summary, seconds };
  }

  function startBuild(command, args) {
    // In its own process group like the others, so that a stop during the build ends it too.
    const entry = startChild('build', command, args, logs.build, { expectExit: true });
    return entry.exited.then((result) => {
      children.delete('build');
      if (result.code !== 0) process.stderr.write(tail(logs.build, 30));
      return result;
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    log(`error: ${err.stack || err.message}`);
    void shutdown(1);
  });
}
