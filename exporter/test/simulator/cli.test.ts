import { EventEmitter } from 'node:events';
import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { parseCliArgs, runCli, type CliIo } from '../../simulator/cli';
import { configClient, waitFor } from './helpers';

function fakeIo(): CliIo & { out: string[]; err: string[]; exitCode?: number; signals: EventEmitter } {
  const signals = new EventEmitter();
  const io = {
    out: [] as string[],
    err: [] as string[],
    exitCode: undefined as number | undefined,
    signals,
    stdout: (line: string) => io.out.push(line),
    stderr: (line: string) => io.err.push(line),
    onShutdownSignal: (handler: () => void) => signals.once('shutdown', handler),
    setExitCode: (code: number) => {
      io.exitCode = code;
    },
  };
  return io;
}

describe('compliance-pulse-simulator', () => {
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'eighty'], /--port must be an integer, got 'eighty'/],
    [['--port', '70000'], /--port must be between 0 and 65535/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--scenario', 'huge'], /unknown scenario 'huge'/],
    [['--rate-limits', 'fast'], /--rate-limits must be off or aws/],
    [['--start-time', 'tomorrow'], /--start-time must be an ISO-8601 time/],
    [['--fault', '{"kind":"nope"}'], /--fault .*fault kind must be one of/],
    [['extra'], /positional/i],
  ])('rejects %j with a one-line error and exit code 2', async (argv, message) => {
    const io = fakeIo();
    expect(await runCli(argv, io)).toBeUndefined();
    expect(io.exitCode).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(message);
    expect(io.err[0]).not.toContain('\n');
  });

  it('prints help', async () => {
    const io = fakeIo();
    expect(await runCli(['--help'], io)).toBeUndefined();
    expect(io.out.join('\n')).toContain('--rate-limits off|aws');
    expect(io.exitCode).toBeUndefined();
  });

  it('parses every option', () => {
    expect(
      parseCliArgs([
        '--port=0',
        '--host',
        '127.0.0.1',
        '--scenario',
        'large',
        '--seed',
        '9',
        '--live',
        '--tick-ms',
        '500',
        '--rate-limits',
        'aws',
        '--start-time',
        '2026-11-29T03:00:00Z',
        '--external-id',
        'ext',
        '--fault',
        '{"kind":"latency","ms":5}',
      ]),
    ).toEqual({
      help: false,
      faults: [{ kind: 'latency', ms: 5 }],
      options: {
        port: 0,
        host: '127.0.0.1',
        scenario: 'large',
        seed: 9,
        live: true,
        tickMs: 500,
        rateLimits: 'aws',
        startTime: new Date('2026-11-29T03:00:00Z'),
        externalId: 'ext',
      },
    });
  });

  it('--transitions turns on live mode with rule-level transitions; hang faults and rule scopes parse', () => {
    const parsed = parseCliArgs([
      '--transitions',
      '--fault',
      '{"kind":"hang","rule":"restricted-ssh","times":2}',
    ]);
    expect(parsed).toMatchObject({
      options: { live: { transitions: true } },
      faults: [{ kind: 'hang', rule: 'restricted-ssh', times: 2 }],
    });
  });

  it('starts, prints the endpoint and example environment, serves, and stops on a signal', async () => {
    const io = fakeIo();
    const sim = await runCli(
      ['--port', '0', '--scenario', 'empty', '--fault', '{"kind":"throttle","times":1}'],
      io,
    );
    if (!sim) throw new Error(io.err.join('\n'));
    const printed = io.out.join('\n');
    expect(printed).toContain(`listening on ${sim.endpoint}`);
    expect(printed).toContain(`export AWS_ENDPOINT_URL=${sim.endpoint}`);
    expect(printed).toContain('export AWS_ACCESS_KEY_ID=AKIA123456789012SIMX');
    const error = await configClient(sim)
      .send(new DescribeConfigRulesCommand({}))
      .catch((e: Error) => e);
    expect((error as Error).name).toBe('ThrottlingException');
    await configClient(sim).send(new DescribeConfigRulesCommand({}));

    io.signals.emit('shutdown');
    await waitFor(() => io.exitCode === 0, 'the simulator stops');
    expect(io.err.at(-1)).toContain('stopped');
    await expect(fetch(`${sim.endpoint}/_simulator/health`)).rejects.toThrow();
  });
});
