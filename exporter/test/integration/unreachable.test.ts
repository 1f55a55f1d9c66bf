import { createServer, type Socket } from 'node:net';
import { sum, tempStorePath } from './harness';
import { startExporterProcess, until, type ExporterProcess } from './process';

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
});
