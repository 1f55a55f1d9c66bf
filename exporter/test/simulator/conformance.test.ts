import { AGGREGATOR_NAME, startSimulator, type RunningSimulator } from '../../simulator';
import { rawCall, START } from './helpers';
import { SmithyModel } from './smithy-model';

const CONFIG = SmithyModel.load('config-service.json', 'com.amazonaws.configservice');
const SSM = SmithyModel.load('ssm.json', 'com.amazonaws.ssm');

/** Service-wide errors that AWS sends without modeling them per operation. */
const UNMODELED = [
  'ThrottlingException',
  'AccessDeniedException',
  'ValidationException',
  'InternalFailure',
  'ServiceUnavailable',
  'SerializationException',
];

type Expectation = 'ok' | string;
interface Case {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly expect: Expectation;
}

const problemsOf = async (
  sim: RunningSimulator,
  service: 'config' | 'ssm',
  c: Case,
  followPages = true,
): Promise<string[]> => {
  const model = service === 'config' ? CONFIG : SSM;
  const target = `${service === 'config' ? 'StarlingDoveService' : 'AmazonSSM'}.${c.operation}`;
  const answer = await rawCall(sim, target, c.body);
  const label = `${c.operation} ${JSON.stringify(c.body).slice(0, 80)}`;
  if (c.expect === 'ok') {
    if (answer.status !== 200) return [`${label}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`];
    const problems = model.checkOutput(c.operation, answer.json).map((p) => `${label}: ${p}`);
    const token = answer.json['NextToken'];
    if (followPages && typeof token === 'string') {
      problems.push(
        ...(await problemsOf(sim, service, { ...c, body: { ...c.body, NextToken: token } }, false)),
      );
    }
    return problems;
  }
  if (answer.status < 400) return [`${label}: expected ${c.expect}, got HTTP ${answer.status}`];
  if (answer.json['__type'] !== c.expect)
    return [`${label}: expected ${c.expect}, got ${String(answer.json['__type'])}`];
  return model.checkError(c.operation, answer.json, UNMODELED).map((p) => `${label}: ${p}`);
};

