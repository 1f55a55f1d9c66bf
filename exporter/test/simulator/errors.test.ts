import {
  ConfigServiceServiceException,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeRemediationConfigurationsCommand,
  DescribeRemediationExecutionStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
  InvalidLimitException,
  InvalidNextTokenException,
  InvalidParameterValueException,
  ListConformancePackComplianceScoresCommand,
  NoSuchConfigRuleException,
  NoSuchConfigurationAggregatorException,
  NoSuchRemediationConfigurationException,
} from '@aws-sdk/client-config-service';
import {
  AutomationExecutionNotFoundException,
  DescribeAutomationExecutionsCommand,
  DescribeDocumentCommand,
  GetAutomationExecutionCommand,
  InvalidDocument,
  InvalidFilterValue,
  InvalidNextToken,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { configClient, errorOf, rawCall, ssmClient, START } from './helpers';

const ACCOUNT = '123456789012';

describe('errors reach the caller as the SDK names AWS would produce', () => {
  let sim: RunningSimulator;
  let other: RunningSimulator;

  beforeAll(async () => {
    [sim, other] = await Promise.all([
      startSimulator({ scenario: 'empty', startTime: START }),
      startSimulator({ scenario: 'empty', startTime: START }),
    ]);
    for (const s of [sim, other]) {
      const region = s.world.region(ACCOUNT, 'us-east-1');
      for (let i = 0; i < 30; i++) region.addRule({ name: `rule-${i}` });
      region.addRule({
        name: 'securityhub-s3-bucket-public-read-prohibited-1a2b3c4d',
        sourceIdentifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED',
        createdBy: 'securityhub.amazonaws.com',
        visibility: 'INTERNAL',
      });
      region.setEvaluation('securityhub-s3-bucket-public-read-prohibited-1a2b3c4d', {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'public-bucket',
        compliance: 'NON_COMPLIANT',
      });
      for (let i = 0; i < 60; i++) {
        region.setEvaluation('rule-0', {
          resourceType: 'AWS::S3::Bucket',
          resourceId: `bucket-${i}`,
          compliance: 'NON_COMPLIANT',
        });
        region.addExecution({
          documentName: 'AWS-DisableS3BucketPublicReadWrite',
          startTime: START.getTime() - (i + 1) * 60_000,
        });
      }
    }
  });

  afterAll(async () => {
    await Promise.all([sim.close(), other.close()]);
  });

  it('an unknown rule is NoSuchConfigRuleException, an instance of the modeled class', async () => {
    const error = await errorOf(
      configClient(sim).send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'no-such-rule' })),
    );
    expect(error).toBeInstanceOf(NoSuchConfigRuleException);
    expect(error.message).toContain("'no-such-rule'");
    const listed = await errorOf(
      configClient(sim).send(new DescribeConfigRulesCommand({ ConfigRuleNames: ['rule-1', 'nope'] })),
    );
    expect(listed).toBeInstanceOf(NoSuchConfigRuleException);
    const status = await errorOf(
      configClient(sim).send(new DescribeConfigRuleEvaluationStatusCommand({ ConfigRuleNames: ['nope'] })),
    );
    expect(status).toBeInstanceOf(NoSuchConfigRuleException);
  });

  it("Security Hub's service-linked rules refuse GetComplianceDetailsByConfigRule but report their compliance", async () => {
    const name = 'securityhub-s3-bucket-public-read-prohibited-1a2b3c4d';
    const error = await errorOf(
      configClient(sim).send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: name })),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error).toBeInstanceOf(ConfigServiceServiceException);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    const compliance = await configClient(sim).send(
      new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: [name] }),
    );
    expect(compliance.ComplianceByConfigRules?.[0]?.Compliance?.ComplianceType).toBe('NON_COMPLIANT');
  });

  it('a tampered, foreign or re-bound NextToken is InvalidNextTokenException (Config) / InvalidNextToken (SSM)', async () => {
    const client = configClient(sim);
    const page = await client.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'rule-0', Limit: 10 }),
    );
    const token = page.NextToken ?? '';
    expect(token).not.toBe('');
    // The token works for the request it came from.
    await client.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'rule-0', Limit: 10, NextToken: token }),
    );
    const tampered = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    for (const bad of [
      () =>
        client.send(
          new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'rule-0', NextToken: tampered }),
        ),
      () =>
        client.send(
          new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'rule-0', NextToken: 'garbage' }),
        ),
      () =>
        client.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: 'rule-0',
            Limit: 10,
            NextToken: `${token}x`,
          }),
        ),
      // Same operation, different filters.
      () =>
        client.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: 'rule-0',
            ComplianceTypes: ['COMPLIANT'],
            NextToken: token,
          }),
        ),
      // Another operation.
      () => client.send(new DescribeConfigRulesCommand({ NextToken: token })),
      // Another simulator (another secret).
      () =>
        configClient(other).send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: 'rule-0',
            Limit: 10,
            NextToken: token,
          }),
        ),
    ]) {
      expect(await errorOf(bad())).toBeInstanceOf(InvalidNextTokenException);
    }
    const ssm = ssmClient(sim);
    const executions = await ssm.send(new DescribeAutomationExecutionsCommand({ MaxResults: 10 }));
    const ssmToken = executions.NextToken ?? '';
    expect(
      await errorOf(ssm.send(new DescribeAutomationExecutionsCommand({ NextToken: `${ssmToken}x` }))),
    ).toBeInstanceOf(InvalidNextToken);
    expect(
      await errorOf(ssm.send(new DescribeAutomationExecutionsCommand({ NextToken: token }))),
    ).toBeInstanceOf(InvalidNextToken);
  });

  it('out-of-range limits are rejected with the error each operation uses', async () => {
    const client = configClient(sim);
    expect(
      await errorOf(
        client.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'rule-0', Limit: 101 })),
      ),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await errorOf(client.send(new DescribeConfigRuleEvaluationStatusCommand({ Limit: 51 }))),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await errorOf(
        client.send(new DescribeRemediationExecutionStatusCommand({ ConfigRuleName: 'rule-0', Limit: -1 })),
      ),
    ).toBeInstanceOf(InvalidParameterValueException);
    expect(
      await errorOf(client.send(new ListConformancePackComplianceScoresCommand({ Limit: 21 }))),
    ).toBeInstanceOf(InvalidLimitException);
    const ssmError = await errorOf(
      ssmClient(sim).send(new DescribeAutomationExecutionsCommand({ MaxResults: 51 })),
    );
    expect(ssmError.name).toBe('ValidationException');
    expect(ssmError).toBeInstanceOf(SSMServiceException);
    expect(ssmError.message).toContain('less than or equal to 50');
    const zero = await errorOf(
      ssmClient(sim).send(new DescribeAutomationExecutionsCommand({ MaxResults: 0 })),
    );
    expect(zero.name).toBe('ValidationException');
  });

  it('parameter rules: INSUFFICIENT_DATA is no filter, ConfigRuleNames is required for remediation configurations', async () => {
    const client = configClient(sim);
    const filter = await errorOf(
      client.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: 'rule-0',
          ComplianceTypes: ['INSUFFICIENT_DATA'],
        }),
      ),
    );
    expect(filter).toBeInstanceOf(InvalidParameterValueException);
    const missing = await errorOf(client.send(new DescribeRemediationConfigurationsCommand({} as never)));
    expect(missing.name).toBe('ValidationException');
    const tooMany = await errorOf(
      client.send(
        new DescribeConfigRulesCommand({
          ConfigRuleNames: Array.from({ length: 26 }, (_, i) => `rule-${i}`),
        }),
      ),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterValueException);
    const unknownRemediation = await errorOf(
      client.send(new DescribeRemediationExecutionStatusCommand({ ConfigRuleName: 'rule-1' })),
    );
    expect(unknownRemediation).toBeInstanceOf(NoSuchRemediationConfigurationException);
  });

  it('aggregator and SSM not-found errors', async () => {
    const aggregator = await errorOf(
      configClient(sim).send(
        new DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: 'nope' }),
      ),
    );
    expect(aggregator).toBeInstanceOf(NoSuchConfigurationAggregatorException);
    const ssm = ssmClient(sim);
    const execution = await errorOf(
      ssm.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: '00000000-0000-4000-8000-000000000000' }),
      ),
    );
    expect(execution).toBeInstanceOf(AutomationExecutionNotFoundException);
    const document = await errorOf(ssm.send(new DescribeDocumentCommand({ Name: 'Custom-NoSuchDocument' })));
    expect(document).toBeInstanceOf(InvalidDocument);
    const filter = await errorOf(
      ssm.send(
        new DescribeAutomationExecutionsCommand({ Filters: [{ Key: 'ExecutionStatus', Values: ['Done'] }] }),
      ),
    );
    expect(filter).toBeInstanceOf(InvalidFilterValue);
    const time = await errorOf(
      ssm.send(
        new DescribeAutomationExecutionsCommand({
          Filters: [{ Key: 'StartTimeAfter', Values: ['yesterday'] }],
        }),
      ),
    );
    expect(time).toBeInstanceOf(InvalidFilterValue);
  });

  it('a region without Config answers with empty lists; an unknown target is UnknownOperationException', async () => {
    const rules = await configClient(sim, { region: 'eu-central-1' }).send(
      new DescribeConfigRulesCommand({}),
    );
    expect(rules.ConfigRules).toEqual([]);
    const executions = await ssmClient(sim, { region: 'eu-central-1' }).send(
      new DescribeAutomationExecutionsCommand({}),
    );
    expect(executions.AutomationExecutionMetadataList).toEqual([]);

    const unknown = await rawCall(sim, 'StarlingDoveService.PutConfigRule', {});
    expect(unknown.status).toBe(400);
    expect(unknown.json['__type']).toBe('UnknownOperationException');
    const prefix = await rawCall(sim, 'NoSuchService.DescribeConfigRules', {});
    expect(prefix.json['__type']).toBe('UnknownOperationException');
    const body = await rawCall(sim, 'StarlingDoveService.DescribeConfigRules', '{"truncated":');
    expect(body.json['__type']).toBe('SerializationException');
    const unsigned = await rawCall(sim, 'StarlingDoveService.DescribeConfigRules', {}, { auth: false });
    expect(unsigned.json['__type']).toBe('MissingAuthenticationTokenException');
  });

  it('wire format: JSON 1.1 content type, a request id on every answer, messages as each service spells them', async () => {
    const ok = await rawCall(sim, 'StarlingDoveService.DescribeConfigRules', {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.text).not.toContain('null');

    const config = await rawCall(sim, 'StarlingDoveService.GetComplianceDetailsByConfigRule', {
      ConfigRuleName: 'nope',
    });
    expect(config.status).toBe(400);
    expect(config.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(config.json).sort()).toEqual(['__type', 'message']);
    const ssm = await rawCall(sim, 'AmazonSSM.DescribeDocument', { Name: 'Custom-Missing' });
    expect(Object.keys(ssm.json).sort()).toEqual(['Message', '__type']);
    expect(ssm.json['__type']).toBe('InvalidDocument');
  });
});
