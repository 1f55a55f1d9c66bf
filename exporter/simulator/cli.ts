import { parseArgs } from 'node:util';
import { FAULT_KINDS, validateFault, type Fault } from './faults';
import { SCENARIOS, type ScenarioName } from './scenario';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator';

const NAME = 'compliance-pulse-simulator';
export const DEFAULT_PORT = 4590;

const USAGE = `Usage: ${NAME} [options]

A simulated AWS account (AWS Config, SSM Automation and STS) for Compliance Pulse.

Options:
  --port N                 port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H                 address to listen on (default 127.0.0.1)
  --scenario NAME          ${SCENARIOS.join(' | ')} (default default)
  --seed S                 integer seed of the generated account (default 1)
  --live                   keep the account moving (violations, remediations, fixes)
  --transitions            live, and rules also pass through transitions at random: results deleted and
                           re-evaluated, all NOT_APPLICABLE, rule re-created, resources deleted (soak tests)
  --tick-ms N              live step interval in milliseconds (default 2000)
  --start-time ISO         simulated start time (default: now)
  --rate-limits off|aws    throttle above AWS's request rates (default off)
  --external-id ID         ExternalId required by the organization scenario's member roles
  --members N              member accounts of the organization scenario (default 200)
  --fault JSON             inject a fault, e.g. '{"kind":"throttle","operation":"DescribeConfigRules","probability":0.2}'
                           or '{"kind":"hang","rule":"restricted-ssh"}' (repeatable; see docs/simulator.md)
                           kinds: ${FAULT_KINDS.join(', ')}
                           scope: service, operation, accountId, region, rule, probability, times
  --help                   show this help
`;

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Registers the shutdown handler for SIGINT and SIGTERM. */
  onShutdownSignal(handler: () => void): void;
  setExitCode(code: number): void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  onShutdownSignal(handler) {
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  },
  setExitCode(code) {
    process.exitCode = code;
  },
};

class UsageError extends Error {}

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be an integer, got '${text}'`);
  const value = Number(text);
  if (value < min || value > max)
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses the command line; throws UsageError with a one-line message. */
export function parseCliArgs(
  argv: readonly string[],
): { help: true } | { help: false; options: SimulatorOptions; faults: Fault[] } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
        live: { type: 'boolean' },
        transitions: { type: 'boolean' },
        'tick-ms': { type: 'string' },
        'start-time': { type: 'string' },
        'rate-limits': { type: 'string' },
        'external-id': { type: 'string' },
        members: { type: 'string' },
        fault: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) return { help: true };
  const scenario = values.scenario ?? 'default';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new UsageError(`unknown scenario '${scenario}' (use ${SCENARIOS.join(', ')})`);
  }
  const rateLimits = values['rate-limits'] ?? 'off';
  if (rateLimits !== 'off' && rateLimits !== 'aws')
    throw new UsageError(`--rate-limits must be off or aws, got '${rateLimits}'`);
  let startTime: Date | undefined;
  if (values['start-time'] !== undefined) {
    startTime = new Date(values['start-time']);
    if (Number.isNaN(startTime.getTime()))
      throw new UsageError(`--start-time must be an ISO-8601 time, got '${values['start-time']}'`);
  }
  const faults = (values.fault ?? []).map((text) => {
    try {
      return validateFault(JSON.parse(text));
    } catch (error) {
      throw new UsageError(`--fault ${text}: ${(error as Error).message}`);
    }
  });
  const port = integer('port', values.port, 0, 65535);
  const seed = integer('seed', values.seed, -(2 ** 31), 2 ** 32 - 1);
  const tickMs = integer('tick-ms', values['tick-ms'], 50, 3_600_000);
  const members = integer('members', values.members, 1, 10_000);
  return {
    help: false,
    faults,
    options: {
      scenario: scenario as ScenarioName,
      port: port ?? DEFAULT_PORT,
      host: values.host ?? '127.0.0.1',
      rateLimits,
      live: values.transitions ? { transitions: true } : (values.live ?? false),
      ...(seed !== undefined ? { seed } : {}),
      ...(tickMs !== undefined ? { tickMs } : {}),
      ...(startTime ? { startTime } : {}),
      ...(values['external-id'] !== undefined ? { externalId: values['external-id'] } : {}),
      ...(members !== undefined ? { members } : {}),
    },
  };
}

function liveLabel(live: SimulatorOptions['live']): string {
  if (!live) return '';
  return typeof live === 'object' && live.transitions ? ', live with transitions' : ', live';
}

/** `compliance-pulse-simulator` — returns the running simulator (undefined for --help or bad arguments). */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
): Promise<RunningSimulator | undefined> {
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${NAME}: ${error.message} (see --help)`);
    io.setExitCode(2);
    return undefined;
  }
  if (parsed.help) {
    io.stdout(USAGE);
    return undefined;
  }
  let simulator: RunningSimulator;
  try {
    simulator = await startSimulator({ ...parsed.options, log: (line) => io.stderr(line) });
  } catch (error) {
    io.stderr(`${NAME}: ${(error as Error).message}`);
    io.setExitCode(1);
    return undefined;
  }
  for (const fault of parsed.faults) simulator.faults.add(fault);
  const { accessKeyId, secretAccessKey } = simulator.credentials();
  io.stdout(
    [
      `${NAME}: scenario ${simulator.scenario}, seed ${simulator.seed}${liveLabel(parsed.options.live)}, listening on ${simulator.endpoint}`,
      '',
      'Point the AWS SDK or CLI at it:',
      `  export AWS_ENDPOINT_URL=${simulator.endpoint}`,
      `  export AWS_ACCESS_KEY_ID=${accessKeyId}`,
      `  export AWS_SECRET_ACCESS_KEY=${secretAccessKey}`,
      `  export AWS_REGION=${simulator.regions[0] ?? 'us-east-1'}`,
      '',
      `Accounts: ${simulator.accountIds.length === 1 ? simulator.accountIds[0] : `${simulator.accountIds.length}`}; regions: ${simulator.regions.join(', ') || '(none)'}`,
      `Control API: ${simulator.endpoint}/_simulator/health`,
    ].join('\n'),
  );
  io.onShutdownSignal(() => {
    void simulator.close().then(() => {
      io.stderr(`${NAME}: stopped`);
      io.setExitCode(0);
    });
  });
  return simulator;
}
