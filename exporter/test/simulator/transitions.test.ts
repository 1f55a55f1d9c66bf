import {
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeRemediationConfigurationsCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type ComplianceType,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { startSimulator, type RegionState, type RunningSimulator, type RuleState } from '../../simulator';
import { configClient, START } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SG = 'AWS::EC2::SecurityGroup';

/** What the wire says about every rule, in the shape of `truth.ruleStates` (service-linked rules aside). */
async function wireRuleStates(config: ConfigServiceClient): Promise<RuleState[]> {
  const rules = (await config.send(new DescribeConfigRulesCommand({}))).ConfigRules ?? [];
  const compliance = (await config.send(new DescribeComplianceByConfigRuleCommand({})))
    .ComplianceByConfigRules;
  const out: RuleState[] = [];
  for (const rule of rules) {
    const name = rule.ConfigRuleName ?? '';
    const resourcesWith = async (type: ComplianceType) => {
      const found = [];
      let token: string | undefined;
      do {
        const page = await config.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: name,
            ComplianceTypes: [type],
            Limit: 100,
            NextToken: token,
          }),
        );
        for (const e of page.EvaluationResults ?? []) {
          const q = e.EvaluationResultIdentifier?.EvaluationResultQualifier;
          found.push({ resourceType: q?.ResourceType ?? '', resourceId: q?.ResourceId ?? '' });
        }
        token = page.NextToken;
      } while (token);
      return found;
    };
    out.push({
      ruleName: name,
      configRuleId: rule.ConfigRuleId ?? '',
      configRuleArn: rule.ConfigRuleArn ?? '',
      compliance: (compliance?.find((c) => c.ConfigRuleName === name)?.Compliance?.ComplianceType ??
        'missing') as RuleState['compliance'],
      serviceLinked: false,
      nonCompliantResources: await resourcesWith('NON_COMPLIANT'),
      compliantResources: await resourcesWith('COMPLIANT'),
    });
  }
  return out;
}

function evaluate(region: RegionState, rule: string, results: Record<string, 'COMPLIANT' | 'NON_COMPLIANT'>) {
  for (const [resourceId, compliance] of Object.entries(results))
    region.setEvaluation(rule, { resourceType: SG, resourceId, compliance });
}

