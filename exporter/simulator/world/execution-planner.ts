import type { Random } from '../random';
import type {
  AutomationExecutionRecord,
  DocumentRecord,
  DocumentStep,
  ExecutionTrigger,
  FinalStatus,
  ResourceRef,
  StepFailure,
  StepPlan,
} from './types';

/** What a caller decides about an execution; the planner lays out a consistent step timeline from it. */
export interface ExecutionPlanInput {
  readonly id?: string;
  readonly documentName: string;
  /** The document to take steps from; without it a single generic step is planned. */
  readonly document?: DocumentRecord;
  readonly startTime: number;
  readonly status: FinalStatus;
  /** Time spent Pending (Config's QUEUED) before the first step. Default 1–3 s. */
  readonly pendingMs?: number;
  /** From the first step's start to the end. Default 3–40 s. */
  readonly durationMs?: number;
  /** The failure of the failing step (Failed/TimedOut). */
  readonly failure?: StepFailure;
  /** Name of the failing (or cancelled) step; default: the first step. */
  readonly failedStep?: string;
  /** With onFailure: Continue steps, the later steps fail the same way (e.g. every Revoke is denied). */
  readonly failRemainingSteps?: boolean;
  readonly executedBy: string;
  readonly parameters: Record<string, string[]>;
  readonly trigger: ExecutionTrigger;
  readonly remediation?: ResourceRef;
  readonly fixes?: ResourceRef;
  readonly mode?: 'Auto' | 'Interactive';
}

const GENERIC_STEPS: readonly DocumentStep[] = [{ name: 'Run', action: 'aws:executeAwsApi' }];

export function planExecution(input: ExecutionPlanInput, random: Random): AutomationExecutionRecord {
  const docSteps = input.document && input.document.steps.length > 0 ? input.document.steps : GENERIC_STEPS;
  const pendingMs = Math.max(0, Math.round(input.pendingMs ?? random.int(800, 3_000)));
  const durationMs = Math.max(docSteps.length, Math.round(input.durationMs ?? random.int(3_000, 40_000)));
  const runningTime = input.startTime + pendingMs;
  const failIndex =
    input.status === 'Success'
      ? -1
      : Math.max(
          0,
          docSteps.findIndex((s) => s.name === (input.failedStep ?? docSteps[0]?.name)),
        );

  // Which steps run: all of them on success, or when the failing step has onFailure: Continue (the
  // execution still ends Failed, as its steps are critical); otherwise up to the failing step.
  const failingStep = docSteps[failIndex];
  const continues = failingStep?.onFailure === 'Continue' && input.status === 'Failed';
  const lastIndex = failIndex < 0 || continues ? docSteps.length - 1 : failIndex;
  const running = docSteps.slice(0, lastIndex + 1);

  const weights = running.map(() => random.float(0.5, 1.5));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let cursor = runningTime;
  const steps: StepPlan[] = running.map((step, i) => {
    const share = Math.max(1, Math.round((durationMs * (weights[i] ?? 1)) / totalWeight));
    const startTime = cursor;
    const endTime =
      i === running.length - 1
        ? runningTime + durationMs
        : Math.min(cursor + share, runningTime + durationMs - 1);
    cursor = endTime;
    const failed = i >= failIndex && failIndex >= 0 && (i === failIndex || Boolean(input.failRemainingSteps));
    const status: FinalStatus = failed ? input.status : 'Success';
    return {
      stepExecutionId: random.uuid(),
      name: step.name,
      action: step.action,
      ...(step.onFailure !== undefined ? { onFailure: step.onFailure } : {}),
      ...(step.isCritical !== undefined ? { isCritical: step.isCritical } : {}),
      ...(i === docSteps.length - 1 ? { isEnd: true } : { nextStep: docSteps[i + 1]?.name ?? '' }),
      ...(step.timeoutSeconds !== undefined ? { timeoutSeconds: step.timeoutSeconds } : {}),
      ...(step.maxAttempts !== undefined ? { maxAttempts: step.maxAttempts } : {}),
      ...(step.inputs ? { inputs: resolveInputs(step.inputs, input.parameters) } : {}),
      startTime,
      endTime,
      status,
      ...(failed && input.failure && status !== 'Cancelled' ? { failure: input.failure } : {}),
    };
  });

  const firstFailure = steps.find((s) => s.failure)?.failure;
  return {
    id: input.id ?? random.uuid(),
    documentName: input.documentName,
    documentVersion: input.document?.documentVersion ?? '1',
    startTime: input.startTime,
    runningTime,
    endTime: runningTime + durationMs,
    finalStatus: input.status,
    executedBy: input.executedBy,
    mode: input.mode ?? 'Auto',
    parameters: input.parameters,
    ...(firstFailure ? { failureMessage: executionFailureMessage(steps, firstFailure) } : {}),
    steps,
    trigger: input.trigger,
    ...(input.remediation ? { remediation: input.remediation } : {}),
    ...(input.fixes ? { fixes: input.fixes } : {}),
  };
}

/** SSM's execution-level message wraps the failing step's error. */
function executionFailureMessage(steps: readonly StepPlan[], failure: StepFailure): string {
  const step = steps.find((s) => s.failure === failure);
  const phase =
    step?.status === 'TimedOut'
      ? 'Step timed out while step is verifying'
      : 'Step fails when it is Executing';
  return `${phase}. Fail reason: ${failure.message} Please refer to Automation Service Troubleshooting Guide for more diagnosis details.`;
}

/** Replaces `{{ Param }}` references with the execution's parameter values. */
function resolveInputs(
  inputs: Record<string, string>,
  parameters: Record<string, string[]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs)) {
    out[key] = value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
      const values = parameters[name];
      return values ? values.join(',') : whole;
    });
  }
  return out;
}

/**
 * Rewrites a planned execution so that it ends at `at` with `status`: steps after `at` are dropped, the
 * step running at `at` takes the final status. Used by tests and by live mode to settle executions.
 */
export function settleExecution(
  record: AutomationExecutionRecord,
  status: FinalStatus,
  at: number,
  failure?: StepFailure,
): AutomationExecutionRecord {
  const end = Math.max(at, record.startTime);
  const runningTime = Math.min(record.runningTime, end);
  const kept = record.steps.filter((s) => s.startTime < end || s === record.steps[0]);
  const steps = kept.map((s, i): StepPlan => {
    const last = i === kept.length - 1;
    if (!last) return s.endTime <= end ? s : { ...s, endTime: end };
    const { failure: _previous, ...rest } = s;
    return {
      ...rest,
      startTime: Math.min(s.startTime, end),
      endTime: end,
      status,
      ...(status !== 'Success' && status !== 'Cancelled' && failure ? { failure } : {}),
    };
  });
  const firstFailure = steps.find((s) => s.failure)?.failure;
  const { failureMessage: _old, ...base } = record;
  return {
    ...base,
    runningTime,
    endTime: end,
    finalStatus: status,
    steps,
    ...(status !== 'Success' && firstFailure
      ? { failureMessage: executionFailureMessage(steps, firstFailure) }
      : {}),
  };
}
