/**
 * Small decoders for the exporter's JSON answers. Nothing from the network is trusted: every field the plugin reads is
 * checked here, and a mismatch names the JSON path that broke the contract (docs/api.md). Fields the plugin does not
 * read are not decoded, so additions to the API never break the plugin.
 */

export class DecodeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string
  ) {
    super(`${path || 'answer'}: expected ${expected}`);
    this.name = 'DecodeError';
  }
}

export type Decoder<T> = (value: unknown, path: string) => T;

export type Decoded<D> = D extends Decoder<infer T> ? T : never;

export const string: Decoder<string> = (value, path) => {
  if (typeof value !== 'string') {
    throw new DecodeError(path, 'a string');
  }
  return value;
};

export const number: Decoder<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DecodeError(path, 'a number');
  }
  return value;
};

export const boolean: Decoder<boolean> = (value, path) => {
  if (typeof value !== 'boolean') {
    throw new DecodeError(path, 'true or false');
  }
  return value;
};

/** An ISO-8601 timestamp, decoded to epoch milliseconds. */
export const timestamp: Decoder<number> = (value, path) => {
  const epochMs = Date.parse(string(value, path));
  if (Number.isNaN(epochMs)) {
    throw new DecodeError(path, 'an ISO-8601 timestamp');
  }
  return epochMs;
};

/** `null` and a missing field both decode to `null`. */
export function nullable<T>(decode: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null || value === undefined ? null : decode(value, path));
}

/**
 * `null` only: unlike `nullable`, a missing field is a broken contract. For figures where `null` says something (a
 * day before monitoring began), so that an answer without the field is not silently read as "no data".
 */
export function orNull<T>(decode: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null ? null : decode(value, path));
}

/** A field newer exporters send: when it is missing (an older exporter), `fallback` stands in for it. */
export function withDefault<T>(decode: Decoder<T>, fallback: T): Decoder<T> {
  return (value, path) => (value === undefined ? fallback : decode(value, path));
}

export function arrayOf<T>(decode: Decoder<T>): Decoder<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) {
      throw new DecodeError(path, 'an array');
    }
    return value.map((item, index) => decode(item, `${path}[${index}]`));
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordOf<T>(decode: Decoder<T>): Decoder<Record<string, T>> {
  return (value, path) => {
    if (!isPlainObject(value)) {
      throw new DecodeError(path, 'an object');
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item, `${path}.${key}`)]));
  };
}

type Shape = Record<string, Decoder<unknown>>;

export function object<S extends Shape>(shape: S): Decoder<{ [K in keyof S]: Decoded<S[K]> }> {
  return (value, path) => {
    if (!isPlainObject(value)) {
      throw new DecodeError(path, 'an object');
    }
    const decoded: Record<string, unknown> = {};
    for (const [key, decode] of Object.entries(shape)) {
      decoded[key] = decode(value[key], path ? `${path}.${key}` : key);
    }
    // The loop above filled exactly the keys of the shape with their decoded values.
    return decoded as { [K in keyof S]: Decoded<S[K]> };
  };
}
