import type { DocumentRecord, DocumentStep, FinalStatus, StepFailure } from '../world/types';

/** Why a runbook execution did not succeed, in the exporter's own reason vocabulary. */
export type FailureReason =
  'access-denied' | 'throttled' | 'timed-out' | 'resource-not-found' | 'invalid-parameter' | 'cancelled';

export type RunReason = FailureReason | 'success';

export interface RunOutcome {
  readonly status: FinalStatus;
  readonly failure?: StepFailure;
  readonly failedStep?: string;
  readonly failRemainingSteps?: boolean;
}

export interface FailureContext {
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  /** The role Automation assumed (session name: the execution id). */
  readonly roleName: string;
  readonly executionId: string;
  readonly document: DocumentRecord;
}

interface ServiceErrors {
  readonly serviceName: string;
  readonly accessDenied: string;
  readonly throttled: readonly [code: string, message: string];
  readonly notFound: (ctx: FailureContext) => readonly [code: string, message: string];
  readonly invalid: readonly [code: string, message: string];
  readonly arn: (ctx: FailureContext) => string;
}

const SERVICES: Readonly<Record<string, ServiceErrors>> = {
  ec2: {
    serviceName: 'Amazon EC2',
    accessDenied: 'UnauthorizedOperation',
    throttled: ['RequestLimitExceeded', 'Request limit exceeded.'],
    notFound: (ctx) =>
      ctx.resourceId.startsWith('sg-')
        ? ['InvalidGroup.NotFound', `The security group '${ctx.resourceId}' does not exist`]
        : ['InvalidInstanceID.NotFound', `The instance ID '${ctx.resourceId}' does not exist`],
    invalid: ['InvalidPermission.NotFound', 'The specified rule does not exist in this security group.'],
    arn: (ctx) =>
      ctx.resourceId.startsWith('sg-')
        ? `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${ctx.resourceId}`
        : `arn:aws:ec2:${ctx.region}:${ctx.accountId}:instance/${ctx.resourceId}`,
  },
  s3: {
    serviceName: 'Amazon S3',
    accessDenied: 'AccessDenied',
    throttled: ['SlowDown', 'Please reduce your request rate.'],
    notFound: () => ['NoSuchBucket', 'The specified bucket does not exist'],
    invalid: [
      'InvalidRequest',
      'Bucket logging target bucket must be in the same Region as the source bucket.',
    ],
    arn: (ctx) => `arn:aws:s3:::${ctx.resourceId}`,
  },
  rds: {
    serviceName: 'Amazon RDS',
    accessDenied: 'AccessDenied',
    throttled: ['Throttling', 'Rate exceeded'],
    notFound: (ctx) => ['DBInstanceNotFound', `DBInstance ${ctx.resourceId} not found.`],
    invalid: [
      'InvalidParameterCombination',
      'Cannot modify PubliclyAccessible for a DB instance in a subnet group without an internet gateway.',
    ],
    arn: (ctx) => `arn:aws:rds:${ctx.region}:${ctx.accountId}:db:${ctx.resourceId}`,
  },
  kms: {
    serviceName: 'AWS KMS',
    accessDenied: 'AccessDeniedException',
    throttled: ['ThrottlingException', 'Rate exceeded'],
    notFound: (ctx) => [
      'NotFoundException',
      `Key 'arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${ctx.resourceId}' does not exist`,
    ],
    invalid: ['UnsupportedOperationException', 'You cannot perform this operation on an asymmetric KMS key.'],
    arn: (ctx) => `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${ctx.resourceId}`,
  },
  tag: {
    serviceName: 'AWS Resource Groups Tagging API',
    accessDenied: 'AccessDeniedException',
    throttled: ['ThrottledException', 'Rate exceeded'],
    notFound: () => ['InvalidParameterException', 'One or more of the specified resources do not exist.'],
    invalid: [
      'InvalidParameterException',
      'One or more parameter values are not valid: tag values can have a maximum of 256 characters.',
    ],
    arn: (ctx) => ctx.resourceId,
  },
};

