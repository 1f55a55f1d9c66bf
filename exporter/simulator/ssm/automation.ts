import { cursorTuple } from '../pagination';
import { ssmError } from '../protocol/errors';
import { InputReader, type JsonObject } from '../protocol/input';
import { epochSeconds, nextToken, readCursor, type JsonOperation } from '../protocol/operation';
import {
  isExpired,
  projectExecution,
  type AutomationExecutionView,
  type StepView,
} from '../world/execution-view';
import { AUTOMATION_STATUSES, type AutomationExecutionRecord } from '../world/types';
import { invalidNextToken, regionOf, SSM_ERRORS } from './common';

const EXECUTIONS_DEFAULT_MAX_RESULTS = 50;
const STEPS_DEFAULT_MAX_RESULTS = 50;

const FILTER_KEYS = [
  'DocumentNamePrefix',
  'ExecutionStatus',
  'ExecutionId',
  'ParentExecutionId',
  'CurrentAction',
  'StartTimeBefore',
  'StartTimeAfter',
  'AutomationType',
  'TagKey',
  'TargetResourceGroup',
  'AutomationSubtype',
  'OpsItemId',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const STEP_FILTER_KEYS = [
  'StartTimeBefore',
  'StartTimeAfter',
  'StepExecutionStatus',
  'StepExecutionId',
  'StepName',
  'Action',
  'ParentStepExecutionId',
  'ParentStepIteration',
  'ParentStepIteratorValue',
] as const;
type StepFilterKey = (typeof STEP_FILTER_KEYS)[number];

function timeMember(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : epochSeconds(ms);
}

function compact(record: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

export function executionMetadataShape(view: AutomationExecutionView): JsonObject {
  const r = view.record;
  const terminal = view.endTime !== undefined;
  return compact({
    AutomationExecutionId: r.id,
    DocumentName: r.documentName,
    DocumentVersion: r.documentVersion,
    AutomationExecutionStatus: view.status,
    ExecutionStartTime: epochSeconds(r.startTime),
    ExecutionEndTime: timeMember(view.endTime),
    ExecutedBy: r.executedBy,
    LogFile: '',
    Outputs: terminal ? (r.outputs ?? {}) : {},
    Mode: r.mode,
    CurrentStepName: view.currentStep?.name,
    CurrentAction: view.currentStep?.action,
    FailureMessage: terminal ? r.failureMessage : undefined,
    Targets: [],
    ResolvedTargets: { ParameterValues: [], Truncated: false },
    AutomationType: 'Local',
  });
}

export function stepExecutionShape(step: StepView): JsonObject {
  const p = step.plan;
  const finished = step.endTime !== undefined;
  return compact({
    StepName: p.name,
    Action: p.action,
    TimeoutSeconds: p.timeoutSeconds,
    OnFailure: p.onFailure ?? 'Abort',
    MaxAttempts: p.maxAttempts ?? 1,
    ExecutionStartTime: timeMember(step.startTime),
    ExecutionEndTime: timeMember(step.endTime),
    StepStatus: step.status,
    Inputs: p.inputs ?? {},
    Outputs: finished && p.outputs ? p.outputs : undefined,
    FailureMessage: finished ? p.failure?.message : undefined,
    FailureDetails:
      finished && p.failure?.details
        ? compact({
            FailureStage: p.failure.details.stage,
            FailureType: p.failure.details.type,
            Details: p.failure.details.details,
          })
        : undefined,
    StepExecutionId: p.stepExecutionId,
    IsEnd: p.isEnd ?? false,
    NextStep: p.nextStep,
    IsCritical: p.isCritical ?? true,
  });
}

function executionShape(view: AutomationExecutionView): JsonObject {
  const metadata = executionMetadataShape(view);
  // AutomationExecution has no LogFile or AutomationType, unlike the metadata of DescribeAutomationExecutions.
  const { LogFile: _log, AutomationType: _type, ...rest } = metadata;
  return {
    ...rest,
    StepExecutions: view.steps.map(stepExecutionShape),
    StepExecutionsTruncated: false,
    Parameters: view.record.parameters,
  };
}

/** Parses an ISO-8601 filter value (SSM takes e.g. `2025-05-28T15:30:00Z`). */
function parseTime(value: string, key: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw ssmError('InvalidFilterValue', `The filter value ${value} is not valid for the filter key ${key}.`);
  }
  return ms;
}

type ExecutionPredicate = (record: AutomationExecutionRecord, view: () => AutomationExecutionView) => boolean;

function executionPredicate(filters: InputReader[] | undefined): ExecutionPredicate {
  const tests: ExecutionPredicate[] = [];
  for (const filter of filters ?? []) {
    const key = filter.enumValue('Key', FILTER_KEYS, true) as FilterKey;
    const values = filter.stringList('Values', { min: 1, max: 10, itemMin: 1, itemMax: 150 }) ?? [];
    if (values.length === 0)
      throw SSM_ERRORS.invalid(
        "1 validation error detected: Value null at 'filters.member.values' failed to satisfy constraint: Member must not be null",
      );
    switch (key) {
      case 'DocumentNamePrefix':
        tests.push((r) => values.some((v) => r.documentName.startsWith(v)));
        break;
      case 'ExecutionStatus': {
        for (const v of values) {
          if (!(AUTOMATION_STATUSES as readonly string[]).includes(v)) {
            throw ssmError(
              'InvalidFilterValue',
              `The filter value ${v} is not valid for the filter key ExecutionStatus.`,
            );
          }
        }
        tests.push((_r, view) => values.includes(view().status));
        break;
      }
      case 'ExecutionId':
        tests.push((r) => values.includes(r.id));
        break;
      case 'CurrentAction':
        tests.push((_r, view) => values.includes(view().currentStep?.action ?? ''));
        break;
      case 'StartTimeBefore': {
        const times = values.map((v) => parseTime(v, key));
        tests.push((r) => times.some((t) => r.startTime <= t));
        break;
      }
      case 'StartTimeAfter': {
        const times = values.map((v) => parseTime(v, key));
        tests.push((r) => times.some((t) => r.startTime >= t));
        break;
      }
      case 'AutomationType':
        for (const v of values) {
          if (v !== 'CrossAccount' && v !== 'Local') {
            throw ssmError(
              'InvalidFilterValue',
              `The filter value ${v} is not valid for the filter key AutomationType.`,
            );
          }
        }
        tests.push(() => values.includes('Local'));
        break;
      // The simulated executions have no parents, tags, resource groups, change requests or OpsItems.
      case 'ParentExecutionId':
      case 'TagKey':
      case 'TargetResourceGroup':
      case 'AutomationSubtype':
      case 'OpsItemId':
        tests.push(() => false);
        break;
    }
  }
  return (record, view) => tests.every((t) => t(record, view));
}

export const describeAutomationExecutions: JsonOperation = {
  service: 'ssm',
  name: 'DescribeAutomationExecutions',
  handle(body, ctx) {
    const input = new InputReader(body, SSM_ERRORS);
    const filters = input.objectList('Filters', { min: 1, max: 10 });
    const maxResults = input.limit('MaxResults', 1, 50) ?? EXECUTIONS_DEFAULT_MAX_RESULTS;
    const matches = executionPredicate(filters);
    const cursor = readCursor(body, ctx, invalidNextToken);
    const before =
      cursor === undefined ? undefined : cursorTuple(cursor, ['number', 'string'] as const, invalidNextToken);

    const state = regionOf(ctx);
    const now = ctx.clock.nowMs();
    const records = state?.executionRecords() ?? [];
    const items: JsonObject[] = [];
    let last: AutomationExecutionRecord | undefined;
    let more = false;
    // Newest first: walk the ascending store backwards from just below the cursor.
    for (let i = before && state ? state.executionIndexBefore(before) : records.length - 1; i >= 0; i--) {
      const record = records[i] as AutomationExecutionRecord;
      if (isExpired(record, now)) break;
      if (record.startTime > now) continue;
      let projected: AutomationExecutionView | undefined;
      const view = (): AutomationExecutionView => (projected ??= projectExecution(record, now));
      if (!matches(record, view)) continue;
      if (items.length === maxResults) {
        more = true;
        break;
      }
      items.push(executionMetadataShape(view()));
      last = record;
    }
    return {
      AutomationExecutionMetadataList: items,
      ...(more && last ? { NextToken: nextToken(body, ctx, [last.startTime, last.id]) } : {}),
    };
  },
};

function requireExecution(
  input: InputReader,
  ctx: Parameters<JsonOperation['handle']>[1],
): AutomationExecutionView {
  const id = input.requiredString('AutomationExecutionId', { min: 36, max: 36 });
  const view = regionOf(ctx)?.execution(id);
  if (!view) {
    throw ssmError(
      'AutomationExecutionNotFoundException',
      `Automation Execution with Id ${id} does not exist.`,
    );
  }
  return view;
}

export const getAutomationExecution: JsonOperation = {
  service: 'ssm',
  name: 'GetAutomationExecution',
  handle(body, ctx) {
    const view = requireExecution(new InputReader(body, SSM_ERRORS), ctx);
    return { AutomationExecution: executionShape(view) };
  },
};

export const describeAutomationStepExecutions: JsonOperation = {
  service: 'ssm',
  name: 'DescribeAutomationStepExecutions',
  handle(body, ctx) {
    const input = new InputReader(body, SSM_ERRORS);
    const view = requireExecution(input, ctx);
    const filters = input.objectList('Filters', { min: 1, max: 6 }) ?? [];
    const maxResults = input.limit('MaxResults', 1, 50) ?? STEPS_DEFAULT_MAX_RESULTS;
    const reverse = input.optionalBoolean('ReverseOrder') ?? false;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const served = cursor === undefined ? 0 : cursorTuple(cursor, ['number'] as const, invalidNextToken)[0];

    const tests = filters.map((filter) => {
      const key = filter.enumValue('Key', STEP_FILTER_KEYS, true) as StepFilterKey;
      const values = filter.stringList('Values', { min: 1, max: 10, itemMin: 1, itemMax: 150 }) ?? [];
      switch (key) {
        case 'StepExecutionStatus':
          return (s: StepView) => values.includes(s.status);
        case 'StepExecutionId':
          return (s: StepView) => values.includes(s.plan.stepExecutionId);
        case 'StepName':
          return (s: StepView) => values.includes(s.plan.name);
        case 'Action':
          return (s: StepView) => values.includes(s.plan.action);
        case 'StartTimeBefore': {
          const times = values.map((v) => parseTime(v, key));
          return (s: StepView) =>
            s.startTime !== undefined && times.some((t) => (s.startTime as number) <= t);
        }
        case 'StartTimeAfter': {
          const times = values.map((v) => parseTime(v, key));
          return (s: StepView) =>
            s.startTime !== undefined && times.some((t) => (s.startTime as number) >= t);
        }
        default:
          return () => false;
      }
    });
    const ordered = view.steps.filter((s) => tests.every((t) => t(s)));
    if (reverse) ordered.reverse();
    const page = ordered.slice(served, served + maxResults);
    return {
      StepExecutions: page.map(stepExecutionShape),
      ...(served + maxResults < ordered.length
        ? { NextToken: nextToken(body, ctx, [served + maxResults]) }
        : {}),
    };
  },
};
