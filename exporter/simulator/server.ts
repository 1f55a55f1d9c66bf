import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { CallLog } from './call-log';
import type { Clock } from './clock';
import { CONFIG_OPERATIONS } from './config-service';
import type { FaultInjector, TerminalFault } from './faults';
import type { TokenCodec } from './pagination';
import { identifyCaller, parseSdkRequest, type Caller } from './protocol/caller';
import { accessDeniedError, AwsError, throttlingError } from './protocol/errors';
import type { JsonObject } from './protocol/input';
import { errorBody, parseJsonBody, TARGET_PREFIXES, writeJson, writeJsonError } from './protocol/json11';
import type { JsonOperation, ServiceName } from './protocol/operation';
import { parseForm, queryError, queryErrorCode, queryResponse, type XmlTree } from './protocol/query-sts';
import type { RateLimiter } from './rate-limit';
import { SSM_OPERATIONS } from './ssm';
import type { SessionStore } from './sts/sessions';
import { assumeRole, getCallerIdentity, STS_ACTIONS, type StsAction } from './sts/sts';
import type { World } from './world/world';

export interface ServerDeps {
  readonly world: World;
  readonly clock: Clock;
  readonly tokens: TokenCodec;
  readonly sessions: SessionStore;
  readonly faults: FaultInjector;
  readonly rateLimiter: RateLimiter;
  readonly callLog: CallLog;
  /** Handles `/_simulator/*`. */
  readonly control: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  readonly log: (line: string) => void;
  /** Aborted on close, so that injected latency does not hold the server open. */
  readonly shutdown: AbortSignal;
}

const JSON_OPERATIONS = new Map<string, JsonOperation>(
  [...CONFIG_OPERATIONS, ...SSM_OPERATIONS].map((op) => [
    `${op.service === 'config' ? 'StarlingDoveService' : 'AmazonSSM'}.${op.name}`,
    op,
  ]),
);

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A request after routing: which protocol, service and operation, and who sent it. */
interface Routed {
  readonly protocol: 'json' | 'query';
  readonly service: ServiceName | 'unknown';
  readonly operation: string;
  readonly params: JsonObject;
  readonly caller: Caller;
  readonly jsonOperation?: JsonOperation;
  readonly stsAction?: StsAction;
  /** A request that can be answered only with this error (bad body, unknown operation, ...). */
  readonly rejection?: AwsError;
}

