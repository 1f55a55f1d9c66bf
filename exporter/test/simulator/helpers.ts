import {
  ConfigServiceClient,
  paginateDescribeComplianceByConfigRule,
  paginateDescribeConfigRules,
  paginateGetComplianceDetailsByConfigRule,
  type ComplianceType,
} from '@aws-sdk/client-config-service';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { ResourceIdentifier, RuleState, RunningSimulator } from '../../simulator';

/** A fixed start time, so that scenario data is identical run after run. */
export const START = new Date('2026-11-29T03:00:00.000Z');

export interface ClientOptions {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  /**
   * Milliseconds the SDK waits for an answer before it gives up on a request (with throwOnRequestTimeout:
   * without it, this SDK version only logs a warning).
   */
  requestTimeout?: number;
}

function common(sim: RunningSimulator, options: ClientOptions) {
  return {
    region: options.region ?? 'us-east-1',
    endpoint: sim.endpoint,
    credentials: options.credentials ?? sim.credentials(),
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.requestTimeout !== undefined
      ? { requestHandler: { requestTimeout: options.requestTimeout, throwOnRequestTimeout: true } }
      : {}),
  };
}

/** Real SDK clients aimed at the simulator. Retries are off unless asked for. */
export function configClient(sim: RunningSimulator, options: ClientOptions = {}): ConfigServiceClient {
  return new ConfigServiceClient(common(sim, options));
}

export function ssmClient(sim: RunningSimulator, options: ClientOptions = {}): SSMClient {
  return new SSMClient(common(sim, options));
}

export function stsClient(sim: RunningSimulator, options: ClientOptions = {}): STSClient {
  return new STSClient(common(sim, options));
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** A hand-made AWS JSON 1.1 request, for checks below the SDK (wire format, unknown targets). */
export async function rawCall(
  sim: RunningSimulator,
  target: string,
  body: unknown,
  options: { region?: string; accessKeyId?: string; auth?: boolean } = {},
): Promise<RawAnswer> {
  const accessKeyId = options.accessKeyId ?? sim.credentials().accessKeyId;
  const service = target.startsWith('AmazonSSM') ? 'ssm' : 'config';
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': target,
  };
  if (options.auth !== false) {
    headers['Authorization'] =
      `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261129/${options.region ?? 'us-east-1'}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  }
  const response = await fetch(`${sim.endpoint}/`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // left empty: malformed-body checks look at the text
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Waits until a condition holds (no fixed sleeps); fails with the message after the timeout. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects the error an async call throws (fails the test when it does not throw). */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

async function resourcesWith(
  config: ConfigServiceClient,
  ruleName: string,
  type: ComplianceType,
): Promise<ResourceIdentifier[]> {
  const found: ResourceIdentifier[] = [];
  const pages = paginateGetComplianceDetailsByConfigRule(
    { client: config, pageSize: 100 },
    { ConfigRuleName: ruleName, ComplianceTypes: [type] },
  );
  for await (const page of pages) {
    for (const e of page.EvaluationResults ?? []) {
      const q = e.EvaluationResultIdentifier?.EvaluationResultQualifier;
      found.push({ resourceType: q?.ResourceType ?? '', resourceId: q?.ResourceId ?? '' });
    }
  }
  return found;
}

/**
 * Every rule of the region as the wire shows it, in the shape of `truth.ruleStates`. Service-linked rules
 * deny their details: they come with empty resource lists (compare with `asSeenOnTheWire(truth)`).
 */
export async function wireRuleStates(config: ConfigServiceClient): Promise<RuleState[]> {
  const compliance = new Map<string, string>();
  for await (const page of paginateDescribeComplianceByConfigRule({ client: config }, {}))
    for (const c of page.ComplianceByConfigRules ?? [])
      compliance.set(c.ConfigRuleName ?? '', c.Compliance?.ComplianceType ?? 'missing');
  const out: RuleState[] = [];
  for await (const page of paginateDescribeConfigRules({ client: config }, {})) {
    for (const rule of page.ConfigRules ?? []) {
      const name = rule.ConfigRuleName ?? '';
      const serviceLinked = rule.CreatedBy !== undefined || rule.RuleEvaluationVisibility === 'INTERNAL';
      out.push({
        ruleName: name,
        configRuleId: rule.ConfigRuleId ?? '',
        configRuleArn: rule.ConfigRuleArn ?? '',
        compliance: (compliance.get(name) ?? 'missing') as RuleState['compliance'],
        serviceLinked,
        nonCompliantResources: serviceLinked ? [] : await resourcesWith(config, name, 'NON_COMPLIANT'),
        compliantResources: serviceLinked ? [] : await resourcesWith(config, name, 'COMPLIANT'),
      });
    }
  }
  return out;
}

/** The truth with the resource lists of service-linked rules emptied, as `wireRuleStates` reports them. */
export function asSeenOnTheWire(truth: readonly RuleState[]): RuleState[] {
  return truth.map((r) =>
    r.serviceLinked ? { ...r, nonCompliantResources: [], compliantResources: [] } : r,
  );
}
