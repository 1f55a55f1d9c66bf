import type { ServiceName } from './protocol/operation';

/** One request as the simulator saw it: for API-efficiency benchmarks and least-privilege checks. */
export interface CallLogEntry {
  /** Increasing per simulator, starting at 1. */
  readonly seq: number;
  /** Wall-clock time the request arrived (ISO-8601). */
  readonly time: string;
  readonly service: ServiceName | 'unknown';
  readonly operation: string;
  /** IAM action, e.g. `config:DescribeConfigRules`. */
  readonly action: string;
  readonly accountId: string;
  readonly region: string;
  /** The request parameters (JSON body, or the STS form fields without credentials). */
  readonly params: Readonly<Record<string, unknown>>;
  /** 0 when no answer was sent (dropped or hung). */
  readonly status: number;
  /**
   * AWS error code when the request failed, e.g. `ThrottlingException`; `ConnectionDropped` or `Hung` for
   * requests that got no answer (a hung call is logged when the client gives up or the simulator closes).
   */
  readonly errorCode?: string;
  /** From `amz-sdk-request: attempt=N; max=M`. */
  readonly attempt?: number;
  readonly maxAttempts?: number;
  readonly durationMs: number;
  readonly requestId: string;
  /** Id of the injected fault that shaped this answer, if any. */
  readonly faultId?: string;
}

/** Keeps the most recent entries; older ones are dropped past the limit (seq numbers keep counting). */
export class CallLog {
  private items: CallLogEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly limit = 200_000) {}

  record(entry: Omit<CallLogEntry, 'seq'>): CallLogEntry {
    const full: CallLogEntry = { seq: this.nextSeq++, ...entry };
    this.items.push(full);
    if (this.items.length > this.limit * 1.25) this.items = this.items.slice(this.items.length - this.limit);
    return full;
  }

  entries(): CallLogEntry[] {
    return this.items.slice();
  }

  /** Entries with seq > the given one. */
  since(seq: number): CallLogEntry[] {
    const first = this.items[0];
    if (!first) return [];
    const start = Math.max(0, seq - first.seq + 1);
    return this.items.slice(start);
  }

  /** The seq of the newest entry (0 when none yet). */
  lastSeq(): number {
    return this.nextSeq - 1;
  }

  clear(): void {
    this.items = [];
  }
}
