import type { ServiceName } from './protocol/operation';
import { Random } from './random';
import { TokenBuckets } from './rate-limit';

/** Which requests a fault applies to; every field given must match. */
export interface FaultScope {
  service?: ServiceName;
  /** Operation names (`GetComplianceDetailsByConfigRule`) or IAM actions (`config:GetComplianceDetailsByConfigRule`). */
  operation?: string | readonly string[];
  accountId?: string;
  region?: string;
  /**
   * A Config rule name: matches requests whose `ConfigRuleName` is this rule, or whose `ConfigRuleNames` list
   * contains it. Requests that name no rule do not match.
   */
  rule?: string;
  /** Chance (0–1) that a matching request is affected, drawn from the seeded generator. Default 1. */
  probability?: number;
  /** Affect only the next N matching requests, then remove the fault. */
  times?: number;
}

export type FaultEffect =
  /** 400 `{"__type":"ThrottlingException","message":"Rate exceeded"}`. */
  | { kind: 'throttle' }
  /** A TPS budget of its own (token bucket per account, region and operation); throttles above it. */
  | { kind: 'rate-limit'; tps: number; burst?: number }
  /** Delays the answer; combines with other faults. */
  | { kind: 'latency'; ms: number }
  /** 500 InternalFailure (SSM: InternalServerError) or 503 ServiceUnavailable. */
  | { kind: 'server-error'; status?: 500 | 503 }
  /** 400 AccessDeniedException naming the IAM action (STS: 403 AccessDenied). */
  | { kind: 'access-denied' }
  /** 200 with the real answer's JSON cut in half. */
  | { kind: 'malformed-body' }
  /** Destroys the socket without answering. */
  | { kind: 'drop-connection' }
  /**
   * Reads the request and never answers (an AWS endpoint seen from a private subnet without a NAT gateway);
   * the socket stays open until the client gives up or the simulator closes.
   */
  | { kind: 'hang' }
  /** Any other AWS error. */
  | { kind: 'error'; status: number; code: string; message?: string };

export type Fault = FaultScope & FaultEffect;

export interface FaultTarget {
  readonly service: ServiceName | 'unknown';
  readonly operation: string;
  readonly action: string;
  readonly accountId: string;
  readonly region: string;
  /** The rule names the request carries (`ConfigRuleName`, `ConfigRuleNames`). */
  readonly ruleNames: readonly string[];
}

export type TerminalFault = Exclude<FaultEffect, { kind: 'latency' } | { kind: 'rate-limit' }>;

export interface FaultDecision {
  latencyMs: number;
  terminal?: { faultId: string; effect: TerminalFault };
}

interface ActiveFault {
  readonly id: string;
  readonly fault: Fault;
  remaining: number | undefined;
}

function matches(fault: Fault, target: FaultTarget): boolean {
  if (fault.service !== undefined && fault.service !== target.service) return false;
  if (fault.accountId !== undefined && fault.accountId !== target.accountId) return false;
  if (fault.region !== undefined && fault.region !== target.region) return false;
  if (fault.rule !== undefined && !target.ruleNames.includes(fault.rule)) return false;
  if (fault.operation !== undefined) {
    const ops = typeof fault.operation === 'string' ? [fault.operation] : fault.operation;
    if (!ops.some((op) => op === target.operation || op === target.action)) return false;
  }
  return true;
}

export class FaultInjector {
  private readonly active: ActiveFault[] = [];
  private readonly random: Random;
  private readonly buckets: TokenBuckets;
  private nextId = 1;

  constructor(seed: number, realNow?: () => number) {
    this.random = Random.derive(seed, 'faults');
    this.buckets = new TokenBuckets(realNow);
  }

  add(fault: Fault): string {
    const checked = validateFault(fault);
    const id = `fault-${this.nextId++}`;
    this.active.push({ id, fault: checked, remaining: checked.times });
    return id;
  }

  remove(id: string): void {
    const i = this.active.findIndex((f) => f.id === id);
    if (i >= 0) this.active.splice(i, 1);
  }

  clear(): void {
    this.active.length = 0;
  }

