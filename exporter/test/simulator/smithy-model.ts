import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks JSON against a Smithy JSON AST model (the trimmed AWS models in test/fixtures/aws-models):
 * member names, required members, value types, enum values, and AWS JSON 1.1's epoch-second timestamps.
 */
interface ShapeRef {
  target: string;
  traits?: Record<string, unknown>;
}

interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  traits?: Record<string, unknown>;
}

const PRELUDE: Record<string, string> = {
  'smithy.api#String': 'string',
  'smithy.api#Boolean': 'boolean',
  'smithy.api#PrimitiveBoolean': 'boolean',
  'smithy.api#Integer': 'integer',
  'smithy.api#PrimitiveInteger': 'integer',
  'smithy.api#Long': 'long',
  'smithy.api#PrimitiveLong': 'long',
  'smithy.api#Double': 'double',
  'smithy.api#Float': 'float',
  'smithy.api#Timestamp': 'timestamp',
  'smithy.api#Document': 'document',
  'smithy.api#Unit': 'structure',
};

export class SmithyModel {
  private constructor(
    private readonly shapes: Record<string, Shape>,
    readonly namespace: string,
  ) {}

  static load(file: string, namespace: string): SmithyModel {
    const path = join(__dirname, '..', 'fixtures', 'aws-models', file);
    const model = JSON.parse(readFileSync(path, 'utf8')) as { shapes: Record<string, Shape> };
    return new SmithyModel(model.shapes, namespace);
  }

  operationNames(): string[] {
    return Object.entries(this.shapes)
      .filter(([, s]) => s.type === 'operation')
      .map(([id]) => id.slice(id.indexOf('#') + 1));
  }

  private operation(name: string): Shape {
    const op = this.shapes[`${this.namespace}#${name}`];
    if (!op || op.type !== 'operation') throw new Error(`no operation ${name} in the model`);
    return op;
  }

  /** Error shape names the operation models. */
  modeledErrors(operation: string): string[] {
    return (this.operation(operation).errors ?? []).map((e) => e.target.slice(e.target.indexOf('#') + 1));
  }

  /** Problems of an operation's successful output; empty when it conforms. */
  checkOutput(operation: string, body: unknown): string[] {
    const output = this.operation(operation).output?.target;
    if (!output) return [];
    const problems: string[] = [];
    this.check(body, output, operation, problems);
    return problems;
  }

  /** Problems of an error body: `__type` must be modeled (or in the unmodeled list) and the body must fit. */
  checkError(operation: string, body: Record<string, unknown>, unmodeled: readonly string[]): string[] {
    const type = body['__type'];
    if (typeof type !== 'string') return ['error body has no __type'];
    const { __type: _type, ...rest } = body;
    if (this.modeledErrors(operation).includes(type)) {
      const problems: string[] = [];
      this.check(rest, `${this.namespace}#${type}`, `${operation}!${type}`, problems);
      return problems;
    }
    if (!unmodeled.includes(type))
      return [`${operation}: ${type} is neither modeled nor an expected service-wide error`];
    const keys = Object.keys(rest);
    return keys.length === 1 &&
      (keys[0] === 'message' || keys[0] === 'Message') &&
      typeof rest[keys[0]] === 'string'
      ? []
      : [`${operation}: ${type} body should hold only a message, got ${keys.join(', ')}`];
  }

  private check(value: unknown, target: string, path: string, problems: string[]): void {
    if (value === null) {
      problems.push(`${path}: null (absent members must be omitted)`);
      return;
    }
    const prelude = PRELUDE[target];
    const shape: Shape | undefined = prelude ? { type: prelude } : this.shapes[target];
    if (!shape) {
      problems.push(`${path}: unknown shape ${target}`);
      return;
    }
    const fail = (what: string): void => {
      problems.push(`${path}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 80)}`);
    };
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value)) return fail('an object');
        const record = value as Record<string, unknown>;
        const members = shape.members ?? {};
        for (const key of Object.keys(record)) {
          if (!members[key]) problems.push(`${path}: unknown member ${key}`);
        }
        for (const [name, member] of Object.entries(members)) {
          if (record[name] === undefined) {
            if (member.traits?.['smithy.api#required'] !== undefined)
              problems.push(`${path}: missing required member ${name}`);
            continue;
          }
          this.check(record[name], member.target, `${path}.${name}`, problems);
        }
        return;
      }
      case 'union': {
        if (typeof value !== 'object' || Array.isArray(value)) return fail('an object');
        const keys = Object.keys(value as object);
        if (keys.length !== 1) problems.push(`${path}: a union needs exactly one member, got ${keys.length}`);
        for (const key of keys) {
          const member = shape.members?.[key];
          if (!member) problems.push(`${path}: unknown union member ${key}`);
          else this.check((value as Record<string, unknown>)[key], member.target, `${path}.${key}`, problems);
        }
        return;
      }
      case 'list':
      case 'set':
        if (!Array.isArray(value)) return fail('a list');
        value.forEach((item, i) => this.check(item, shape.member?.target ?? '', `${path}[${i}]`, problems));
        return;
      case 'map':
        if (typeof value !== 'object' || Array.isArray(value)) return fail('a map');
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          this.check(k, shape.key?.target ?? 'smithy.api#String', `${path}{key}`, problems);
          this.check(v, shape.value?.target ?? '', `${path}{${k}}`, problems);
        }
        return;
      case 'string': {
        if (typeof value !== 'string') return fail('a string');
        const values = (shape.traits?.['smithy.api#enum'] as Array<{ value: string }> | undefined)?.map(
          (e) => e.value,
        );
        if (values && !values.includes(value))
          problems.push(`${path}: '${value}' is not one of ${values.join(', ')}`);
        return;
      }
      case 'enum': {
        if (typeof value !== 'string') return fail('an enum string');
        const values = Object.values(shape.members ?? {}).map(
          (m) => m.traits?.['smithy.api#enumValue'] as string,
        );
        if (!values.includes(value)) problems.push(`${path}: '${value}' is not one of ${values.join(', ')}`);
        return;
      }
      case 'integer':
      case 'long':
      case 'short':
      case 'byte':
        if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
        return;
      case 'intEnum':
        if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer enum');
        return;
      case 'float':
      case 'double':
        if (typeof value !== 'number') fail('a number');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') fail('a boolean');
        return;
      case 'timestamp':
        if (typeof value !== 'number' || !Number.isFinite(value)) fail('epoch seconds as a JSON number');
        return;
      case 'blob':
        if (typeof value !== 'string') fail('base64 text');
        return;
      case 'document':
        return;
      default:
        problems.push(`${path}: unsupported shape type ${shape.type}`);
    }
  }
}
