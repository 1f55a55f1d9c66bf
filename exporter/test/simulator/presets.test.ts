import {
  DescribeAggregateComplianceByConfigRulesCommand,
  paginateDescribeAggregateComplianceByConfigRules,
  paginateGetAggregateComplianceDetailsByConfigRule,
} from '@aws-sdk/client-config-service';
import {
  AGGREGATOR_NAME,
  LARGE_REGIONS,
  MANAGEMENT_ACCOUNT_ID,
  startSimulator,
  type RunningSimulator,
} from '../../simulator';
import { configClient, START } from './helpers';

describe('the large presets', () => {
  it('large: 4 regions × 250 rules, more than 100,000 evaluation results', async () => {
    const sim = await startSimulator({ scenario: 'large', startTime: START });
    try {
      const summary = sim.truth.summary();
      expect(summary.map((s) => s.region)).toEqual([...LARGE_REGIONS]);
      expect(summary.every((s) => s.rules === 250)).toBe(true);
      expect(sim.world.evaluationCount()).toBeGreaterThanOrEqual(100_000);
      expect(sim.truth.automationExecutions(sim.accountIds[0] ?? '', 'us-east-1').length).toBeGreaterThan(
        100,
      );
    } finally {
      await sim.close();
    }
  });

  describe('organization', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ scenario: 'organization', startTime: START, maxCachedRegions: 16 });
    });
    afterAll(() => sim.close());

    it('200 members × 4 regions × 300 rules, over a million results, counted without building the members', () => {
      expect(sim.accountIds).toHaveLength(201);
      const summary = sim.truth.summary();
      expect(summary).toHaveLength(201 * 4);
      expect(summary.every((s) => s.rules === 300)).toBe(true);
      expect(sim.world.evaluationCount()).toBeGreaterThanOrEqual(1_000_000);
      expect(sim.world.builtRegionCount()).toBeLessThanOrEqual(4);
    });

    it("a member's plan agrees with the region once it is built, and rebuilding after eviction gives the same results", () => {
      const members = sim.accountIds.filter((a) => a !== MANAGEMENT_ACCOUNT_ID);
      const sample = [members[0], members[77], members[199]].map((a) => a ?? '');
      const snapshot = (accountId: string) => {
        const state = sim.world.existingRegion(accountId, 'us-west-2');
        return JSON.stringify(
          state
            ?.rules()
            .slice(0, 40)
            .map((r) => [r.id, state.evaluations(r.name)]),
        );
      };
      const first = sample.map(snapshot);
      for (const accountId of sample) {
        const planned = JSON.stringify(sim.world.ruleSummaries(accountId, 'eu-west-1'));
        sim.world.existingRegion(accountId, 'eu-west-1');
        expect(JSON.stringify(sim.world.ruleSummaries(accountId, 'eu-west-1'))).toBe(planned);
      }
      // Touch enough other regions for the unchanged sample regions to be dropped, then rebuild them.
      for (const accountId of members.slice(1, 40)) sim.world.existingRegion(accountId, 'ap-northeast-2');
      expect(sim.world.builtRegionCount()).toBeLessThanOrEqual(16 + 4);
      expect(sample.map(snapshot)).toEqual(first);
    });

    it('the aggregator answers across all members, each (account, region, rule) once', async () => {
      const client = configClient(sim);
      const seen = new Set<string>();
      let rows = 0;
      for await (const page of paginateDescribeAggregateComplianceByConfigRules(
        { client, pageSize: 1000 },
        { ConfigurationAggregatorName: AGGREGATOR_NAME },
      )) {
        for (const row of page.AggregateComplianceByConfigRules ?? []) {
          seen.add(`${row.AccountId}/${row.AwsRegion}/${row.ConfigRuleName}`);
          rows++;
        }
      }
      const expected = sim.truth
        .summary()
        .reduce(
          (sum, s) =>
            sum +
            sim.world
              .ruleSummaries(s.accountId, s.region)
              .filter((r) => r.compliance === 'COMPLIANT' || r.compliance === 'NON_COMPLIANT').length,
          0,
        );
      expect(rows).toBe(expected);
      expect(seen.size).toBe(rows);
      expect(new Set([...seen].map((k) => k.split('/')[0])).size).toBe(201);

      const member = sim.accountIds[100] ?? '';
      const rule = sim.world.ruleSummaries(member, 'us-east-1').find((r) => r.nonCompliantCount > 1);
      const details = [];
      for await (const page of paginateGetAggregateComplianceDetailsByConfigRule(
        { client, pageSize: 1 },
        {
          ConfigurationAggregatorName: AGGREGATOR_NAME,
          ConfigRuleName: rule?.ruleName,
          AccountId: member,
          AwsRegion: 'us-east-1',
          ComplianceType: 'NON_COMPLIANT',
        },
      )) {
        details.push(...(page.AggregateEvaluationResults ?? []));
      }
      expect(details).toHaveLength(rule?.nonCompliantCount ?? -1);
      expect(details.every((d) => d.AccountId === member && d.AwsRegion === 'us-east-1')).toBe(true);
    });
  });

  it('a selective aggregate query can return an empty page that still has a NextToken', async () => {
    const sim = await startSimulator({ scenario: 'empty', startTime: START });
    try {
      const home = sim.world.region('123456789012', 'us-east-1');
      const member = sim.world.region('210987654321', 'us-east-1');
      for (let i = 0; i < 2_600; i++) {
        const name = `rule-${String(i).padStart(4, '0')}`;
        member.addRule({ name });
        member.setEvaluation(name, {
          resourceType: 'AWS::S3::Bucket',
          resourceId: 'b',
          compliance: 'COMPLIANT',
        });
      }
      member.addRule({ name: 'zz-failing' });
      member.setEvaluation('zz-failing', {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'b',
        compliance: 'NON_COMPLIANT',
      });
      home.addAggregator({
        name: 'team-aggregator',
        arn: 'arn:aws:config:us-east-1:123456789012:config-aggregator/config-aggregator-abcdefgh',
        creationTime: START.getTime(),
        lastUpdatedTime: START.getTime(),
        accountSource: { accountIds: ['210987654321'], awsRegions: ['us-east-1'] },
      });
      const client = configClient(sim);
      const input = {
        ConfigurationAggregatorName: 'team-aggregator',
        Filters: { ComplianceType: 'NON_COMPLIANT' as const },
      };
      const first = await client.send(new DescribeAggregateComplianceByConfigRulesCommand(input));
      expect(first.AggregateComplianceByConfigRules).toEqual([]);
      expect(first.NextToken).toBeDefined();
      const second = await client.send(
        new DescribeAggregateComplianceByConfigRulesCommand({ ...input, NextToken: first.NextToken }),
      );
      expect(second.AggregateComplianceByConfigRules?.map((r) => r.ConfigRuleName)).toEqual(['zz-failing']);
      expect(second.NextToken).toBeUndefined();
    } finally {
      await sim.close();
    }
  });
});
