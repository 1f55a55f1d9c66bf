import {
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRuleEvaluationStatusCommand,
  DescribeConfigRulesCommand,
  DescribeRemediationConfigurationsCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type ComplianceType,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { startSimulator, type RegionState, type RunningSimulator } from '../../simulator';
import { asSeenOnTheWire, configClient, START, wireRuleStates } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SG = 'AWS::EC2::SecurityGroup';

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

describe('live mode with transitions', () => {
  /** Which transitions a tick shows, judged from the world before and after it. */
  function transitionsSeen(before: Map<string, RuleSnapshot>, region: RegionState): string[] {
    const seen: string[] = [];
    for (const rule of region.rules()) {
      const was = before.get(rule.name);
      const counts = region.complianceCounts(rule.name);
      const size = counts.COMPLIANT + counts.NON_COMPLIANT + counts.NOT_APPLICABLE;
      if (!was) continue;
      if (was.id !== rule.id) seen.push('rule-recreated');
      else if (was.size > 0 && size === 0) seen.push('results-deleted');
      else if (size > 0 && counts.NOT_APPLICABLE === size && was.notApplicable < was.size)
        seen.push('not-applicable');
      else if (counts.NOT_APPLICABLE > was.notApplicable) seen.push('resource-deleted');
    }
    return seen;
  }
  interface RuleSnapshot {
    id: string;
    size: number;
    notApplicable: number;
  }
  const snapshot = (region: RegionState) =>
    new Map(
      region.rules().map((r) => {
        const counts = region.complianceCounts(r.name);
        return [
          r.name,
          {
            id: r.id,
            size: counts.COMPLIANT + counts.NON_COMPLIANT + counts.NOT_APPLICABLE,
            notApplicable: counts.NOT_APPLICABLE,
          },
        ];
      }),
    );

  it('rules go through every transition and come back; the wire agrees with truth.ruleStates throughout', async () => {
    const sim = await startSimulator({
      scenario: 'default',
      live: { transitions: true, transitionChance: 0.5 },
      clock: 'manual',
      startTime: START,
    });
    try {
      const region = sim.world.region(ACCOUNT, REGION);
      const config = configClient(sim);
      const seen = new Set<string>();
      let lastRecreated = '';
      for (let i = 1; i <= 120; i++) {
        const before = snapshot(region);
        sim.clock.advance(2_000);
        sim.tick();
        for (const kind of transitionsSeen(before, region)) seen.add(kind);
        const again = region.rules().find((r) => before.has(r.name) && before.get(r.name)?.id !== r.id);
        if (again) lastRecreated = again.name;
        if (i % 40 === 0)
          expect(await wireRuleStates(config)).toEqual(
            asSeenOnTheWire(sim.truth.ruleStates(ACCOUNT, REGION)),
          );
      }
      expect([...seen].sort()).toEqual([
        'not-applicable',
        'resource-deleted',
        'results-deleted',
        'rule-recreated',
      ]);
      // The last re-created rule is evaluated again a few ticks later: results back, FirstEvaluationStarted.
      const name = lastRecreated;
      for (let i = 0; i < 6 && !region.rule(name)?.evaluationStatus.firstEvaluationStarted; i++) {
        sim.clock.advance(2_000);
        sim.tick();
      }
      expect(region.rule(name)?.evaluationStatus.firstEvaluationStarted).toBe(true);
      expect(region.evaluations(name).length).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });

  it('is deterministic for a seed, and off unless asked for', async () => {
    const run = async (live: boolean | { transitions: boolean }): Promise<string> => {
      const sim = await startSimulator({
        scenario: 'default',
        seed: 5,
        live,
        clock: 'manual',
        startTime: START,
      });
      try {
        for (let i = 0; i < 60; i++) {
          sim.clock.advance(2_000);
          sim.tick();
        }
        return JSON.stringify(sim.truth.ruleStates(ACCOUNT, REGION));
      } finally {
        await sim.close();
      }
    };
    const withTransitions = await run({ transitions: true });
    expect(await run({ transitions: true })).toBe(withTransitions);
    expect(await run(true)).not.toBe(withTransitions);
    expect(await run(true)).toBe(await run({ transitions: false }));
  });
});
