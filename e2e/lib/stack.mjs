/**
 * `npm run stack` as a child of the test: started on free ports, read through its JSON line, stopped with SIGTERM,
 * and checked afterwards for anything left behind (processes, process groups, ports, the work directory).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

import { ROOT } from './dashboards.mjs';

/** True when 127.0.0.1:`port` can be bound now. */
function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base N with N..N+3 free on 127.0.0.1 (the stack's --ports-base layout), away from the default ports. */
export async function freePortsBase() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all([0, 1, 2, 3].map((offset) => portFree(base + offset)));
    if (free.every(Boolean)) {
      return base;
    }
  }
  throw new Error('no four consecutive free ports found');
}

/**
 * Starts `npm run stack --silent -- --ports-base=<free> <extraArgs>` and resolves once its JSON line arrived:
 * { child, ready, stderr(), exited }. Rejects with the stack's stderr when it exits first or takes longer than
 * `timeoutMs`.
 */
export async function startStack({ extraArgs = [], timeoutMs }) {
  const base = await freePortsBase();
  const child = spawn('npm', ['run', 'stack', '--silent', '--', `--ports-base=${base}`, ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  const ready = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      reject(new Error(`npm run stack: no JSON line within ${timeoutMs / 1000} s; stderr:\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{')) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`npm run stack exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
  });
  return { child, ready, base, exited, startedAfterMs: Date.now() - started, stderr: () => stderr };
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** "pid (command)" of every process whose process group is one of `groups` (Linux /proc). */
export function membersOfGroups(groups) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (groups.includes(Number(fields[2]))) {
        found.push(`${entry} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)}`);
      }
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** Polls `check` until it returns true or `timeoutMs` passes; resolves with the last value. */
export async function until(check, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * SIGTERM to npm (which passes it on to scripts/stack.mjs, which stops its services), then checks that it
 * exited, and that no started process, no member of their process groups, no port and no work directory is
 * left. Resolves with a list of problems (empty when clean) and the exit status. Only as a last resort, for a
 * stack that did not stop, SIGKILLs the process groups the stack reported as its own.
 */
export async function stopStack(stack) {
  const problems = [];
  const { child, ready } = stack;
  const pids = Object.values(ready?.pids ?? {});
  const stopStarted = Date.now();
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
  }
  const result = await Promise.race([
    stack.exited,
    new Promise((resolve) => setTimeout(resolve, 30_000, { code: 'still running after 30 s' }).unref()),
  ]);
  if (result.code !== 0) {
    problems.push(`npm run stack exit: ${JSON.stringify(result)}`);
  }
  if (!(await until(() => pids.every((pid) => !alive(pid)), 5_000))) {
    problems.push(`still running: ${pids.filter(alive).join(', ')}`);
  }
  const left = membersOfGroups([...pids, child.pid]);
  if (left.length > 0) {
    problems.push(`processes left in the stack's process groups: ${left.join('; ')}`);
  }
  if (ready?.workDir && existsSync(ready.workDir)) {
    problems.push(`work directory ${ready.workDir} not removed`);
  }
  for (const url of [ready?.exporter, ready?.prometheus, ready?.alertmanager, ready?.alertSink].filter(
    Boolean,
  )) {
    const port = Number(new URL(url).port);
    if (!(await until(() => portFree(port), 5_000))) {
      problems.push(`port ${port} still in use`);
    }
  }
  if (problems.length > 0) {
    for (const group of pids) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  return { problems, result, stopSeconds: (Date.now() - stopStarted) / 1000 };
}
