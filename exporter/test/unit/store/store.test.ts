import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/errors';
import type { EvaluationResult, RemediationExecution } from '../../../src/model';
import { Store } from '../../../src/store/store';

const target = { accountId: '123456789012', region: 'us-east-1' };
const tempPath = () => join(mkdtempSync(join(tmpdir(), 'cp-store-')), 'store.db');
/** A result whose evaluation was triggered at `at`, run 20 s later and recorded 30 s later. */
const nc = (id: string, at: number): EvaluationResult => ({
  resourceType: 'AWS::EC2::SecurityGroup',
  resourceId: id,
  compliance: 'NON_COMPLIANT',
  triggeredAt: at,
  evaluatedAt: at + 20,
  recordedAt: at + 30,
  annotation: undefined,
});
const ok = (id: string, at: number): EvaluationResult => ({
  ...nc(id, at),
  compliance: 'COMPLIANT',
});
const rule = { name: 'restricted-common-ports', severity: 'CRITICAL' as const, controlId: 'EC2.19' };

describe('Store', () => {
  it('records each finished remediation once, and the counters survive a reopen', () => {
    const path = tempPath();
    const executions: RemediationExecution[] = [
      {
        rule: rule.name,
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-1',
        state: 'SUCCEEDED',
        invokedAt: 1000,
        updatedAt: 1012,
        errorMessage: undefined,
      },
      {
        rule: rule.name,
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-2',
        state: 'FAILED',
        invokedAt: 1000,
        updatedAt: 1003,
        errorMessage: 'is not authorized to perform: ec2:RevokeSecurityGroupIngress',
      },
      {
        rule: rule.name,
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: 'sg-3',
        state: 'IN_PROGRESS',
        invokedAt: 1000,
        updatedAt: 1001,
        errorMessage: undefined,
      },
    ];
    const labels = () => ({
      severity: 'CRITICAL' as const,
      runbook: 'Custom-DisablePublicAccessForSecurityGroup',
    });
    let store = new Store(path);
    expect(store.write(() => store.remediations.recordFinished(target, executions, labels))).toBe(2);
    expect(store.write(() => store.remediations.recordFinished(target, executions, labels))).toBe(0);
    store.close();

    store = new Store(path);
    expect(store.write(() => store.remediations.recordFinished(target, executions, labels))).toBe(0);
    const total = store.totals.counterSeries('aws_config_remediation_executions_total');
    expect(total).toEqual([
      {
        labels: {
          account_id: target.accountId,
          region: target.region,
          rule: rule.name,
          runbook: 'Custom-DisablePublicAccessForSecurityGroup',
          severity: 'CRITICAL',
        },
        value: 2,
      },
    ]);
    expect(
      store.totals
        .counterSeries('aws_config_remediation_execution_failures_total')
        .map((s) => [s.labels.reason, s.value]),
    ).toEqual([['access_denied', 1]]);
    const [duration] = store.totals.histogramSeries('aws_config_remediation_duration_seconds');
    expect(duration).toMatchObject({ count: 2, sum: 15 });
    store.close();
  });

  it('keeps memory and disk in step when a transaction fails', () => {
    const store = new Store(tempPath());
    expect(() =>
      store.write(() => {
        store.totals.increment('aws_ssm_automation_executions_total', { document: 'X', status: 'Success' });
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(store.totals.counterSeries('aws_ssm_automation_executions_total')).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM totals').get()).toEqual({ n: 0 });
    store.close();
  });

  it('counts an automation execution once, when it first finishes', () => {
    const path = tempPath();
    let store = new Store(path);
    const running = {
      id: '11111111-1111-1111-1111-111111111111',
      document: 'AWS-X',
      status: 'InProgress',
      startedAt: 100,
      endedAt: undefined,
      failureMessage: undefined,
      executedBy: undefined,
    };
    expect(store.write(() => store.automations.upsert(target, [running]))).toEqual({ added: 1, finished: 0 });
    expect(store.automations.runningCounts(target)).toEqual([
      { document: 'AWS-X', status: 'InProgress', count: 1 },
    ]);
    const failed = { ...running, status: 'Failed', endedAt: 160, failureMessage: 'Rate exceeded' };
    expect(store.write(() => store.automations.upsert(target, [failed]))).toEqual({ added: 0, finished: 1 });
    expect(store.write(() => store.automations.upsert(target, [failed]))).toEqual({ added: 0, finished: 0 });
    store.close();
    store = new Store(path);
    expect(store.write(() => store.automations.upsert(target, [failed]))).toEqual({ added: 0, finished: 0 });
    expect(store.totals.counterSeries('aws_ssm_automation_executions_total').map((s) => s.value)).toEqual([
      1,
    ]);
    expect(
      store.totals.counterSeries('aws_ssm_automation_execution_failures_total').map((s) => s.labels.reason),
    ).toEqual(['throttled']);
    expect(store.totals.histogramSeries('aws_ssm_automation_execution_duration_seconds')[0]).toMatchObject({
      count: 1,
      sum: 60,
    });
    expect(store.automations.runningCounts(target)).toEqual([]);
    store.close();
  });

  it('opens findings on first sight and closes them when fixed or gone, observing time to remediate', () => {
    const store = new Store(tempPath());
    const reconcile = (results: EvaluationResult[], now: number) =>
      store.write(() => store.findings.reconcileRule(target, rule, results, now, false));
    expect(reconcile([nc('sg-1', 1000), nc('sg-2', 1100), ok('sg-3', 900)], 1200)).toEqual({
      opened: 2,
      resolved: 0,
    });
    expect(reconcile([nc('sg-1', 1500), nc('sg-2', 1100), ok('sg-3', 900)], 1600)).toEqual({
      opened: 0,
      resolved: 0,
    });
    // sg-1 fixed (the change that made it COMPLIANT at 2000), sg-2 deleted (gone by the 2500 poll).
    expect(reconcile([ok('sg-1', 2000), ok('sg-3', 900)], 2500)).toEqual({ opened: 0, resolved: 2 });
    const rows = store.db
      .prepare('SELECT resource_id, first_seen, resolved_at, resolution FROM findings ORDER BY resource_id')
      .all();
    expect(rows).toEqual([
      { resource_id: 'sg-1', first_seen: 1000, resolved_at: 2000, resolution: 'compliant' },
      { resource_id: 'sg-2', first_seen: 1100, resolved_at: 2500, resolution: 'gone' },
    ]);
    const [ttr] = store.totals.histogramSeries('aws_config_time_to_remediate_seconds');
    expect(ttr).toMatchObject({
      labels: { account_id: target.accountId, region: target.region, severity: 'CRITICAL' },
      count: 2,
      sum: 1000 + 1400,
    });
    // Violated again: a new episode.
    expect(reconcile([nc('sg-1', 3000), ok('sg-3', 900)], 3100)).toEqual({ opened: 1, resolved: 0 });
    expect(store.findings.oldestOpenByRule(target).get(rule.name)).toEqual({
      firstSeen: 3000,
      severity: 'CRITICAL',
    });
    expect(store.findings.closeRule(target, rule.name, 4000)).toBe(1);
    expect(store.findings.rulesWithOpenFindings(target)).toEqual([]);
    expect(store.totals.histogramSeries('aws_config_time_to_remediate_seconds')[0]?.count).toBe(2);
    store.close();
  });

  it("dates a finding by the event that triggered its evaluation, else the rule's run, else the record time, never after the poll", () => {
    const store = new Store(tempPath());
    const results: EvaluationResult[] = [
      nc('sg-triggered', 1000),
      { ...nc('sg-evaluated', 1000), triggeredAt: undefined },
      { ...nc('sg-recorded', 1000), triggeredAt: undefined, evaluatedAt: undefined },
      { ...nc('sg-undated', 1000), triggeredAt: undefined, evaluatedAt: undefined, recordedAt: undefined },
      nc('sg-future', 5000),
    ];
    store.write(() => store.findings.reconcileRule(target, rule, results, 2000, false));
    expect(
      store.db.prepare('SELECT resource_id, first_seen FROM findings ORDER BY resource_id').all(),
    ).toEqual([
      { resource_id: 'sg-evaluated', first_seen: 1020 },
      { resource_id: 'sg-future', first_seen: 2000 },
      { resource_id: 'sg-recorded', first_seen: 1030 },
      { resource_id: 'sg-triggered', first_seen: 1000 },
      { resource_id: 'sg-undated', first_seen: 2000 },
    ]);
    store.close();
  });

  it('opens nothing and moves no first-seen time when a periodic rule records the same results again', () => {
    const store = new Store(tempPath());
    const reconcile = (at: number, now: number) =>
      store.write(() =>
        store.findings.reconcileRule(
          target,
          rule,
          [nc('sg-1', at), nc('sg-2', at), ok('sg-3', at)],
          now,
          false,
        ),
      );
    expect(reconcile(1000, 1100)).toEqual({ opened: 2, resolved: 0 });
    // Every 24 hours all three of Config's times move, the compliance does not.
    expect(reconcile(1000 + 86_400, 1100 + 86_400)).toEqual({ opened: 0, resolved: 0 });
    expect(reconcile(1000 + 2 * 86_400, 1100 + 2 * 86_400)).toEqual({ opened: 0, resolved: 0 });
    expect(
      store.db.prepare('SELECT resource_id, first_seen FROM findings ORDER BY resource_id').all(),
    ).toEqual([
      { resource_id: 'sg-1', first_seen: 1000 },
      { resource_id: 'sg-2', first_seen: 1000 },
    ]);
    store.close();
  });

  it('resolves pre-existing findings without observing a time to remediate', () => {
    const store = new Store(tempPath());
    store.write(() => store.findings.reconcileRule(target, rule, [nc('sg-old', 1000)], 1100, true));
    store.write(() =>
      store.findings.reconcileRule(target, rule, [nc('sg-old', 1000), nc('sg-new', 1500)], 1600, false),
    );
    expect(
      store.write(() =>
        store.findings.reconcileRule(target, rule, [ok('sg-old', 2000), ok('sg-new', 2000)], 2100, false),
      ),
    ).toEqual({ opened: 0, resolved: 2 });
    expect(
      store.db
        .prepare(
          'SELECT resource_id, pre_existing, resolved_at, resolution FROM findings ORDER BY resource_id',
        )
        .all(),
    ).toEqual([
      { resource_id: 'sg-new', pre_existing: 0, resolved_at: 2000, resolution: 'compliant' },
      { resource_id: 'sg-old', pre_existing: 1, resolved_at: 2000, resolution: 'compliant' },
    ]);
    expect(store.totals.histogramSeries('aws_config_time_to_remediate_seconds')).toMatchObject([
      { count: 1, sum: 500 },
    ]);
    store.close();
  });

  it('tells which reads of a rule open pre-existing findings: the first of each rule listed at the first poll', () => {
    const store = new Store(tempPath());
    const read = (name: string, at: number) =>
      store.write(() => store.monitoring.recordResultsRead(target, name, at));
    const poll = (at: number, rules: string[]) =>
      store.write(() => store.monitoring.recordSuccessfulPoll(target, at, rules));
    // The first poll reads one rule; two others give no results yet (INSUFFICIENT_DATA).
    expect(read('read-at-once', 100)).toBe(true);
    poll(100, ['read-at-once', 'results-later', 'deleted-unread']);
    expect(store.monitoring.firstConfigPolls()).toEqual(new Map([['123456789012/us-east-1', 100]]));
    expect(read('read-at-once', 200)).toBe(false);
    expect(read('results-later', 300)).toBe(true);
    expect(read('results-later', 400)).toBe(false);
    // A rule created after the first poll, and one deleted before it was read and created again, are new.
    expect(read('created-later', 500)).toBe(false);
    poll(600, ['read-at-once', 'results-later', 'created-later']);
    poll(700, ['read-at-once', 'results-later', 'created-later', 'deleted-unread']);
    expect(read('deleted-unread', 700)).toBe(false);
    expect(store.monitoring.firstConfigPolls()).toEqual(new Map([['123456789012/us-east-1', 100]]));
    store.close();
  });

  it('prunes old history but never open findings, remediation keys or counters', () => {
    const store = new Store(tempPath());
    store.write(() =>
      store.findings.reconcileRule(target, rule, [nc('sg-old', 100), nc('sg-open', 100)], 150, false),
    );
    store.write(() => store.findings.reconcileRule(target, rule, [nc('sg-open', 100)], 200, false));
    const done = {
      id: '22222222-2222-2222-2222-222222222222',
      document: 'AWS-X',
      status: 'Success',
      startedAt: 100,
      endedAt: 120,
      failureMessage: undefined,
      executedBy: undefined,
    };
    store.write(() => store.automations.upsert(target, [done]));
    store.write(() =>
      store.remediations.recordFinished(
        target,
        [
          {
            rule: rule.name,
            resourceType: 'T',
            resourceId: 'r',
            state: 'SUCCEEDED',
            invokedAt: 100,
            updatedAt: 110,
            errorMessage: undefined,
          },
        ],
        () => ({ severity: 'LOW', runbook: 'AWS-X' }),
      ),
    );
    store.prune(1000);
    expect(store.db.prepare('SELECT resource_id FROM findings').all()).toEqual([{ resource_id: 'sg-open' }]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM automation_executions').get()).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM remediation_executions').get()).toEqual({ n: 1 });
    expect(store.totals.counterSeries('aws_ssm_automation_executions_total').map((s) => s.value)).toEqual([
      1,
    ]);
    expect(store.totals.histogramSeries('aws_config_time_to_remediate_seconds')[0]?.count).toBe(1);
    store.close();
  });

  it('prunes old remediation executions but keeps the newest of each resource, which Config still reports', () => {
    const store = new Store(tempPath());
    const run = (resourceId: string, invokedAt: number): RemediationExecution => ({
      rule: rule.name,
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId,
      state: 'SUCCEEDED',
      invokedAt,
      updatedAt: invokedAt + 10,
      errorMessage: undefined,
    });
    const labels = () => ({ severity: 'CRITICAL' as const, runbook: 'AWS-X' });
    const record = (executions: RemediationExecution[]) =>
      store.write(() => store.remediations.recordFinished(target, executions, labels));
    // sg-1: two old runs and a recent one; sg-2: one old run, still its latest; sg-3: two recent runs.
    expect(
      record([
        run('sg-1', 100),
        run('sg-1', 200),
        run('sg-1', 2000),
        run('sg-2', 100),
        run('sg-3', 1500),
        run('sg-3', 1800),
      ]),
    ).toBe(6);
    store.prune(1000);
    const rows = store.db
      .prepare('SELECT resource_id, invoked_at FROM remediation_executions ORDER BY resource_id, invoked_at')
      .all();
    expect(rows).toEqual([
      { resource_id: 'sg-1', invoked_at: 2000 },
      { resource_id: 'sg-2', invoked_at: 100 },
      { resource_id: 'sg-3', invoked_at: 1500 },
      { resource_id: 'sg-3', invoked_at: 1800 },
    ]);
    // Config reports each resource's latest status again: nothing is counted twice.
    expect(record([run('sg-1', 2000), run('sg-2', 100), run('sg-3', 1800)])).toBe(0);
    expect(store.totals.counterSeries('aws_config_remediation_executions_total').map((s) => s.value)).toEqual(
      [6],
    );
    expect(store.remediations.ruleForResource(target, 'AWS-X', 'sg-2')).toBe(rule.name);
    store.close();
  });

  it('refuses at once a store another connection holds, and the holder keeps working', () => {
    const path = tempPath();
    const holder = new Store(path);
    const started = performance.now();
    let refusal: unknown;
    try {
      new Store(path).close();
    } catch (err) {
      refusal = err;
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toBe(`--storage.path: "${path}" is in use by another process`);
    holder.write(() =>
      holder.totals.increment('aws_ssm_automation_executions_total', { document: 'X', status: 'Success' }),
    );
    expect(holder.totals.counterSeries('aws_ssm_automation_executions_total').map((s) => s.value)).toEqual([
      1,
    ]);
    holder.close();
    const next = new Store(path);
    expect(next.totals.counterSeries('aws_ssm_automation_executions_total').map((s) => s.value)).toEqual([1]);
    next.close();
  });

  it('refuses a store written by a newer schema', () => {
    const path = tempPath();
    const store = new Store(path);
    store.db.pragma('user_version = 99');
    store.close();
    expect(() => new Store(path)).toThrow('written by a newer version');
  });
});
