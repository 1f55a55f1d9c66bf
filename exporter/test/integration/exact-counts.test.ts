import type { RunningSimulator } from '../../simulator';
import { COMMON_PORTS_RULE, DEFAULT_ACCOUNT_ID, SECURITY_HUB } from '../../simulator';
import type { Exporter } from '../../src/exporter';
import { exporterFor, scrape, series, startSim, sum, testConfig } from './harness';

const REGION = 'us-east-1';

describe('exact counts', () => {
  let sim: RunningSimulator;
  let exporter: Exporter;

  afterEach(async () => {
    await exporter?.close();
    await sim?.close();
  });

  it('counts every noncompliant resource of a rule beyond Config\'s cap of 100', async () => {
    sim = await startSim({ scenario: 'empty' });
    const region = sim.world.region(DEFAULT_ACCOUNT_ID, REGION);
    region.addRule({ name: 'restricted-common-ports', sourceIdentifier: 'RESTRICTED_INCOMING_TRAFFIC', resourceTypes: ['AWS::EC2::SecurityGroup'] });
    for (let i = 0; i < 250; i++) {
      region.setEvaluation('restricted-common-ports', { resourceType: 'AWS::EC2::SecurityGroup', resourceId: `sg-${String(i).padStart(17, '0')}`, compliance: 'NON_COMPLIANT' });
    }
    for (let i = 0; i < 40; i++) {
      region.setEvaluation('restricted-common-ports', { resourceType: 'AWS::EC2::SecurityGroup', resourceId: `sg-ok${String(i).padStart(15, '0')}`, compliance: 'COMPLIANT' });
    }
    exporter = exporterFor(sim, testConfig(sim, [`--aws.region=${REGION}`]));
    await exporter.pollOnce();
    const samples = await scrape(exporter);
    const rule = { rule: 'restricted-common-ports' };
    expect(sum(samples, 'aws_config_rule_evaluations', { ...rule, compliance: 'NON_COMPLIANT' })).toBe(250);
    expect(sum(samples, 'aws_config_rule_evaluations', { ...rule, compliance: 'COMPLIANT' })).toBe(40);
    // Config's capped count is not exported where the exact one is known.
    expect(series(samples, 'aws_config_rule_compliance_contributors', rule)).toEqual([]);
    expect(sum(samples, 'aws_config_rule_noncompliant_resources', rule)).toBe(250);
    expect(sum(samples, 'aws_config_noncompliant_resources', { severity: 'CRITICAL' })).toBe(250);
    // 290 results over pages of 100: three calls, not one per resource.
    const detailCalls = sim.calls.entries().filter((c) => c.operation === 'GetComplianceDetailsByConfigRule');
    expect(detailCalls).toHaveLength(3);
  });

  it('equals the account\'s ground truth for every rule and severity of the default scenario', async () => {
    sim = await startSim({ scenario: 'default', seed: 7 });
    exporter = exporterFor(sim, testConfig(sim));
    await exporter.pollOnce();
    const samples = await scrape(exporter);
    for (const region of sim.regions) {
      const where = { account_id: DEFAULT_ACCOUNT_ID, region };
      const severityOf = new Map(series(samples, 'aws_config_rule_info', where).map((s) => [s.labels.rule, s.labels.severity]));
      const hidden = new Set(series(samples, 'aws_config_rule_evaluation_details_available', where).filter((s) => s.value === 0).map((s) => s.labels.rule));
      const truthCounts = sim.truth.evaluationCounts(DEFAULT_ACCOUNT_ID, region).byRule;
      expect(severityOf.size).toBe(Object.keys(truthCounts).length);
      for (const [rule, counts] of Object.entries(truthCounts)) {
        // The exact count per rule is known for every rule, except service-linked ones above Config's cap.
        const exact = series(samples, 'aws_config_rule_noncompliant_resources', { ...where, rule });
        if (hidden.has(rule) && counts.NON_COMPLIANT > 100) expect([rule, exact]).toEqual([rule, []]);
        else expect([rule, exact.map((s) => s.value)]).toEqual([rule, [counts.NON_COMPLIANT]]);
        if (hidden.has(rule)) continue;
        expect([rule, sum(samples, 'aws_config_rule_evaluations', { ...where, rule, compliance: 'NON_COMPLIANT' })]).toEqual([rule, counts.NON_COMPLIANT]);
        expect([rule, sum(samples, 'aws_config_rule_evaluations', { ...where, rule, compliance: 'COMPLIANT' })]).toEqual([rule, counts.COMPLIANT]);
      }
      // Distinct noncompliant resources per severity, from the rules whose details can be read.
      const expected = new Map<string, Set<string>>();
      for (const resource of sim.truth.noncompliantResources(DEFAULT_ACCOUNT_ID, region)) {
        for (const rule of resource.rules) {
          const severity = severityOf.get(rule) as string;
          if (!expected.has(severity)) expected.set(severity, new Set());
          expected.get(severity)?.add(`${resource.resourceType}/${resource.resourceId}`);
        }
      }
      for (const s of series(samples, 'aws_config_noncompliant_resources', where)) {
        expect([s.labels.severity, s.value]).toEqual([s.labels.severity, expected.get(s.labels.severity as string)?.size ?? 0]);
      }
      // The rule above the cap is in the scenario and is exact.
      expect(sum(samples, 'aws_config_rule_evaluations', { ...where, rule: COMMON_PORTS_RULE, compliance: 'NON_COMPLIANT' })).toBeGreaterThan(100);
      // Security Hub's service-linked rules are marked, not fatal, and keep their rule-level state.
      const linked = [...sim.world.region(DEFAULT_ACCOUNT_ID, region).rules()].filter((r) => r.createdBy === SECURITY_HUB).map((r) => r.name);
      expect(linked.length).toBeGreaterThan(0);
      for (const rule of linked) {
        expect(hidden.has(rule)).toBe(true);
        expect(series(samples, 'aws_config_rule_compliance', { ...where, rule })).toHaveLength(1);
        const noncompliant = truthCounts[rule]?.NON_COMPLIANT ?? 0;
        if (noncompliant > 0) {
          expect([rule, sum(samples, 'aws_config_rule_compliance_contributors', { ...where, rule })]).toEqual([rule, Math.min(100, noncompliant)]);
          expect([rule, sum(samples, 'aws_config_rule_compliance_contributors_cap_exceeded', { ...where, rule })]).toEqual([rule, noncompliant > 100 ? 1 : 0]);
        }
      }
    }
    expect(sum(samples, 'compliance_pulse_poll_success')).toBe(sim.regions.length * 3);
  });

  it('joins severity for managed, custom-named and Security Hub rules', async () => {
    sim = await startSim({ scenario: 'empty' });
    const region = sim.world.region(DEFAULT_ACCOUNT_ID, REGION);
    region.addRule({ name: 's3-bucket-public-read-prohibited' });
    region.addRule({ name: 'my-team-s3-public-read', sourceIdentifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED' });
    region.addRule({ name: 'securityhub-iam-root-access-key-check-0a1b2c3d', sourceIdentifier: 'IAM_ROOT_ACCESS_KEY_CHECK', createdBy: SECURITY_HUB });
    region.addRule({ name: 'securityhub-restricted-rdp-c585f8c6', sourceIdentifier: 'RESTRICTED_INCOMING_TRAFFIC', createdBy: SECURITY_HUB });
    region.addRule({ name: 'required-tags' });
    region.addRule({ name: 'acme-custom-lambda-rule', owner: 'CUSTOM_LAMBDA', sourceIdentifier: 'arn:aws:lambda:us-east-1:123456789012:function:acme' });
    exporter = exporterFor(sim, testConfig(sim, [`--aws.region=${REGION}`]));
    await exporter.pollOnce();
    const info = Object.fromEntries(
      series(await scrape(exporter), 'aws_config_rule_info').map((s) => [s.labels.rule, [s.labels.control_id, s.labels.severity, s.labels.source_identifier]]),
    );
    expect(info).toEqual({
      's3-bucket-public-read-prohibited': ['S3.2', 'CRITICAL', 'S3_BUCKET_PUBLIC_READ_PROHIBITED'],
      'my-team-s3-public-read': ['S3.2', 'CRITICAL', 'S3_BUCKET_PUBLIC_READ_PROHIBITED'],
      'securityhub-iam-root-access-key-check-0a1b2c3d': ['IAM.4', 'CRITICAL', 'IAM_ROOT_ACCESS_KEY_CHECK'],
      'securityhub-restricted-rdp-c585f8c6': ['EC2.14', 'HIGH', 'RESTRICTED_INCOMING_TRAFFIC'],
      'required-tags': ['', 'UNKNOWN', 'REQUIRED_TAGS'],
      'acme-custom-lambda-rule': ['', 'UNKNOWN', 'arn:aws:lambda:us-east-1:123456789012:function:acme'],
    });
  });
});
