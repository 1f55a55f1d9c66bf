import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from '../call-log';
import type { Clock } from '../clock';
import { validateFault, type FaultInjector } from '../faults';
import type { Truth } from '../truth';
import type { World } from '../world/world';

/** What the `/_simulator/` endpoints operate on. */
export interface ControlTarget {
  readonly scenario: string;
  readonly seed: number;
  readonly world: World;
  readonly clock: Clock;
  readonly callLog: CallLog;
  readonly faults: FaultInjector;
  readonly truth: Truth;
  readonly regions: readonly string[];
  tick(): void;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ControlError(400, 'the body must be JSON');
  }
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function requireParam(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new ControlError(400, `query parameter ${name} is required`);
  return value;
}

/**
 * HTTP control API for out-of-process users (the demo, benchmarks in another process):
 *
 *   GET    /_simulator/health                          scenario, seed, accounts, regions, simulated now
 *   GET    /_simulator/calls?since=N                   call log entries with seq > N
 *   DELETE /_simulator/calls                           clear the call log
 *   GET    /_simulator/faults                          active faults
 *   POST   /_simulator/faults                          add a fault (JSON body) → { id }
 *   DELETE /_simulator/faults[/ID]                     remove one fault, or all
 *   POST   /_simulator/tick                            one live step → { now }
 *   GET    /_simulator/clock                           → { now }
 *   POST   /_simulator/clock                           { "advanceMs": N } or { "set": ISO-8601 } → { now }
 *   GET    /_simulator/truth/summary                   per account and region totals
 *   GET    /_simulator/truth/region?account=A&region=R rule compliance, evaluation counts, remediation totals
 */
export function handleControl(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
): void {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  try {
    if (method === 'GET' && path === '/_simulator/health') {
      send(res, 200, {
        status: 'ok',
        scenario: target.scenario,
        seed: target.seed,
        now: target.clock.now().toISOString(),
        accounts: target.world.accountIds().length,
        defaultAccountId: target.world.defaultAccountId,
        regions: target.regions,
      });
    } else if (path === '/_simulator/calls' && method === 'GET') {
      const since = Number(url.searchParams.get('since') ?? '0');
      if (!Number.isInteger(since) || since < 0)
        throw new ControlError(400, 'since must be a non-negative integer');
      send(res, 200, { lastSeq: target.callLog.lastSeq(), entries: target.callLog.since(since) });
    } else if (path === '/_simulator/calls' && method === 'DELETE') {
      target.callLog.clear();
      send(res, 200, { cleared: true });
    } else if (path === '/_simulator/faults' && method === 'GET') {
      send(res, 200, { faults: target.faults.list() });
    } else if (path === '/_simulator/faults' && method === 'POST') {
      let fault;
      try {
        fault = validateFault(parseJson(raw));
      } catch (error) {
        throw new ControlError(400, (error as Error).message);
      }
      send(res, 201, { id: target.faults.add(fault) });
    } else if (path === '/_simulator/faults' && method === 'DELETE') {
      target.faults.clear();
      send(res, 200, { cleared: true });
    } else if (path.startsWith('/_simulator/faults/') && method === 'DELETE') {
      target.faults.remove(decodeURIComponent(path.slice('/_simulator/faults/'.length)));
      send(res, 200, { removed: true });
    } else if (path === '/_simulator/tick' && method === 'POST') {
      target.tick();
      send(res, 200, { now: target.clock.now().toISOString() });
    } else if (path === '/_simulator/clock' && method === 'GET') {
      send(res, 200, { now: target.clock.now().toISOString(), mode: target.clock.mode });
    } else if (path === '/_simulator/clock' && method === 'POST') {
      const body = parseJson(raw) as { advanceMs?: unknown; set?: unknown };
      if (typeof body.advanceMs === 'number' && body.advanceMs >= 0) target.clock.advance(body.advanceMs);
      else if (typeof body.set === 'string' && !Number.isNaN(Date.parse(body.set)))
        target.clock.set(new Date(body.set));
      else
        throw new ControlError(400, 'send { "advanceMs": <non-negative number> } or { "set": "<ISO-8601>" }');
      send(res, 200, { now: target.clock.now().toISOString() });
    } else if (path === '/_simulator/truth/summary' && method === 'GET') {
      send(res, 200, { regions: target.truth.summary() });
    } else if (path === '/_simulator/truth/region' && method === 'GET') {
      const accountId = requireParam(url, 'account');
      const region = requireParam(url, 'region');
      if (!target.world.hasRegion(accountId, region))
        throw new ControlError(404, `no Config in ${accountId}/${region}`);
      const finished = target.truth.finishedRemediations(accountId, region);
      send(res, 200, {
        accountId,
        region,
        ruleCompliance: target.truth.ruleCompliance(accountId, region),
        evaluationCounts: target.truth.evaluationCounts(accountId, region),
        noncompliantResources: target.truth.noncompliantResources(accountId, region).length,
        automationExecutions: target.truth.automationExecutions(accountId, region).length,
        finishedRemediations: {
          succeeded: finished.filter((f) => f.state === 'SUCCEEDED').length,
          failed: finished.filter((f) => f.state === 'FAILED').length,
        },
      });
    } else {
      throw new ControlError(404, `no control endpoint ${method} ${path}`);
    }
  } catch (error) {
    if (error instanceof ControlError) send(res, error.status, { error: error.message });
    else send(res, 500, { error: (error as Error).message });
  }
}
