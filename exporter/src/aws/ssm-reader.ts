import {
  GetAutomationExecutionCommand,
  paginateDescribeAutomationExecutions,
  type AutomationExecutionFilter,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { AutomationExecution, AutomationExecutionDetail } from '../model';
import { hasErrorCode } from './errors';

const seconds = (d: Date | undefined): number | undefined => (d === undefined ? undefined : d.getTime() / 1000);
/** SSM takes StartTimeAfter as an ISO-8601 string, to the second. */
const isoSeconds = (epochSeconds: number): string => new Date(Math.floor(epochSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Reads SSM Automation history for one account and region. */
export class AutomationReader {
  constructor(private readonly client: SSMClient) {}

  /** Every execution that started at or after `startedAfter` (epoch seconds), newest first as SSM lists them. */
  listStartedAfter(startedAfter: number, signal: AbortSignal): Promise<AutomationExecution[]> {
    return this.list([{ Key: 'StartTimeAfter', Values: [isoSeconds(startedAfter)] }], signal);
  }

  /** The current state of the given executions (SSM filters at most 10 ids per call). */
  async listByIds(ids: readonly string[], signal: AbortSignal): Promise<AutomationExecution[]> {
    const answer: AutomationExecution[] = [];
    for (let i = 0; i < ids.length; i += 10) {
      answer.push(...(await this.list([{ Key: 'ExecutionId', Values: ids.slice(i, i + 10) }], signal)));
    }
    return answer;
  }

  /** Parameters and failure details of one execution; undefined once SSM no longer has it. */
  async getDetail(id: string, signal: AbortSignal): Promise<AutomationExecutionDetail | undefined> {
    try {
      const out = await this.client.send(new GetAutomationExecutionCommand({ AutomationExecutionId: id }), { abortSignal: signal });
      const execution = out.AutomationExecution;
      if (!execution) return undefined;
      const failedStep = execution.StepExecutions?.find((s) => s.FailureDetails !== undefined || s.FailureMessage !== undefined);
      return {
        id,
        parameters: execution.Parameters ?? {},
        failureType: failedStep?.FailureDetails?.FailureType,
        failureMessage: failedStep?.FailureMessage ?? execution.FailureMessage,
      };
    } catch (err) {
      if (hasErrorCode(err, 'AutomationExecutionNotFoundException')) return undefined;
      throw err;
    }
  }

  private async list(filters: AutomationExecutionFilter[], signal: AbortSignal): Promise<AutomationExecution[]> {
    const answer: AutomationExecution[] = [];
    const pages = paginateDescribeAutomationExecutions(
      { client: this.client, pageSize: 50, stopOnSameToken: true },
      { Filters: filters },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const e of page.AutomationExecutionMetadataList ?? []) {
        if (!e.AutomationExecutionId || !e.DocumentName || !e.ExecutionStartTime) continue;
        answer.push({
          id: e.AutomationExecutionId,
          document: e.DocumentName,
          status: e.AutomationExecutionStatus ?? 'Pending',
          startedAt: seconds(e.ExecutionStartTime) ?? 0,
          endedAt: seconds(e.ExecutionEndTime),
          failureMessage: e.FailureMessage,
          executedBy: e.ExecutedBy,
        });
      }
    }
    return answer;
  }
}
