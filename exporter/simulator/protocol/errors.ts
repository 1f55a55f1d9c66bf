/**
 * An error as AWS puts it on the wire. `code` is the error shape name (`__type`); Config's modeled errors
 * carry `message`, SSM's carry `Message`, and the service-wide ones (ThrottlingException,
 * AccessDeniedException, ...) use `message` everywhere.
 */
export type MessageMember = 'message' | 'Message';

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly messageMember: MessageMember = 'message',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export function configError(code: string, message: string): AwsError {
  return new AwsError(code, message, 400, 'message');
}

export function ssmError(code: string, message: string): AwsError {
  return new AwsError(code, message, 400, 'Message');
}

export function throttlingError(): AwsError {
  return new AwsError('ThrottlingException', 'Rate exceeded', 400);
}

export function accessDeniedError(principalArn: string, action: string, resource?: string): AwsError {
  const on = resource ? ` on resource: ${resource}` : '';
  return new AwsError(
    'AccessDeniedException',
    `User: ${principalArn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`,
    400,
  );
}

/** Coral's standard phrasing for a constraint violation. */
export function validationMessage(value: unknown, member: string, constraint: string): string {
  const shown =
    value === undefined || value === null
      ? 'null'
      : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}