/** What to send back. */
type Outcome =
  | { kind: 'answer'; status: number; body: string; errorCode?: string; headers: Record<string, string> }
  | { kind: 'drop' }
  | { kind: 'hang' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AwsError('SerializationException', 'Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function route(req: IncomingMessage, raw: string, deps: ServerDeps): Routed {
  const caller = identifyCaller(req.headers, deps.world, deps.sessions);
  const target = req.headers['x-amz-target'];
  const contentType = req.headers['content-type'] ?? '';
  if (typeof target === 'string') {
    const [prefix = '', operation = ''] = target.split('.', 2);
    const service: ServiceName | 'unknown' =
      prefix in TARGET_PREFIXES ? TARGET_PREFIXES[prefix as keyof typeof TARGET_PREFIXES] : 'unknown';
    let params: JsonObject = {};
    try {
      params = parseJsonBody(raw);
    } catch (error) {
      return { protocol: 'json', service, operation, params, caller, rejection: error as AwsError };
    }
    const jsonOperation = JSON_OPERATIONS.get(target);
    if (req.method !== 'POST' || !jsonOperation) {
      return {
        protocol: 'json',
        service,
        operation: operation || target,
        params,
        caller,
        rejection: new AwsError(
          'UnknownOperationException',
          `Operation ${target} is not supported by the simulator`,
          400,
        ),
      };
    }
    return { protocol: 'json', service, operation, params, caller, jsonOperation };
  }
  if (req.method === 'POST' && contentType.includes('application/x-www-form-urlencoded')) {
    const form = parseForm(raw);
    const { Action: action = '', Version: _version, ...params } = form;
    if (!(STS_ACTIONS as readonly string[]).includes(action)) {
      return {
        protocol: 'query',
        service: 'sts',
        operation: action,
        params,
        caller,
        rejection: new AwsError(
          'InvalidAction',
          `Could not find operation ${action} for version 2011-06-15`,
          400,
        ),
      };
    }
    return {
      protocol: 'query',
      service: 'sts',
      operation: action,
      params,
      caller,
      stsAction: action as StsAction,
    };
  }
  return {
    protocol: 'json',
    service: 'unknown',
    operation: `${req.method ?? ''} ${req.url ?? ''}`,
    params: {},
    caller,
    rejection: new AwsError(
      'UnknownOperationException',
      'Requests need an X-Amz-Target header (AWS JSON 1.1) or a form body (STS)',
      400,
    ),
  };
}

function errorOutcome(routed: Routed, error: AwsError, requestId: string): Outcome {
  if (routed.protocol === 'query') {
    const code = queryErrorCode(error.code);
    const status = code === 'AccessDenied' ? 403 : error.status;
    return {
      kind: 'answer',
      status,
      body: queryError(code, error.message, status, requestId),
      errorCode: code,
      headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
    };
  }
  return {
    kind: 'answer',
    status: error.status,
    body: errorBody(error),
    errorCode: error.code,
    headers: { 'x-amzn-ErrorType': error.code, ...error.headers },
  };
}

function faultError(routed: Routed, effect: TerminalFault): AwsError {
  switch (effect.kind) {
    case 'throttle':
      return throttlingError();
    case 'access-denied':
      return accessDeniedError(routed.caller.principalArn, actionOf(routed));
    case 'server-error':
      if (effect.status === 503)
        return new AwsError('ServiceUnavailable', 'Service is unavailable. Try again later.', 503);
      return routed.service === 'ssm'
        ? new AwsError('InternalServerError', 'An error occurred on the server side.', 500, 'Message')
        : new AwsError(
            'InternalFailure',
            'The request processing has failed because of an unknown error, exception or failure.',
            500,
          );
    case 'error':
      return new AwsError(
        effect.code,
        effect.message ?? effect.code,
        effect.status,
        routed.service === 'ssm' ? 'Message' : 'message',
      );
    default:
      throw new Error(`fault ${effect.kind} has no error form`);
  }
}

/** The Config rule names a request carries, for rule-scoped faults. */
function ruleNamesOf(params: JsonObject): string[] {
  const single = params['ConfigRuleName'];
  const list = params['ConfigRuleNames'];
  return [
    ...(typeof single === 'string' ? [single] : []),
    ...(Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string') : []),
  ];
}

/**
 * Holds a hung request until the client closes the connection. On shutdown it destroys the socket and
 * resolves at once, so that the call is logged before close() resolves.
 */
function untilAbandoned(req: IncomingMessage, res: ServerResponse, shutdown: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const end = () => {
      shutdown.removeEventListener('abort', end);
      req.socket.destroy();
      resolve();
    };
    if (req.socket.destroyed || shutdown.aborted) return end();
    res.once('close', end);
    shutdown.addEventListener('abort', end, { once: true });
  });
}

function actionOf(routed: Pick<Routed, 'service' | 'operation'>): string {
  return `${routed.service}:${routed.operation}`;
}

/** Runs the operation itself. */
function execute(routed: Routed, deps: ServerDeps, requestId: string): Outcome {
  const { caller } = routed;
  if (routed.rejection) return errorOutcome(routed, routed.rejection, requestId);
  if (!caller.accessKeyId) {
    return errorOutcome(
      routed,
      new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
      requestId,
    );
  }
  if (caller.session && caller.session.expiration < Date.now()) {
    return errorOutcome(
      routed,
      new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400),
      requestId,
    );
  }
  try {
    if (routed.stsAction) {
      const ctx = { world: deps.world, sessions: deps.sessions, caller, realNowMs: Date.now() };
      const result: XmlTree =
        routed.stsAction === 'AssumeRole'
          ? assumeRole(routed.params as Record<string, string>, ctx)
          : getCallerIdentity(ctx);
      return {
        kind: 'answer',
        status: 200,
        body: queryResponse(routed.stsAction, result, requestId),
        headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
      };
    }
    const op = routed.jsonOperation as JsonOperation;
    const result = op.handle(routed.params, {
      world: deps.world,
      clock: deps.clock,
      tokens: deps.tokens,
      accountId: caller.accountId,
      region: caller.region,
      operation: op.name,
      principalArn: caller.principalArn,
    });
    return { kind: 'answer', status: 200, body: JSON.stringify(result), headers: {} };
  } catch (error) {
    if (error instanceof AwsError) return errorOutcome(routed, error, requestId);
    deps.log(`simulator: ${actionOf(routed)} failed: ${(error as Error).stack ?? String(error)}`);
    return errorOutcome(
      routed,
      new AwsError('InternalFailure', 'The simulator failed to answer this request.', 500),
      requestId,
    );
  }
}

