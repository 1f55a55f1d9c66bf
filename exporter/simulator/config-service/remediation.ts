import { cursorTuple } from '../pagination';
import { configError } from '../protocol/errors';
import { InputReader, type JsonObject } from '../protocol/input';
import { epochSeconds, nextToken, readCursor, type JsonOperation } from '../protocol/operation';
import type { RemediationStatusView } from '../world/execution-view';
import type { RemediationConfigRecord } from '../world/types';
import { invalidNextToken, PARAMETER_ERRORS, regionOf, ruleNames, VALIDATION_ERRORS } from './common';

const EXECUTION_STATUS_DEFAULT_LIMIT = 100;

export function remediationConfigurationShape(c: RemediationConfigRecord): JsonObject {
  const parameters: JsonObject = {};
  for (const [name, value] of Object.entries(c.parameters)) {
    parameters[name] =
      'resourceValue' in value
        ? { ResourceValue: { Value: value.resourceValue } }
        : { StaticValue: { Values: value.staticValues } };
  }
  return {
    ConfigRuleName: c.ruleName,
    TargetType: 'SSM_DOCUMENT',
    TargetId: c.targetId,
    ...(c.targetVersion !== undefined ? { TargetVersion: c.targetVersion } : {}),
    Parameters: parameters,
    ...(c.resourceType !== undefined ? { ResourceType: c.resourceType } : {}),
    Automatic: c.automatic,
    ...(c.concurrentExecutionRatePercentage !== undefined || c.errorPercentage !== undefined
      ? {
          ExecutionControls: {
            SsmControls: {
              ...(c.concurrentExecutionRatePercentage !== undefined
                ? { ConcurrentExecutionRatePercentage: c.concurrentExecutionRatePercentage }
                : {}),
              ...(c.errorPercentage !== undefined ? { ErrorPercentage: c.errorPercentage } : {}),
            },
          },
        }
      : {}),
    ...(c.maximumAutomaticAttempts !== undefined
      ? { MaximumAutomaticAttempts: c.maximumAutomaticAttempts }
      : {}),
    ...(c.retryAttemptSeconds !== undefined ? { RetryAttemptSeconds: c.retryAttemptSeconds } : {}),
    Arn: c.arn,
    ...(c.createdByService !== undefined ? { CreatedByService: c.createdByService } : {}),
  };
}

export function remediationStatusShape(s: RemediationStatusView): JsonObject {
  return {
    ResourceKey: { resourceType: s.resourceType, resourceId: s.resourceId },
    State: s.state,
    StepDetails: s.stepDetails.map((d) => ({
      Name: d.name,
      State: d.state,
      ...(d.errorMessage !== undefined ? { ErrorMessage: d.errorMessage } : {}),
      ...(d.startTime !== undefined ? { StartTime: epochSeconds(d.startTime) } : {}),
      ...(d.stopTime !== undefined ? { StopTime: epochSeconds(d.stopTime) } : {}),
    })),
    InvocationTime: epochSeconds(s.invocationTime),
    LastUpdatedTime: epochSeconds(s.lastUpdatedTime),
  };
}

export const describeRemediationConfigurations: JsonOperation = {
  service: 'config',
  name: 'DescribeRemediationConfigurations',
  handle(body, ctx) {
    const input = new InputReader(body, VALIDATION_ERRORS);
    if (!input.has('ConfigRuleNames')) {
      throw VALIDATION_ERRORS.invalid(
        "1 validation error detected: Value null at 'configRuleNames' failed to satisfy constraint: Member must not be null",
      );
    }
    const names = ruleNames(input) ?? [];
    const state = regionOf(ctx);
    const configs = [...new Set(names)]
      .map((name) => state?.remediationConfiguration(name))
      .filter((c): c is RemediationConfigRecord => c !== undefined);
    return { RemediationConfigurations: configs.map(remediationConfigurationShape) };
  },
};

export const describeRemediationExecutionStatus: JsonOperation = {
  service: 'config',
  name: 'DescribeRemediationExecutionStatus',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    const ruleName = input.requiredString('ConfigRuleName', { min: 1, max: 128 });
    const keys = input.objectList('ResourceKeys', { min: 1, max: 100 })?.map((k) => ({
      resourceType: k.requiredString('resourceType'),
      resourceId: k.requiredString('resourceId', { min: 1, max: 768 }),
    }));
    const limit = input.limit('Limit', 0, 100) || EXECUTION_STATUS_DEFAULT_LIMIT;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string', 'string'] as const, invalidNextToken);

    const state = regionOf(ctx);
    if (!state?.remediationConfiguration(ruleName)) {
      throw configError(
        'NoSuchRemediationConfigurationException',
        `No RemediationConfiguration for rule exists: ${ruleName}`,
      );
    }
    const now = ctx.clock.nowMs();
    const index = state.remediationIndex(ruleName);
    const wanted = keys ? new Set(keys.map((k) => `${k.resourceType}\u0000${k.resourceId}`)) : undefined;
    const entries = index?.view() ?? [];
    const statuses: RemediationStatusView[] = [];
    let i = after && index ? index.upperBound(after) : 0;
    let more = false;
    for (; i < entries.length; i++) {
      const entry = entries[i];
      if (!entry || (wanted && !wanted.has(`${entry.resourceType}\u0000${entry.resourceId}`))) continue;
      const status = state.remediationStatusFor(entry.executionId, now);
      if (!status) continue;
      if (statuses.length === limit) {
        more = true;
        break;
      }
      statuses.push(status);
    }
    const last = statuses[statuses.length - 1];
    return {
      RemediationExecutionStatuses: statuses.map(remediationStatusShape),
      ...(more && last ? { NextToken: nextToken(body, ctx, [last.resourceType, last.resourceId]) } : {}),
    };
  },
};

/** The simulated accounts hold no remediation exceptions; the operation answers with an empty list. */
export const describeRemediationExceptions: JsonOperation = {
  service: 'config',
  name: 'DescribeRemediationExceptions',
  handle(body, ctx) {
    const input = new InputReader(body, PARAMETER_ERRORS);
    input.requiredString('ConfigRuleName', { min: 1, max: 128 });
    input.objectList('ResourceKeys', { min: 1, max: 100 });
    input.limit('Limit', 0, 100);
    readCursor(body, ctx, invalidNextToken);
    return { RemediationExceptions: [] };
  },
};
