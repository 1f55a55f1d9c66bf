import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { RateLimiter } from '../../../src/aws/rate-limiter';

describe('RateLimiter', () => {
  it('spaces requests of one budget at its rate, and budgets do not share tokens', async () => {
    let nowMs = 0;
    const limiter = new RateLimiter(
      () => 2,
      () => nowMs,
    );
    // A burst of 2 per budget is free; the third request of a budget waits for a token.
    await limiter.take('111111111111', 'us-east-1', 'ssm', 'DescribeAutomationExecutions');
    await limiter.take('111111111111', 'us-east-1', 'ssm', 'DescribeAutomationExecutions');
    await limiter.take('111111111111', 'eu-west-1', 'ssm', 'DescribeAutomationExecutions');
    let third = false;
    const waiting = limiter
      .take('111111111111', 'us-east-1', 'ssm', 'DescribeAutomationExecutions')
      .then(() => {
        third = true;
      });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    nowMs = 500; // half a second at 2 per second: one token
    await waiting;
    expect(third).toBe(true);
    limiter.close();
  });

  it('many budgets waiting at once on shutdown print no listener-leak warning, and close() fails them all', () => {
    // Node prints the warning from its own process object, which jest's sandbox does not see: run the built
    // limiter (npm test builds first) in a child process and read its stderr.
    const script = `
      const { RateLimiter } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'dist', 'src', 'aws', 'rate-limiter.js'))});
      const limiter = new RateLimiter(() => 0.001);
      const regions = Array.from({ length: 40 }, (_, i) => 'region-' + i);
      const take = (r) => limiter.take('111111111111', r, 'config', 'DescribeConfigRules');
      (async () => {
        await Promise.all(regions.map(take)); // each budget's first token is free
        const waits = regions.map(take); // the second waits about 1000 s, on the shutdown signal
        await new Promise((resolve) => setTimeout(resolve, 50));
        limiter.close();
        const outcomes = await Promise.allSettled(waits);
        console.log(outcomes.filter((o) => o.status === 'rejected').length);
      })();
    `;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('40');
    expect(child.stderr).not.toMatch(/MaxListenersExceededWarning/);
  });
});