/** The call log's errorCode: the AWS error, or what happened to a request that got no answer. */
function errorCodeOf(outcome: Outcome): { errorCode?: string } {
  if (outcome.kind === 'drop') return { errorCode: 'ConnectionDropped' };
  if (outcome.kind === 'hang') return { errorCode: 'Hung' };
  return outcome.errorCode ? { errorCode: outcome.errorCode } : {};
}

async function handleAws(
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  deps: ServerDeps,
): Promise<void> {
  const started = performance.now();
  const arrived = new Date().toISOString();
  const requestId = randomUUID();
  const routed = route(req, raw, deps);
  const action = actionOf(routed);
  const target = {
    service: routed.service,
    operation: routed.operation,
    action,
    accountId: routed.caller.accountId,
    region: routed.caller.region,
    ruleNames: ruleNamesOf(routed.params),
  };

  let outcome: Outcome;
  let faultId: string | undefined;
  if (!routed.rejection && !deps.rateLimiter.allow(action, target.accountId, target.region)) {
    outcome = errorOutcome(routed, throttlingError(), requestId);
  } else {
    const decision = routed.rejection ? { latencyMs: 0 } : deps.faults.decide(target);
    if (decision.latencyMs > 0) {
      try {
        await delay(decision.latencyMs, undefined, { signal: deps.shutdown });
      } catch {
        req.socket.destroy();
        return;
      }
    }
    const terminal = 'terminal' in decision ? decision.terminal : undefined;
    faultId = terminal?.faultId;
    if (!terminal) {
      outcome = execute(routed, deps, requestId);
    } else if (terminal.effect.kind === 'drop-connection') {
      outcome = { kind: 'drop' };
    } else if (terminal.effect.kind === 'hang') {
      outcome = { kind: 'hang' };
    } else if (terminal.effect.kind === 'malformed-body') {
      const real = execute(routed, deps, requestId);
      const body = real.kind === 'answer' ? real.body.slice(0, Math.floor(real.body.length / 2)) : '';
      const headers: Record<string, string> =
        routed.protocol === 'query' ? { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId } : {};
      outcome = { kind: 'answer', status: 200, body, headers };
    } else {
      outcome = errorOutcome(routed, faultError(routed, terminal.effect), requestId);
    }
  }

  // A hung call is logged once it ends: when the client gives up or the simulator closes.
  if (outcome.kind === 'hang') await untilAbandoned(req, res, deps.shutdown);
  const { attempt, maxAttempts } = parseSdkRequest(req.headers['amz-sdk-request'] as string | undefined);
  deps.callLog.record({
    time: arrived,
    service: routed.service,
    operation: routed.operation,
    action,
    accountId: target.accountId,
    region: target.region,
    params: routed.params,
    status: outcome.kind === 'answer' ? outcome.status : 0,
    ...errorCodeOf(outcome),
    ...(attempt !== undefined ? { attempt } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    durationMs: performance.now() - started,
    requestId,
    ...(faultId ? { faultId } : {}),
  });

  if (outcome.kind !== 'answer') {
    req.socket.destroy();
    return;
  }
  if (routed.protocol === 'query') {
    res.writeHead(outcome.status, { 'Content-Length': Buffer.byteLength(outcome.body), ...outcome.headers });
    res.end(outcome.body);
  } else {
    writeJson(res, outcome.status, outcome.body, requestId, outcome.headers);
  }
}

export function createSimulatorServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        if (path === '/_simulator' || path.startsWith('/_simulator/')) {
          deps.control(req, res, raw);
          return;
        }
        return handleAws(req, res, raw, deps);
      })
      .catch((error: unknown) => {
        if (res.headersSent) return;
        const awsError =
          error instanceof AwsError
            ? error
            : new AwsError('InternalFailure', 'The simulator failed to answer this request.', 500);
        if (!(error instanceof AwsError)) deps.log(`simulator: request failed: ${String(error)}`);
        writeJsonError(res, awsError, randomUUID());
      });
  });
  // The SDK keeps connections alive between calls; keep them a little longer than its idle sockets.
  server.keepAliveTimeout = 10_000;
  return server;
}
