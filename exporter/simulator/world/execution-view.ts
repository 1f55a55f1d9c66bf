import type { AutomationExecutionRecord, AutomationStatus, StepPlan } from './types';

/**
 * An execution as seen at one instant. Executions are stored as planned timelines, so SSM's view and
 * Config's remediation status are both projections of the same record and can never disagree.
 */
export interface StepView {
  readonly plan: StepPlan;
  readonly status: AutomationStatus;
  readonly startTime?: number;
  readonly endTime?: number;
}

export interface AutomationExecutionView {
  readonly record: AutomationExecutionRecord;
  readonly status: AutomationStatus;
  readonly endTime?: number;
  readonly steps: readonly StepView[];
  readonly currentStep?: StepPlan;
  /** The latest transition at or before "now". */
  readonly lastUpdatedTime: number;
}

export const RETENTION_MS = 30 * 24 * 3_600_000;

export function isExpired(record: AutomationExecutionRecord, nowMs: number): boolean {
  return record.startTime < nowMs - RETENTION_MS;
}

/** Executions not yet started at "now" (created in the simulated future) are invisible. */
export function isVisible(record: AutomationExecutionRecord, nowMs: number): boolean {
  return record.startTime <= nowMs && !isExpired(record, nowMs);
}

export function projectExecution(record: AutomationExecutionRecord, nowMs: number): AutomationExecutionView {
  if (nowMs >= record.endTime) {
    return {
      record,
      status: record.finalStatus,
      endTime: record.endTime,
      steps: record.steps.map((plan) => ({
        plan,
        status: plan.status,
        startTime: plan.startTime,
        endTime: plan.endTime,
      })),
      lastUpdatedTime: record.endTime,
    };
  }
  if (nowMs < record.runningTime) {
    return {
      record,
      status: 'Pending',
      steps: record.steps.map((plan) => ({ plan, status: 'Pending' })),
      lastUpdatedTime: record.startTime,
    };
  }
  let lastUpdatedTime = record.runningTime;
  let currentStep: StepPlan | undefined;
  const steps = record.steps.map((plan): StepView => {
    if (plan.endTime <= nowMs) {
      lastUpdatedTime = Math.max(lastUpdatedTime, plan.endTime);
      return { plan, status: plan.status, startTime: plan.startTime, endTime: plan.endTime };
    }
    if (plan.startTime <= nowMs) {
      lastUpdatedTime = Math.max(lastUpdatedTime, plan.startTime);
      currentStep = plan;
      return { plan, status: 'InProgress', startTime: plan.startTime };
    }
    currentStep ??= plan;
    return { plan, status: 'Pending' };
  });
  return { record, status: 'InProgress', steps, currentStep, lastUpdatedTime };
}

export type RemediationState = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
export type RemediationStepState = 'SUCCEEDED' | 'PENDING' | 'FAILED';

export function remediationStateOf(status: AutomationStatus): RemediationState {
  switch (status) {
    case 'Pending':
    case 'Scheduled':
      return 'QUEUED';
    case 'InProgress':
    case 'Waiting':
    case 'Cancelling':
    case 'RunbookInProgress':
    case 'PendingApproval':
    case 'Approved':
    case 'PendingChangeCalendarOverride':
    case 'ChangeCalendarOverrideApproved':
      return 'IN_PROGRESS';
    case 'Success':
    case 'CompletedWithSuccess':
      return 'SUCCEEDED';
    default:
      return 'FAILED';
  }
}

export function remediationStepStateOf(status: AutomationStatus): RemediationStepState {
  const state = remediationStateOf(status);
  return state === 'QUEUED' || state === 'IN_PROGRESS' ? 'PENDING' : state;
}

/** Config's view of one (rule, resource) remediation: the latest execution for that key. */
export interface RemediationStatusView {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly state: RemediationState;
  readonly invocationTime: number;
  readonly lastUpdatedTime: number;
  readonly stepDetails: ReadonlyArray<{
    name: string;
    state: RemediationStepState;
    errorMessage?: string;
    startTime?: number;
    stopTime?: number;
  }>;
  readonly executionId: string;
}

export function remediationStatusOf(view: AutomationExecutionView): RemediationStatusView {
  const ref = view.record.remediation;
  if (!ref) throw new Error(`execution ${view.record.id} is not a Config remediation`);
  return {
    resourceType: ref.resourceType,
    resourceId: ref.resourceId,
    state: remediationStateOf(view.status),
    invocationTime: view.record.startTime,
    lastUpdatedTime: view.lastUpdatedTime,
    stepDetails: view.steps.map((s) => ({
      name: s.plan.name,
      state: remediationStepStateOf(s.status),
      ...(s.endTime !== undefined && s.plan.failure ? { errorMessage: s.plan.failure.message } : {}),
      ...(s.startTime !== undefined ? { startTime: s.startTime } : {}),
      ...(s.endTime !== undefined ? { stopTime: s.endTime } : {}),
    })),
    executionId: view.record.id,
  };
}
