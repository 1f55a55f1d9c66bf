import { AwsError, validationMessage } from './errors';

export type JsonObject = { [key: string]: unknown };

/** Turns a constraint-violation message into the error the operation uses for it. */
export type ViolationFactory = (message: string) => AwsError;

export interface InputErrors {
  /** Most constraint violations (InvalidParameterValueException, ValidationException, ...). */
  invalid: ViolationFactory;
  /** Limit/MaxResults out of range (InvalidLimitException on the ops that model it). */
  limit?: ViolationFactory;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function serialization(member: string, expected: string): AwsError {
  return new AwsError(
    'SerializationException',
    `Value for '${lowerFirst(member)}' is not a valid ${expected}`,
    400,
  );
}

/**
 * Typed access to a JSON request body, with AWS's constraint checks. Unknown members are ignored, as AWS
 * ignores them.
 */
export class InputReader {
  constructor(
    readonly body: JsonObject,
    private readonly errors: InputErrors,
  ) {}

  private violation(value: unknown, member: string, constraint: string, limit = false): AwsError {
    const factory = limit && this.errors.limit ? this.errors.limit : this.errors.invalid;
    return factory(validationMessage(value, lowerFirst(member), constraint));
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  optionalString(
    name: string,
    options: { min?: number; max?: number; pattern?: RegExp } = {},
  ): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(name, 'string');
    this.checkString(value, name, options);
    return value;
  }

  requiredString(name: string, options: { min?: number; max?: number; pattern?: RegExp } = {}): string {
    const value = this.optionalString(name, options);
    if (value === undefined) throw this.violation(undefined, name, 'Member must not be null');
    return value;
  }

  private checkString(
    value: string,
    name: string,
    options: { min?: number; max?: number; pattern?: RegExp },
  ): void {
    if (options.min !== undefined && value.length < options.min) {
      throw this.violation(value, name, `Member must have length greater than or equal to ${options.min}`);
    }
    if (options.max !== undefined && value.length > options.max) {
      throw this.violation(value, name, `Member must have length less than or equal to ${options.max}`);
    }
    if (options.pattern && !options.pattern.test(value)) {
      throw this.violation(
        value,
        name,
        `Member must satisfy regular expression pattern: ${options.pattern.source}`,
      );
    }
  }

  /** A page-size member: integers in [min, max]; out of range is the operation's limit error. */
  limit(name: string, min: number, max: number): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(name, 'integer');
    if (value < min)
      throw this.violation(value, name, `Member must have value greater than or equal to ${min}`, true);
    if (value > max)
      throw this.violation(value, name, `Member must have value less than or equal to ${max}`, true);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(name, 'boolean');
    return value;
  }

  stringList(
    name: string,
    options: {
      min?: number;
      max?: number;
      itemMin?: number;
      itemMax?: number;
      enumValues?: readonly string[];
    } = {},
  ): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw serialization(name, 'list');
    if (options.min !== undefined && value.length < options.min) {
      throw this.violation(value, name, `Member must have length greater than or equal to ${options.min}`);
    }
    if (options.max !== undefined && value.length > options.max) {
      throw this.violation(value, name, `Member must have length less than or equal to ${options.max}`);
    }
    for (const item of value) {
      if (typeof item !== 'string') throw serialization(name, 'list of strings');
      this.checkString(item, name, { min: options.itemMin, max: options.itemMax });
      if (options.enumValues && !options.enumValues.includes(item)) {
        throw this.violation(
          value,
          name,
          `Member must satisfy constraint: [Member must satisfy enum value set: [${options.enumValues.join(', ')}]]`,
        );
      }
    }
    return value as string[];
  }

  enumValue<T extends string>(name: string, values: readonly T[], required = false): T | undefined {
    const value = required ? this.requiredString(name) : this.optionalString(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      throw this.violation(value, name, `Member must satisfy enum value set: [${values.join(', ')}]`);
    }
    return value as T;
  }

  object(name: string): InputReader | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw serialization(name, 'structure');
    return new InputReader(value as JsonObject, this.errors);
  }

  objectList(name: string, options: { min?: number; max?: number } = {}): InputReader[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw serialization(name, 'list');
    if (options.min !== undefined && value.length < options.min) {
      throw this.violation(value, name, `Member must have length greater than or equal to ${options.min}`);
    }
    if (options.max !== undefined && value.length > options.max) {
      throw this.violation(value, name, `Member must have length less than or equal to ${options.max}`);
    }
    return value.map((item) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        throw serialization(name, 'structure');
      return new InputReader(item as JsonObject, this.errors);
    });
  }
}