function isMutating(step: DocumentStep): boolean {
  const operation = step.api?.split(':')[1] ?? '';
  return step.api !== undefined && !/^(Describe|Get|List)/.test(operation);
}

/** The step a failure of this kind happens in, and the API it was calling. */
function failingStep(document: DocumentRecord, reason: FailureReason): DocumentStep | undefined {
  const steps = document.steps;
  switch (reason) {
    case 'timed-out':
      return steps.find((s) => s.timeoutSeconds !== undefined) ?? steps[steps.length - 1];
    case 'resource-not-found':
      return steps.find((s) => s.api !== undefined) ?? steps[0];
    case 'cancelled':
      return steps[Math.floor(steps.length / 2)];
    default:
      return steps.find(isMutating) ?? steps.find((s) => s.api !== undefined) ?? steps[0];
  }
}

function apiCall(step: DocumentStep): { service: string; operation: string } {
  const [service = 'ec2', action = 'Unknown'] = (step.api ?? 'ec2:Unknown').split(':');
  return { service, operation: step.inputs?.['Api'] ?? action };
}

/** SSM's wording for an AWS API error inside an aws:executeAwsApi step. */
function apiError(code: string, operation: string, message: string, retried = false): string {
  return `An error occurred (${code}) when calling the ${operation} operation${retried ? ' (reached max retries: 4)' : ''}: ${message}`;
}

/** The outcome of a run that ends for the given reason, with failure texts as SSM reports them. */
export function runOutcome(reason: RunReason, ctx: FailureContext): RunOutcome {
  if (reason === 'success') return { status: 'Success' };
  const step = failingStep(ctx.document, reason);
  const stepName = step?.name;
  const continues = step?.onFailure === 'Continue';
  if (reason === 'cancelled') return { status: 'Cancelled', ...(stepName ? { failedStep: stepName } : {}) };
  if (reason === 'timed-out') {
    const seconds = step?.timeoutSeconds ?? 600;
    return {
      status: 'TimedOut',
      ...(stepName ? { failedStep: stepName } : {}),
      failure: {
        message: `Step timed out after ${seconds} seconds while waiting for the resource to reach the desired state.`,
      },
    };
  }
  const { service, operation } = step ? apiCall(step) : { service: 'ec2', operation: 'Unknown' };
  const errors = SERVICES[service] ?? (SERVICES['ec2'] as ServiceErrors);
  let code: string;
  let message: string;
  let type: 'Permission' | 'Throttling' | 'Action';
  switch (reason) {
    case 'access-denied': {
      const action = step?.api ?? `${service}:${operation}`;
      const principal = `arn:aws:sts::${ctx.accountId}:assumed-role/${ctx.roleName}/${ctx.executionId}`;
      code = errors.accessDenied;
      message =
        (code === 'UnauthorizedOperation' ? 'You are not authorized to perform this operation. ' : '') +
        `User: ${principal} is not authorized to perform: ${action} on resource: ${errors.arn(ctx)} because no identity-based policy allows the ${action} action`;
      type = 'Permission';
      break;
    }
    case 'throttled':
      [code, message] = errors.throttled;
      type = 'Throttling';
      break;
    case 'resource-not-found':
      [code, message] = errors.notFound(ctx);
      type = 'Action';
      break;
    case 'invalid-parameter':
      [code, message] = errors.invalid;
      type = 'Action';
      break;
  }
  const text = apiError(code, operation, message, reason === 'throttled');
  return {
    status: 'Failed',
    ...(stepName ? { failedStep: stepName } : {}),
    // A permission gap or a vanished resource fails every later Revoke* step as well.
    ...(continues && (reason === 'access-denied' || reason === 'resource-not-found')
      ? { failRemainingSteps: true }
      : {}),
    failure: {
      message: text,
      details: {
        stage: 'Invocation',
        type,
        details: { ErrorCode: [code], ExceptionMessage: [text], ServiceName: [errors.serviceName] },
      },
    },
  };
}
