import { createServer, type Socket } from 'node:net';
import { DEFAULT_ACCOUNT_ID } from '../../simulator';
import { series, startSim, sum, tempStorePath } from './harness';
import { simulatorEnv, startExporterProcess, until, type ExporterProcess } from './process';

describe('an AWS endpoint that never answers', () => {
  it('is reported by a warn line and an error metric within a minute, with the default request timeout', async () => {
    // What a private subnet without a NAT gateway or VPC endpoint looks like: connections are accepted,
    // requests are never answered.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    let exporter: ExporterProcess | undefined;
    try {
      const started = Date.now();
      exporter = await startExporterProcess([`--storage.path=${tempStorePath()}`], {
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_REGION: 'us-east-1',
      });
      const running = exporter;
      const warning = await until(() => running.logs().find((l) => l.level === 40 && l.msg === 'AWS is not answering; retrying'), 60_000, 'warn line');
      expect(warning).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', region: 'us-east-1', request_timeout_seconds: 30 });
      expect(String(warning.error)).toContain('TimeoutError');
      const timeouts = await until(async () => {
        const n = sum(await running.metrics(), 'compliance_pulse_aws_request_errors_total', { service: 'sts', code: 'TimeoutError' });
        return n > 0 ? n : undefined;
      }, 60_000 - (Date.now() - started), 'error metric');
      expect(timeouts).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeLessThan(60_000);
      // Not ready, and it says so rather than hanging: /-/ready answers at once.
      expect((await fetch(`${running.url}/-/ready`)).status).toBe(503);
      expect(await exporter.stop()).toBe(0);
    } finally {
      await exporter?.stop();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 90_000);

  it('a hung details call fails the Config poll within about two request timeouts while SSM keeps polling, and Config recovers', async () => {
    const sim = await startSim({ scenario: 'default', seed: 43, clock: 'manual', startTime: new Date() });
    const timeoutSeconds = 2;
    const exporter = await startExporterProcess(
      ['--poll.interval=1s', `--aws.request-timeout=${timeoutSeconds}s`, '--aws.config-requests-per-second=200', '--aws.ssm-requests-per-second=200', `--storage.path=${tempStorePath()}`],
      simulatorEnv(sim),
    );
    const where = { account_id: DEFAULT_ACCOUNT_ID, region: 'us-east-1' };
    const success = async (source: string) => series(await exporter.metrics(), 'compliance_pulse_poll_success', { ...where, source })[0]?.value;
    const polls = async (source: string) => sum(await exporter.metrics(), 'compliance_pulse_poll_duration_seconds_count', { source });
    try {
      await until(async () => ((await fetch(`${exporter.url}/-/ready`)).ok ? true : undefined), 60_000, 'ready');
      // Every details call from now on is accepted and never answered; a rule changes so that one is made.
      sim.faults.add({ kind: 'hang', operation: 'GetComplianceDetailsByConfigRule' });
      const region = sim.world.region(DEFAULT_ACCOUNT_ID, 'us-east-1');
      const rule = region.rules().find((r) => !r.createdBy && region.complianceCounts(r.name).NON_COMPLIANT > 0)!;
      const resource = region.evaluations(rule.name).find((e) => e.compliance === 'NON_COMPLIANT')!;
      sim.clock.advance(60_000);
      region.setEvaluation(rule.name, { resourceType: resource.resourceType, resourceId: resource.resourceId, compliance: 'COMPLIANT' });
      // As in AWS, a new result comes with a new LastSuccessfulEvaluationTime: the exporter's cue to read it.
      region.markEvaluated(rule.name);
      const changed = Date.now();
      await until(async () => ((await success('config')) === 0 ? true : undefined), 30_000, 'a failed config poll');
      // The poll that started after the change took two timed-out attempts, plus at most one poll interval to begin.
      expect((Date.now() - changed) / 1000).toBeLessThan(2 * timeoutSeconds + 1 + 2);
      const summary = await exporter.json('/api/v1/summary');
      const config = summary.targets.find((t: { region: string; source: string }) => t.region === 'us-east-1' && t.source === 'config');
      expect(config.last_error).toContain('TimeoutError');
      expect(exporter.logs().some((l) => l.level === 40 && l.msg === 'poll failed; keeping the last good data, marked stale' && l.source === 'config' && l.region === 'us-east-1')).toBe(true);
      // SSM goes on polling, successfully, meanwhile.
      const ssmBefore = await polls('ssm');
      await until(async () => ((await polls('ssm')) >= ssmBefore + 2 ? true : undefined), 30_000, 'two SSM polls');
      expect(await success('ssm')).toBe(1);

      // AWS answers again: the next poll is current.
      sim.faults.clear();
      await until(async () => ((await success('config')) === 1 ? true : undefined), 30_000, 'config to recover');
      expect(sum(await exporter.metrics(), 'aws_config_rule_noncompliant_resources', { ...where, rule: rule.name })).toBe(sim.truth.noncompliantCount(DEFAULT_ACCOUNT_ID, 'us-east-1', rule.name));
    } finally {
      await exporter.stop();
      await sim.close();
    }
  }, 120_000);
});

