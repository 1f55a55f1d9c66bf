import { startSimulator } from './simulator';

export interface DemoAccount {
  readonly endpoint: string;
  readonly regions: string[];
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
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
    close: () => simulator.close(),
  };
}