  list(): Array<{ id: string; fault: Fault; remaining?: number }> {
    return this.active.map((f) => ({
      id: f.id,
      fault: f.fault,
      ...(f.remaining !== undefined ? { remaining: f.remaining } : {}),
    }));
  }

  /** Applies the faults, in the order they were added, to one request. */
  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const entry of [...this.active]) {
      const { fault } = entry;
      if (!matches(fault, target)) continue;
      if (fault.kind === 'rate-limit') {
        const key = `${entry.id}/${target.accountId}/${target.region}/${target.operation}`;
        if (
          !this.buckets.take(key, {
            tps: fault.tps,
            ...(fault.burst !== undefined ? { burst: fault.burst } : {}),
          })
        ) {
          decision.terminal = { faultId: entry.id, effect: { kind: 'throttle' } };
          return decision;
        }
        continue;
      }
      if (fault.probability !== undefined && !this.random.chance(fault.probability)) continue;
      this.consume(entry);
      if (fault.kind === 'latency') {
        decision.latencyMs += fault.ms;
        continue;
      }
      decision.terminal = { faultId: entry.id, effect: effectOf(fault) };
      return decision;
    }
    return decision;
  }

  private consume(entry: ActiveFault): void {
    if (entry.remaining === undefined) return;
    entry.remaining--;
    if (entry.remaining <= 0) this.remove(entry.id);
  }
}

function effectOf(fault: Fault): TerminalFault {
  switch (fault.kind) {
    case 'server-error':
      return { kind: 'server-error', ...(fault.status !== undefined ? { status: fault.status } : {}) };
    case 'error':
      return {
        kind: 'error',
        status: fault.status,
        code: fault.code,
        ...(fault.message !== undefined ? { message: fault.message } : {}),
      };
    case 'throttle':
    case 'access-denied':
    case 'malformed-body':
    case 'drop-connection':
    case 'hang':
      return { kind: fault.kind };
    default:
      throw new Error(`fault kind ${fault.kind} is not terminal`);
  }
}

export const FAULT_KINDS: readonly string[] = [
  'throttle',
  'rate-limit',
  'latency',
  'server-error',
  'access-denied',
  'malformed-body',
  'drop-connection',
  'hang',
  'error',
];

/** Checks a fault that may come from JSON (control API, CLI); throws a readable Error. */
export function validateFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('a fault must be a JSON object');
  const f = input as Record<string, unknown>;
  const kind = f['kind'];
  if (typeof kind !== 'string' || !FAULT_KINDS.includes(kind))
    throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  const optionalString = (name: string) => {
    if (f[name] !== undefined && typeof f[name] !== 'string')
      throw new Error(`fault ${name} must be a string`);
  };
  optionalString('accountId');
  optionalString('region');
  optionalString('rule');
  if (f['service'] !== undefined && !['config', 'ssm', 'sts'].includes(f['service'] as string)) {
    throw new Error('fault service must be config, ssm or sts');
  }
  const op = f['operation'];
  if (
    op !== undefined &&
    typeof op !== 'string' &&
    !(Array.isArray(op) && op.every((o) => typeof o === 'string'))
  ) {
    throw new Error('fault operation must be a string or a list of strings');
  }
  const p = f['probability'];
  if (p !== undefined && (typeof p !== 'number' || p < 0 || p > 1))
    throw new Error('fault probability must be between 0 and 1');
  const times = f['times'];
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new Error('fault times must be a positive integer');
  }
  const positive = (name: string, required: boolean) => {
    const v = f[name];
    if (v === undefined && !required) return;
    if (typeof v !== 'number' || !(v >= 0)) throw new Error(`fault ${name} must be a non-negative number`);
  };
  if (kind === 'latency') positive('ms', true);
  if (kind === 'rate-limit') {
    positive('tps', true);
    positive('burst', false);
  }
  if (kind === 'server-error' && f['status'] !== undefined && f['status'] !== 500 && f['status'] !== 503) {
    throw new Error('server-error status must be 500 or 503');
  }
  if (kind === 'error') {
    if (typeof f['status'] !== 'number' || typeof f['code'] !== 'string')
      throw new Error('error faults need status and code');
    optionalString('message');
  }
  return input as Fault;
}
