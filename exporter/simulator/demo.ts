import { AWS_RATE_LIMITS } from './rate-limit';
import { TAGGING_RUNBOOK } from './scenario/runbooks';
import { startSimulator } from './simulator';

export interface DemoAccount {
  readonly endpoint: string;
  readonly regions: string[];
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** The auto-tagging runbook EventBridge starts: a remediation outside Config's remediation configurations. */
  readonly remediationDocuments: string[];
  /** Just under the account's own request limits per operation (its `aws` rate limits), for the exporter's pacing. */
  readonly requestsPerSecond: { config: number; ssm: number };
  close(): Promise<void>;
}

/**
 * The simulated AWS account behind `compliance-pulse-exporter --demo`: the default scenario, live, on an
 * ephemeral port, with AWS's rate limits so the exporter's pacing is exercised as in production.
 */
export async function startDemoAccount(
  options: { seed?: number; log?: (line: string) => void } = {},
): Promise<DemoAccount> {
  const simulator = await startSimulator({
    scenario: 'default',
    live: true,
    port: 0,
    rateLimits: 'aws',
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    endpoint: simulator.endpoint,
    regions: simulator.regions,
    credentials: simulator.credentials(),
    remediationDocuments: [TAGGING_RUNBOOK],
    // 10 % below the limits: the two token buckets do not tick in step, and a throttle is a wasted request.
    requestsPerSecond: {
      config: 0.9 * (AWS_RATE_LIMITS['config:*']?.tps ?? 1),
      ssm: 0.9 * Math.min(...['ssm:DescribeAutomationExecutions', 'ssm:GetAutomationExecution'].map((a) => AWS_RATE_LIMITS[a]?.tps ?? 1)),
    },
    close: () => simulator.close(),
  };
}
