import type { Request } from 'express';
import { isTimeZone, parseDate } from '../../kpi/calendar';
import { HttpError } from '../errors';

const invalid = (parameter: string, message: string) => new HttpError(400, 'invalid_parameter', `${parameter} ${message}`, parameter);

/** Reads and validates a request's query string; every problem is a 400 that names the parameter. */
export class QueryReader {
  private readonly query: Record<string, unknown>;

  constructor(req: Request, allowed: readonly string[]) {
    this.query = req.query as Record<string, unknown>;
    for (const name of Object.keys(this.query)) {
      if (!allowed.includes(name)) throw invalid(name, `is not a parameter of this endpoint (allowed: ${allowed.join(', ') || 'none'})`);
    }
  }

  string(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(name, 'must be given once');
    if (value.length > 1024) throw invalid(name, 'is too long');
    return value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw invalid(name, 'is required');
    return value;
  }

  /** A comma-separated list, or the parameter repeated. */
  list(name: string, allowedValues?: readonly string[]): string[] {
    const raw = this.query[name];
    if (raw === undefined) return [];
    const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => {
      if (typeof v !== 'string') throw invalid(name, 'must be a comma-separated list');
      return v.split(',');
    });
    const values = parts.map((v) => v.trim());
    if (values.some((v) => v === '' || v.length > 256)) throw invalid(name, 'has an empty or overlong item');
    if (values.length > 100) throw invalid(name, 'lists more than 100 values');
    if (allowedValues) {
      const bad = values.find((v) => !allowedValues.includes(v));
      if (bad !== undefined) throw invalid(name, `has an unknown value "${bad}" (allowed: ${allowedValues.join(', ')})`);
    }
    return [...new Set(values)];
  }

  date(name: string): string {
    const value = this.required(name);
    if (!parseDate(value)) throw invalid(name, 'must be a calendar date YYYY-MM-DD (years 1970–2999)');
    return value;
  }

  timeZone(name: string, fallback: string): string {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!isTimeZone(value)) throw invalid(name, `is not a known IANA time zone ("${value}")`);
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!(values as readonly string[]).includes(value)) throw invalid(name, `must be one of ${values.join(', ')}`);
    return value as T;
  }

  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw invalid(name, `must be a whole number from ${min} to ${max}`);
    return Number(value);
  }

  /** An opaque keyset cursor from a previous answer. */
  cursor<T>(name: string, isValid: (value: unknown) => value is T): T | undefined {
    const value = this.string(name);
    if (value === undefined || value === '') return undefined;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      throw invalid(name, 'is not a cursor this API returned');
    }
    if (!isValid(decoded)) throw invalid(name, 'is not a cursor this API returned');
    return decoded;
  }
}

export const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export { invalid as invalidParameter };