describe('rule-level transitions', () => {
  let sim: RunningSimulator;
  let region: RegionState;
  let config: ConfigServiceClient;

  beforeEach(async () => {
    sim = await startSimulator({ scenario: 'empty', startTime: START });
    region = sim.world.region(ACCOUNT, REGION);
    config = configClient(sim);
    region.addRule({ name: 'restricted-ssh', resourceTypes: [SG] });
    evaluate(region, 'restricted-ssh', {
      'sg-1': 'NON_COMPLIANT',
      'sg-2': 'NON_COMPLIANT',
      'sg-3': 'COMPLIANT',
    });
  });

  afterEach(() => sim.close());

  const ruleCompliance = async (name: string) =>
    (await config.send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: [name] })))
      .ComplianceByConfigRules?.[0]?.Compliance?.ComplianceType;
  const details = async (name: string, types?: ComplianceType[]) =>
    (
      await config.send(
        new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: name, ComplianceTypes: types }),
      )
    ).EvaluationResults?.map(
      (e) => `${e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId}=${e.ComplianceType}`,
    );
  const evaluationStatus = async (name: string) =>
    (await config.send(new DescribeConfigRuleEvaluationStatusCommand({ ConfigRuleNames: [name] })))
      .ConfigRulesEvaluationStatus?.[0];

  it('deleted results: INSUFFICIENT_DATA and no details until the rule is evaluated again', async () => {
    expect(await ruleCompliance('restricted-ssh')).toBe('NON_COMPLIANT');
    region.deleteEvaluationResults('restricted-ssh');
    expect(await ruleCompliance('restricted-ssh')).toBe('INSUFFICIENT_DATA');
    expect(await details('restricted-ssh')).toEqual([]);
    expect(await details('restricted-ssh', ['COMPLIANT', 'NON_COMPLIANT'])).toEqual([]);
    expect(await wireRuleStates(config)).toEqual(sim.truth.ruleStates(ACCOUNT, REGION));

    sim.clock.advance(60_000);
    evaluate(region, 'restricted-ssh', { 'sg-2': 'NON_COMPLIANT', 'sg-3': 'COMPLIANT' });
    expect(await ruleCompliance('restricted-ssh')).toBe('NON_COMPLIANT');
    expect(await details('restricted-ssh')).toEqual(['sg-2=NON_COMPLIANT', 'sg-3=COMPLIANT']);
    const truth = sim.truth.ruleStates(ACCOUNT, REGION);
    expect(truth[0]?.nonCompliantResources).toEqual([{ resourceType: SG, resourceId: 'sg-2' }]);
    expect(await wireRuleStates(config)).toEqual(truth);
  });

  it('all results NOT_APPLICABLE: INSUFFICIENT_DATA, listed only when NOT_APPLICABLE is asked for', async () => {
    sim.clock.advance(60_000);
    region.setAllNotApplicable('restricted-ssh');
    expect(await ruleCompliance('restricted-ssh')).toBe('INSUFFICIENT_DATA');
    expect(await details('restricted-ssh', ['COMPLIANT', 'NON_COMPLIANT'])).toEqual([]);
    expect(await details('restricted-ssh', ['NOT_APPLICABLE'])).toEqual([
      'sg-1=NOT_APPLICABLE',
      'sg-2=NOT_APPLICABLE',
      'sg-3=NOT_APPLICABLE',
    ]);
    // A successful evaluation, not a failure.
    expect((await evaluationStatus('restricted-ssh'))?.LastSuccessfulEvaluationTime).toEqual(sim.clock.now());
    const filtered = await config.send(
      new DescribeComplianceByConfigRuleCommand({ ComplianceTypes: ['INSUFFICIENT_DATA'] }),
    );
    expect(filtered.ComplianceByConfigRules?.map((c) => c.ConfigRuleName)).toEqual(['restricted-ssh']);
    expect(await wireRuleStates(config)).toEqual(sim.truth.ruleStates(ACCOUNT, REGION));

    // setEvaluation accepts NOT_APPLICABLE one resource at a time too.
    region.addRule({ name: 'lambda-rule', owner: 'CUSTOM_LAMBDA' });
    region.setEvaluation('lambda-rule', {
      resourceType: SG,
      resourceId: 'sg-9',
      compliance: 'NOT_APPLICABLE',
    });
    expect(await ruleCompliance('lambda-rule')).toBe('INSUFFICIENT_DATA');
    expect(sim.truth.ruleCompliance(ACCOUNT, REGION)['lambda-rule']).toBe('INSUFFICIENT_DATA');
  });

  it('failing evaluations: newer LastFailedEvaluationTime and LastErrorCode; old results and state stay', async () => {
    const before = await evaluationStatus('restricted-ssh');
    sim.clock.advance(3_600_000);
    region.failEvaluation('restricted-ssh', {
      errorCode: 'Lambda.FunctionError',
      errorMessage: 'The Lambda function returned an error.',
    });
    const after = await evaluationStatus('restricted-ssh');
    expect(after?.LastFailedEvaluationTime).toEqual(sim.clock.now());
    expect(after?.LastFailedEvaluationTime?.getTime()).toBeGreaterThan(
      after?.LastSuccessfulEvaluationTime?.getTime() ?? Infinity,
    );
    expect(after?.LastSuccessfulEvaluationTime).toEqual(before?.LastSuccessfulEvaluationTime);
    expect(after?.LastErrorCode).toBe('Lambda.FunctionError');
    expect(await ruleCompliance('restricted-ssh')).toBe('NON_COMPLIANT');
    expect(await details('restricted-ssh', ['NON_COMPLIANT'])).toEqual([
      'sg-1=NON_COMPLIANT',
      'sg-2=NON_COMPLIANT',
    ]);

    // A rule that never delivered a result stays INSUFFICIENT_DATA.
    region.addRule({
      name: 'new-lambda-rule',
      owner: 'CUSTOM_LAMBDA',
      evaluationStatus: { firstEvaluationStarted: false },
    });
    region.failEvaluation('new-lambda-rule', { errorCode: 'Lambda.FunctionError' });
    expect(await ruleCompliance('new-lambda-rule')).toBe('INSUFFICIENT_DATA');
    expect((await evaluationStatus('new-lambda-rule'))?.FirstEvaluationStarted).toBe(false);
    expect(await wireRuleStates(config)).toEqual(sim.truth.ruleStates(ACCOUNT, REGION));
  });

  it('a rule deleted and re-created with the same name: new id and ARN, evaluation starts over', async () => {
    region.addRule({ name: 'required-tags' });
    region.setRemediationConfiguration({
      ruleName: 'restricted-ssh',
      targetId: 'AWS-DisablePublicAccessForSecurityGroup',
    });
    const old = region.rule('restricted-ssh');
    const oldRemediationArn = region.remediationConfiguration('restricted-ssh')?.arn;
    sim.clock.advance(60_000);

    const fresh = region.recreateRule('restricted-ssh');
    const rules = (await config.send(new DescribeConfigRulesCommand({}))).ConfigRules ?? [];
    expect(rules.map((r) => r.ConfigRuleName)).toEqual(['required-tags', 'restricted-ssh']);
    const listed = rules[1];
    expect(listed?.ConfigRuleId).toBe(fresh.id);
    expect(listed?.ConfigRuleId).not.toBe(old?.id);
    expect(listed?.ConfigRuleArn).not.toBe(old?.arn);
    expect(listed?.Scope?.ComplianceResourceTypes).toEqual([SG]);
    const status = await evaluationStatus('restricted-ssh');
    expect(status).toMatchObject({ FirstEvaluationStarted: false, FirstActivatedTime: sim.clock.now() });
    expect(status?.LastSuccessfulEvaluationTime).toBeUndefined();
    expect(await ruleCompliance('restricted-ssh')).toBe('INSUFFICIENT_DATA');
    expect(await details('restricted-ssh')).toEqual([]);
    const remediation = (
      await config.send(new DescribeRemediationConfigurationsCommand({ ConfigRuleNames: ['restricted-ssh'] }))
    ).RemediationConfigurations?.[0];
    expect(remediation?.TargetId).toBe('AWS-DisablePublicAccessForSecurityGroup');
    expect(remediation?.Arn).not.toBe(oldRemediationArn);
    const truth = sim.truth.ruleStates(ACCOUNT, REGION);
    expect(truth.find((r) => r.ruleName === 'restricted-ssh')?.configRuleId).toBe(fresh.id);
    expect(await wireRuleStates(config)).toEqual(truth);

    sim.clock.advance(60_000);
    evaluate(region, 'restricted-ssh', { 'sg-1': 'NON_COMPLIANT' });
    expect(await ruleCompliance('restricted-ssh')).toBe('NON_COMPLIANT');
    expect(await evaluationStatus('restricted-ssh')).toMatchObject({
      FirstEvaluationStarted: true,
      LastSuccessfulEvaluationTime: sim.clock.now(),
    });
    expect(await wireRuleStates(config)).toEqual(sim.truth.ruleStates(ACCOUNT, REGION));
  });

  it('a deleted resource turns NOT_APPLICABLE in every rule that evaluated it', async () => {
    region.addRule({ name: 'required-tags' });
    evaluate(region, 'required-tags', { 'sg-1': 'NON_COMPLIANT' });
    sim.clock.advance(60_000);
    expect(region.deleteResource(SG, 'sg-1')).toEqual(['restricted-ssh', 'required-tags']);
    expect(await details('restricted-ssh')).toEqual([
      'sg-1=NOT_APPLICABLE',
      'sg-2=NON_COMPLIANT',
      'sg-3=COMPLIANT',
    ]);
    expect(await ruleCompliance('restricted-ssh')).toBe('NON_COMPLIANT');
    expect(await ruleCompliance('required-tags')).toBe('INSUFFICIENT_DATA');
    const truth = sim.truth.ruleStates(ACCOUNT, REGION);
    expect(
      truth.map((r) => [r.ruleName, r.compliance, r.nonCompliantResources.map((k) => k.resourceId)]),
    ).toEqual([
      ['restricted-ssh', 'NON_COMPLIANT', ['sg-2']],
      ['required-tags', 'INSUFFICIENT_DATA', []],
    ]);
    expect(await wireRuleStates(config)).toEqual(truth);
    expect(region.deleteResource(SG, 'sg-404')).toEqual([]);
  });
});
