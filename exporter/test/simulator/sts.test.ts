import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  paginateDescribeConfigRules,
} from '@aws-sdk/client-config-service';
import { DescribeAutomationExecutionsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  MANAGEMENT_ACCOUNT_ID,
  READ_ONLY_ROLE,
  startSimulator,
  type RunningSimulator,
} from '../../simulator';
import { configClient, errorOf, START, stsClient } from './helpers';

describe('STS over the Query protocol', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'organization', startTime: START, externalId: 'pulse-ext-42' });
  });

  afterAll(() => sim.close());

  it('GetCallerIdentity names the account embedded in the access key', async () => {
    const identity = await stsClient(sim).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MANAGEMENT_ACCOUNT_ID);
    expect(identity.Arn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:user/compliance-pulse`);
    expect(identity.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(identity.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('AssumeRole into a member returns credentials that reach that account', async () => {
    const member = sim.accountIds.find((id) => id !== MANAGEMENT_ACCOUNT_ID) ?? '';
    const assumed = await stsClient(sim).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member}:role/${READ_ONLY_ROLE}`,
        RoleSessionName: 'compliance-pulse',
        ExternalId: 'pulse-ext-42',
        DurationSeconds: 900,
      }),
    );
    const credentials = assumed.Credentials;
    expect(credentials?.AccessKeyId).toMatch(new RegExp(`^ASIA${member}[A-Z]{4}$`));
    expect(credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 800_000);
    expect(assumed.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${member}:assumed-role/${READ_ONLY_ROLE}/compliance-pulse`,
    );
    const session = {
      accessKeyId: credentials?.AccessKeyId ?? '',
      secretAccessKey: credentials?.SecretAccessKey ?? '',
      sessionToken: credentials?.SessionToken ?? '',
    };
    const identity = await stsClient(sim, { credentials: session }).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(member);
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]{17}:compliance-pulse$/);
    let rules = 0;
    for await (const page of paginateDescribeConfigRules(
      { client: configClient(sim, { credentials: session, region: 'eu-west-1' }) },
      {},
    )) {
      rules += page.ConfigRules?.length ?? 0;
    }
    expect(rules).toBe(300);
    expect(
      sim.calls.entries().some((c) => c.accountId === member && c.action === 'config:DescribeConfigRules'),
    ).toBe(true);
  });

  it('a wrong ExternalId, an unknown role or account is AccessDenied (403); bad parameters are ValidationError', async () => {
    const member = sim.accountIds[5] ?? '';
    const client = stsClient(sim);
    for (const input of [
      {
        RoleArn: `arn:aws:iam::${member}:role/${READ_ONLY_ROLE}`,
        RoleSessionName: 's1',
        ExternalId: 'wrong-one',
      },
      { RoleArn: `arn:aws:iam::${member}:role/${READ_ONLY_ROLE}`, RoleSessionName: 's1' },
      { RoleArn: `arn:aws:iam::${member}:role/Admin`, RoleSessionName: 's1', ExternalId: 'pulse-ext-42' },
      {
        RoleArn: `arn:aws:iam::000000000000:role/${READ_ONLY_ROLE}`,
        RoleSessionName: 's1',
        ExternalId: 'pulse-ext-42',
      },
    ]) {
      const error = await errorOf(client.send(new AssumeRoleCommand(input)));
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata?.httpStatusCode).toBe(403);
      expect(error.message).toContain('is not authorized to perform: sts:AssumeRole');
    }
    const tooShort = await errorOf(
      client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${member}:role/${READ_ONLY_ROLE}`,
          RoleSessionName: 's1',
          DurationSeconds: 60,
        }),
      ),
    );
    expect(tooShort.name).toBe('ValidationError');
    const tooLong = await errorOf(
      client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${member}:role/${READ_ONLY_ROLE}`,
          RoleSessionName: 's1',
          ExternalId: 'pulse-ext-42',
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(tooLong.name).toBe('ValidationError');
  });

  it('AWS_ENDPOINT_URL sends Config, SSM and STS to the simulator', async () => {
    const saved = { ...process.env };
    process.env['AWS_ENDPOINT_URL'] = sim.endpoint;
    process.env['AWS_ACCESS_KEY_ID'] = sim.credentials().accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = sim.credentials().secretAccessKey;
    process.env['AWS_REGION'] = 'us-east-1';
    try {
      const before = sim.calls.lastSeq();
      await new STSClient({}).send(new GetCallerIdentityCommand({}));
      await new ConfigServiceClient({}).send(new DescribeConfigRulesCommand({}));
      await new SSMClient({}).send(new DescribeAutomationExecutionsCommand({}));
      expect(sim.calls.since(before).map((c) => c.action)).toEqual([
        'sts:GetCallerIdentity',
        'config:DescribeConfigRules',
        'ssm:DescribeAutomationExecutions',
      ]);
    } finally {
      process.env = saved;
    }
  });
});