describe('responses conform to the official Smithy models', () => {
  let sim: RunningSimulator;
  let org: RunningSimulator;
  let executionIds: { failed: string; success: string; running: string };
  let serviceLinked: string;
  let member: string;

  beforeAll(async () => {
    [sim, org] = await Promise.all([
      startSimulator({ scenario: 'default', startTime: START }),
      startSimulator({ scenario: 'organization', startTime: START }),
    ]);
    const executions = sim.truth.automationExecutions('123456789012', 'us-east-1');
    const byStatus = (s: string) => executions.find((e) => e.status === s)?.executionId ?? '';
    executionIds = {
      failed: byStatus('Failed'),
      success: byStatus('Success'),
      running: byStatus('Pending') || byStatus('InProgress'),
    };
    serviceLinked =
      sim.world
        .region('123456789012', 'us-east-1')
        .rules()
        .find((r) => r.createdBy)?.name ?? '';
    member = org.accountIds.find((a) => a !== org.world.defaultAccountId) ?? '';
  });

  afterAll(async () => {
    await Promise.all([sim.close(), org.close()]);
  });

  it('covers every operation of the trimmed models', () => {
    expect(CONFIG.operationNames()).toHaveLength(15);
    expect(SSM.operationNames()).toHaveLength(5);
  });

  it('AWS Config: success and error answers', async () => {
    const cases: Case[] = [
      { operation: 'DescribeConfigRules', body: {}, expect: 'ok' },
      {
        operation: 'DescribeConfigRules',
        body: { Filters: { RuleEvaluationVisibility: 'INTERNAL' } },
        expect: 'ok',
      },
      {
        operation: 'DescribeConfigRules',
        body: { ConfigRuleNames: ['nope'] },
        expect: 'NoSuchConfigRuleException',
      },
      {
        operation: 'DescribeConfigRules',
        body: { NextToken: 'forged' },
        expect: 'InvalidNextTokenException',
      },
      { operation: 'DescribeComplianceByConfigRule', body: {}, expect: 'ok' },
      {
        operation: 'DescribeComplianceByConfigRule',
        body: { ComplianceTypes: ['NON_COMPLIANT'] },
        expect: 'ok',
      },
      {
        operation: 'DescribeComplianceByConfigRule',
        body: { ComplianceTypes: ['BROKEN'] },
        expect: 'InvalidParameterValueException',
      },
      {
        operation: 'GetComplianceDetailsByConfigRule',
        body: { ConfigRuleName: 'restricted-common-ports', Limit: 100 },
        expect: 'ok',
      },
      {
        operation: 'GetComplianceDetailsByConfigRule',
        body: { ConfigRuleName: 'required-tags', ComplianceTypes: ['NON_COMPLIANT'] },
        expect: 'ok',
      },
      {
        operation: 'GetComplianceDetailsByConfigRule',
        body: { ConfigRuleName: serviceLinked },
        expect: 'AccessDeniedException',
      },
      {
        operation: 'GetComplianceDetailsByConfigRule',
        body: { ConfigRuleName: 'required-tags', Limit: 101 },
        expect: 'InvalidParameterValueException',
      },
      { operation: 'GetComplianceDetailsByConfigRule', body: {}, expect: 'InvalidParameterValueException' },
      {
        operation: 'GetComplianceDetailsByConfigRule',
        body: { ConfigRuleName: 'nope' },
        expect: 'NoSuchConfigRuleException',
      },
      { operation: 'GetComplianceSummaryByConfigRule', body: {}, expect: 'ok' },
      { operation: 'GetComplianceSummaryByResourceType', body: {}, expect: 'ok' },
      {
        operation: 'GetComplianceSummaryByResourceType',
        body: { ResourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::S3::Bucket'] },
        expect: 'ok',
      },
      { operation: 'DescribeConfigRuleEvaluationStatus', body: { Limit: 50 }, expect: 'ok' },
      {
        operation: 'DescribeConfigRuleEvaluationStatus',
        body: { ConfigRuleNames: ['acme-ebs-snapshot-encrypted', 'iam-password-policy'] },
        expect: 'ok',
      },
      {
        operation: 'DescribeConfigRuleEvaluationStatus',
        body: { Limit: 51 },
        expect: 'InvalidParameterValueException',
      },
      {
        operation: 'DescribeRemediationConfigurations',
        body: { ConfigRuleNames: ['restricted-common-ports', 'required-tags', 's3-bucket-logging-enabled'] },
        expect: 'ok',
      },
      { operation: 'DescribeRemediationConfigurations', body: {}, expect: 'ValidationException' },
      {
        operation: 'DescribeRemediationExecutionStatus',
        body: { ConfigRuleName: 'restricted-common-ports', Limit: 50 },
        expect: 'ok',
      },
      {
        operation: 'DescribeRemediationExecutionStatus',
        body: { ConfigRuleName: 'required-tags' },
        expect: 'NoSuchRemediationConfigurationException',
      },
      {
        operation: 'DescribeRemediationExceptions',
        body: { ConfigRuleName: 'restricted-common-ports' },
        expect: 'ok',
      },
      { operation: 'DescribeConfigurationAggregators', body: {}, expect: 'ok' },
      {
        operation: 'DescribeConfigurationAggregators',
        body: { Limit: 101 },
        expect: 'InvalidLimitException',
      },
      {
        operation: 'DescribeAggregateComplianceByConfigRules',
        body: { ConfigurationAggregatorName: 'none' },
        expect: 'NoSuchConfigurationAggregatorException',
      },
      {
        operation: 'DescribeConformancePackCompliance',
        body: { ConformancePackName: 'Security-Baseline' },
        expect: 'ok',
      },
      {
        operation: 'DescribeConformancePackCompliance',
        body: { ConformancePackName: 'Missing-Pack' },
        expect: 'NoSuchConformancePackException',
      },
      { operation: 'ListConformancePackComplianceScores', body: {}, expect: 'ok' },
      {
        operation: 'ListConformancePackComplianceScores',
        body: { Limit: 21 },
        expect: 'InvalidLimitException',
      },
    ];
    const problems = (await Promise.all(cases.map((c) => problemsOf(sim, 'config', c)))).flat();
    expect(problems).toEqual([]);
  });

  it('AWS Config aggregator: success and error answers', async () => {
    const name = AGGREGATOR_NAME;
    const cases: Case[] = [
      { operation: 'DescribeConfigurationAggregators', body: {}, expect: 'ok' },
      {
        operation: 'DescribeAggregateComplianceByConfigRules',
        body: { ConfigurationAggregatorName: name, Limit: 1000 },
        expect: 'ok',
      },
      {
        operation: 'DescribeAggregateComplianceByConfigRules',
        body: {
          ConfigurationAggregatorName: name,
          Filters: { ComplianceType: 'NON_COMPLIANT', AccountId: member },
        },
        expect: 'ok',
      },
      {
        operation: 'DescribeAggregateComplianceByConfigRules',
        body: { ConfigurationAggregatorName: name, Limit: 1001 },
        expect: 'InvalidLimitException',
      },
      {
        operation: 'GetAggregateComplianceDetailsByConfigRule',
        body: {
          ConfigurationAggregatorName: name,
          ConfigRuleName: 'required-tags',
          AccountId: member,
          AwsRegion: 'eu-west-1',
          ComplianceType: 'COMPLIANT',
          Limit: 5,
        },
        expect: 'ok',
      },
      {
        operation: 'GetAggregateComplianceDetailsByConfigRule',
        body: { ConfigurationAggregatorName: name, ConfigRuleName: 'x' },
        expect: 'ValidationException',
      },
      {
        operation: 'GetAggregateConfigRuleComplianceSummary',
        body: { ConfigurationAggregatorName: name, GroupByKey: 'ACCOUNT_ID', Limit: 100 },
        expect: 'ok',
      },
      {
        operation: 'GetAggregateConfigRuleComplianceSummary',
        body: { ConfigurationAggregatorName: name },
        expect: 'ok',
      },
    ];
    const problems = (await Promise.all(cases.map((c) => problemsOf(org, 'config', c)))).flat();
    expect(problems).toEqual([]);
  });

  it('SSM: success and error answers', async () => {
    const cases: Case[] = [
      { operation: 'DescribeAutomationExecutions', body: {}, expect: 'ok' },
      {
        operation: 'DescribeAutomationExecutions',
        body: { Filters: [{ Key: 'ExecutionStatus', Values: ['Pending', 'InProgress'] }] },
        expect: 'ok',
      },
      {
        operation: 'DescribeAutomationExecutions',
        body: { Filters: [{ Key: 'StartTimeAfter', Values: ['2026-11-28T00:00:00Z'] }], MaxResults: 50 },
        expect: 'ok',
      },
      { operation: 'DescribeAutomationExecutions', body: { MaxResults: 51 }, expect: 'ValidationException' },
      {
        operation: 'DescribeAutomationExecutions',
        body: { Filters: [{ Key: 'ExecutionStatus', Values: ['Done'] }] },
        expect: 'InvalidFilterValue',
      },
      {
        operation: 'DescribeAutomationExecutions',
        body: { NextToken: 'forged' },
        expect: 'InvalidNextToken',
      },
      {
        operation: 'GetAutomationExecution',
        body: { AutomationExecutionId: executionIds.failed },
        expect: 'ok',
      },
      {
        operation: 'GetAutomationExecution',
        body: { AutomationExecutionId: executionIds.success },
        expect: 'ok',
      },
      {
        operation: 'GetAutomationExecution',
        body: { AutomationExecutionId: executionIds.running },
        expect: 'ok',
      },
      {
        operation: 'GetAutomationExecution',
        body: { AutomationExecutionId: '00000000-0000-4000-8000-000000000000' },
        expect: 'AutomationExecutionNotFoundException',
      },
      {
        operation: 'DescribeAutomationStepExecutions',
        body: { AutomationExecutionId: executionIds.failed, MaxResults: 2 },
        expect: 'ok',
      },
      {
        operation: 'DescribeDocument',
        body: { Name: 'Custom-DisablePublicAccessForSecurityGroup' },
        expect: 'ok',
      },
      {
        operation: 'DescribeDocument',
        body: { Name: 'AWS-DisablePublicAccessForSecurityGroup', DocumentVersion: '$DEFAULT' },
        expect: 'ok',
      },
      { operation: 'DescribeDocument', body: { Name: 'Custom-Missing' }, expect: 'InvalidDocument' },
      {
        operation: 'ListDocuments',
        body: { Filters: [{ Key: 'Owner', Values: ['Self'] }], MaxResults: 1 },
        expect: 'ok',
      },
    ];
    expect(executionIds.running).not.toBe('');
    const problems = (await Promise.all(cases.map((c) => problemsOf(sim, 'ssm', c)))).flat();
    expect(problems).toEqual([]);
  });

  it('AWS Config: rules after transitions (results deleted, all NOT_APPLICABLE, failing, re-created, resource deleted)', async () => {
    const moved = await startSimulator({ scenario: 'empty', startTime: START });
    try {
      const account = moved.world.defaultAccountId;
      const region = moved.world.region(account, 'us-east-1');
      const sg = 'AWS::EC2::SecurityGroup';
      const names = [
        'results-deleted',
        'not-applicable',
        'failing',
        'never-evaluated',
        'recreated',
        'lost-resource',
      ];
      for (const name of names) {
        region.addRule({
          name,
          resourceTypes: [sg],
          ...(name === 'never-evaluated' ? { evaluationStatus: { firstEvaluationStarted: false } } : {}),
        });
        if (name === 'never-evaluated') continue;
        for (const [id, compliance] of [
          ['sg-1', 'NON_COMPLIANT'],
          ['sg-2', 'COMPLIANT'],
        ] as const)
          region.setEvaluation(name, {
            resourceType: sg,
            resourceId: id,
            compliance,
            annotation: 'Port 22 open.',
          });
      }
      region.setRemediationConfiguration({
        ruleName: 'recreated',
        targetId: 'AWS-DisablePublicAccessForSecurityGroup',
      });
      region.addConformancePack({ name: 'Moved-Pack', ruleNames: names });
      region.addAggregator({
        name: 'self',
        arn: `arn:aws:config:us-east-1:${account}:config-aggregator/config-aggregator-self`,
        creationTime: START.getTime(),
        lastUpdatedTime: START.getTime(),
        accountSource: { accountIds: [account], awsRegions: ['us-east-1'] },
      });
      moved.clock.advance(60_000);
      region.deleteEvaluationResults('results-deleted');
      region.setAllNotApplicable('not-applicable');
      region.failEvaluation('failing', { errorCode: 'Lambda.FunctionError', errorMessage: 'boom' });
      region.failEvaluation('never-evaluated', { errorCode: 'Lambda.FunctionError' });
      region.recreateRule('recreated');
      region.deleteResource(sg, 'sg-1');

      const perRule = names.flatMap((name): Case[] => [
        { operation: 'GetComplianceDetailsByConfigRule', body: { ConfigRuleName: name }, expect: 'ok' },
        {
          operation: 'GetComplianceDetailsByConfigRule',
          body: { ConfigRuleName: name, ComplianceTypes: ['NOT_APPLICABLE'] },
          expect: 'ok',
        },
        {
          operation: 'GetAggregateComplianceDetailsByConfigRule',
          body: {
            ConfigurationAggregatorName: 'self',
            ConfigRuleName: name,
            AccountId: account,
            AwsRegion: 'us-east-1',
          },
          expect: 'ok',
        },
      ]);
      const cases: Case[] = [
        { operation: 'DescribeConfigRules', body: {}, expect: 'ok' },
        { operation: 'DescribeComplianceByConfigRule', body: {}, expect: 'ok' },
        {
          operation: 'DescribeComplianceByConfigRule',
          body: { ComplianceTypes: ['INSUFFICIENT_DATA'] },
          expect: 'ok',
        },
        { operation: 'DescribeConfigRuleEvaluationStatus', body: {}, expect: 'ok' },
        { operation: 'GetComplianceSummaryByConfigRule', body: {}, expect: 'ok' },
        { operation: 'GetComplianceSummaryByResourceType', body: {}, expect: 'ok' },
        {
          operation: 'DescribeRemediationConfigurations',
          body: { ConfigRuleNames: ['recreated'] },
          expect: 'ok',
        },
        {
          operation: 'DescribeRemediationExecutionStatus',
          body: { ConfigRuleName: 'recreated' },
          expect: 'ok',
        },
        {
          operation: 'DescribeConformancePackCompliance',
          body: { ConformancePackName: 'Moved-Pack' },
          expect: 'ok',
        },
        { operation: 'ListConformancePackComplianceScores', body: {}, expect: 'ok' },
        {
          operation: 'DescribeAggregateComplianceByConfigRules',
          body: { ConfigurationAggregatorName: 'self' },
          expect: 'ok',
        },
        {
          operation: 'GetAggregateConfigRuleComplianceSummary',
          body: { ConfigurationAggregatorName: 'self' },
          expect: 'ok',
        },
        ...perRule,
      ];
      const problems = (await Promise.all(cases.map((c) => problemsOf(moved, 'config', c)))).flat();
      expect(problems).toEqual([]);
      // The states the cases were meant to cover are really there.
      expect(moved.truth.ruleCompliance(account, 'us-east-1')).toEqual({
        'results-deleted': 'INSUFFICIENT_DATA',
        'not-applicable': 'INSUFFICIENT_DATA',
        failing: 'COMPLIANT',
        'never-evaluated': 'INSUFFICIENT_DATA',
        'lost-resource': 'COMPLIANT',
        recreated: 'INSUFFICIENT_DATA',
      });
    } finally {
      await moved.close();
    }
  });

  it('injected faults look like AWS errors too', async () => {
    const cases: Array<[Parameters<RunningSimulator['faults']['add']>[0], 'config' | 'ssm', string, string]> =
      [
        [{ kind: 'throttle', times: 1 }, 'config', 'DescribeComplianceByConfigRule', 'ThrottlingException'],
        [{ kind: 'throttle', times: 1 }, 'ssm', 'DescribeAutomationExecutions', 'ThrottlingException'],
        [{ kind: 'access-denied', times: 1 }, 'config', 'DescribeConfigRules', 'AccessDeniedException'],
        [{ kind: 'server-error', times: 1 }, 'config', 'DescribeConfigRules', 'InternalFailure'],
        [{ kind: 'server-error', times: 1 }, 'ssm', 'DescribeAutomationExecutions', 'InternalServerError'],
        [
          { kind: 'server-error', status: 503, times: 1 },
          'ssm',
          'GetAutomationExecution',
          'ServiceUnavailable',
        ],
      ];
    const problems: string[] = [];
    for (const [fault, service, operation, code] of cases) {
      sim.faults.add(fault);
      problems.push(
        ...(await problemsOf(sim, service, {
          operation,
          body: { AutomationExecutionId: executionIds.success },
          expect: code,
        })),
      );
    }
    expect(problems).toEqual([]);
  });
});
