import type { Clock } from './clock';
import { RuleTransitions, transitionChanceOf, type LiveOptions } from './live-transitions';
import { Random } from './random';
import { ACCOUNT_RESOURCE_TYPE, resourceId as makeResourceId } from './scenario/resources';
import { recordRemediationRun, recordTaggingRun, resourceArn, type RegionStory } from './scenario/story';
import type { LiveTarget } from './scenario/types';
import type { RegionState } from './world/region-state';
import {
  FREQUENCY_MS,
  type AutomationExecutionRecord,
  type ConfigRuleRecord,
  type Evaluation,
} from './world/types';
import type { World } from './world/world';

const DAY_MS = 86_400_000;

/** Chances per tick (a tick is 2 s by default): a wall screen visibly changes within a minute. */
const P_VIOLATION = 0.3;
const P_REMEDIATED_SHARE = 0.4;
const P_MANUAL_FIX = 0.12;
const P_NEW_RESOURCE = 0.08;
const P_RESOURCE_GONE = 0.07;
const PURGE_EVERY_TICKS = 30;

interface Retry {
  readonly due: number;
  readonly ruleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
}

interface TargetState {
  readonly target: LiveTarget;
  readonly random: Random;
  nextDrillAt: number | undefined;
  retries: Retry[];
  /** Failed automatic attempts since each (rule, resource) last became noncompliant. */
  readonly attempts: Map<string, number>;
  /** Only with `transitions`. */
  readonly transitions: RuleTransitions | undefined;
}

function keyOf(ruleName: string, resourceType: string, resourceId: string): string {
  return `${ruleName}\u0000${resourceType}\u0000${resourceId}`;
}

/**
 * Live mode: every tick moves the world the way a busy account moves. New violations appear, automatic
 * remediations run (Config's status and the SSM execution are projections of the same planned run),
 * people fix things by hand, resources disappear, the tagging runbook tags new resources, periodic rules
 * re-evaluate, and SSM history past 30 days is dropped. With `transitions`, rules also pass through
 * rule-level transitions (live-transitions.ts).
 */
export class LiveEngine {
  private readonly targets: TargetState[];
  private ticks = 0;

  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    targets: readonly LiveTarget[],
    seed: number,
    options: LiveOptions = {},
  ) {
    const chance = transitionChanceOf(options);
    this.targets = targets.map((target) => ({
      target,
      random: Random.derive(seed, target.accountId, target.region, 'live'),
      nextDrillAt: undefined,
      retries: [],
      attempts: new Map(),
      transitions: options.transitions
        ? new RuleTransitions(seed, target.accountId, target.region, chance)
        : undefined,
    }));
  }

  tick(): void {
    const now = this.clock.nowMs();
    this.ticks++;
    for (const t of this.targets) {
      const state = this.world.region(t.target.accountId, t.target.region);
      this.settle(state, t, now);
      this.runRetries(state, t, now);
      this.randomEvents(state, t, now);
      t.transitions?.step(state, now);
      this.drill(state, t, now);
      this.periodicEvaluations(state, now);
      if (this.ticks % PURGE_EVERY_TICKS === 0) state.purgeExpired();
    }
  }

  /** Applies what finished runs did: fixes turn results COMPLIANT, failed automatic ones are retried. */
  private settle(state: RegionState, t: TargetState, now: number): void {
    const records = state.executionRecords();
    for (let i = records.length - 1; i >= 0; i--) {
      const record = records[i] as AutomationExecutionRecord;
      if (record.startTime < now - DAY_MS) break;
      if (record.endTime > now || state.isSettled(record.id)) continue;
      state.markSettled(record.id);
      const fixes = record.fixes;
      if (record.finalStatus === 'Success' && fixes) {
        const current = state.evaluationStore(fixes.ruleName)?.get(fixes.resourceType, fixes.resourceId);
        if (current?.compliance === 'NON_COMPLIANT') {
          const recordedTime = Math.min(now, record.endTime + t.random.int(2_000, 8_000));
          this.setResult(state, fixes.ruleName, current, 'COMPLIANT', recordedTime, record.endTime);
        }
        continue;
      }
      const ref = record.remediation;
      const config = ref && state.remediationConfiguration(ref.ruleName);
      if (!ref || !config?.automatic || record.trigger !== 'config-remediation') continue;
      const current = state.evaluationStore(ref.ruleName)?.get(ref.resourceType, ref.resourceId);
      if (current?.compliance !== 'NON_COMPLIANT') continue;
      const key = keyOf(ref.ruleName, ref.resourceType, ref.resourceId);
      const attempts = (t.attempts.get(key) ?? 1) + 1;
      if (attempts > (config.maximumAutomaticAttempts ?? 5)) continue;
      t.attempts.set(key, attempts);
      t.retries.push({ due: record.endTime + (config.retryAttemptSeconds ?? 60) * 1000, ...ref });
    }
  }

  private runRetries(state: RegionState, t: TargetState, now: number): void {
    const due = t.retries.filter((r) => r.due <= now);
    if (due.length === 0) return;
    t.retries = t.retries.filter((r) => r.due > now);
    for (const retry of due) {
      const config = state.remediationConfiguration(retry.ruleName);
      const current = state.evaluationStore(retry.ruleName)?.get(retry.resourceType, retry.resourceId);
      if (!config || current?.compliance !== 'NON_COMPLIANT') continue;
      const reason = t.target.story.remediationReason(
        retry.ruleName,
        retry.resourceType,
        retry.resourceId,
        t.random,
      );
      recordRemediationRun(state, config, retry, retry.due, reason, t.random);
    }
  }

  /** A resource becomes noncompliant; an automatic remediation starts right away. */
  private violate(
    state: RegionState,
    t: TargetState,
    rule: ConfigRuleRecord,
    e: Evaluation,
    now: number,
    annotation?: string,
  ): void {
    state.setEvaluation(rule.name, {
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      compliance: 'NON_COMPLIANT',
      orderingTime: now - t.random.int(1_000, 4_000),
      invokedTime: now - t.random.int(200, 900),
      recordedTime: now,
      ...(annotation !== undefined ? { annotation } : {}),
    });
    state.markEvaluated(rule.name, now);
    const config = state.remediationConfiguration(rule.name);
    if (!config?.automatic) return;
    const ref = { ruleName: rule.name, resourceType: e.resourceType, resourceId: e.resourceId };
    t.attempts.set(keyOf(rule.name, e.resourceType, e.resourceId), 1);
    const reason = t.target.story.remediationReason(rule.name, e.resourceType, e.resourceId, t.random);
    recordRemediationRun(state, config, ref, now, reason, t.random);
  }

  private setResult(
    state: RegionState,
    ruleName: string,
    e: Evaluation,
    compliance: 'COMPLIANT' | 'NON_COMPLIANT',
    recordedTime: number,
    orderingTime: number,
  ): void {
    state.setEvaluation(ruleName, {
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      compliance,
      orderingTime: Math.min(orderingTime, recordedTime),
      invokedTime: recordedTime - 500,
      recordedTime,
    });
    state.markEvaluated(ruleName, recordedTime);
  }

  private randomEvents(state: RegionState, t: TargetState, now: number): void {
    const { random, target } = t;
    const rules = state.rules().filter((r) => !r.stalled && (state.evaluationStore(r.name)?.size ?? 0) > 0);
    if (rules.length === 0) return;
    const story: RegionStory = target.story;

    if (random.chance(P_VIOLATION)) {
      // Rules with automatic remediation get a good share, so remediations visibly run all the time.
      const remediated = rules.filter((r) => state.remediationConfiguration(r.name)?.automatic);
      const rule =
        remediated.length > 0 && random.chance(P_REMEDIATED_SHARE)
          ? random.pick(remediated)
          : random.pick(rules);
      const candidates = state
        .evaluations(rule.name)
        .filter((e) => e.compliance === 'COMPLIANT' && e.resourceType !== ACCOUNT_RESOURCE_TYPE);
      if (candidates.length > 0) this.violate(state, t, rule, random.pick(candidates), now);
    }

    if (random.chance(P_MANUAL_FIX)) {
      const manual = rules.filter(
        (r) =>
          !state.remediationConfiguration(r.name)?.automatic &&
          state.complianceCounts(r.name).NON_COMPLIANT > 0,
      );
      if (manual.length > 0) {
        const rule = random.pick(manual);
        const open = state.evaluations(rule.name).filter((e) => e.compliance === 'NON_COMPLIANT');
        if (open.length > 0)
          this.setResult(
            state,
            rule.name,
            random.pick(open),
            'COMPLIANT',
            now,
            now - random.int(5_000, 60_000),
          );
      }
    }

    const tagging = story.tagging;
    const taggingDocument = tagging && state.document(tagging.documentName);
    if (tagging && taggingDocument && state.rule(tagging.ruleName) && random.chance(P_NEW_RESOURCE)) {
      // A resource created without tags: required-tags flags it, EventBridge starts the tagging runbook.
      const type = random.pick([
        'AWS::EC2::Instance',
        'AWS::EC2::Volume',
        'AWS::EC2::SecurityGroup',
        'AWS::S3::Bucket',
      ]);
      const id = makeResourceId(type, random, this.ticks, state.accountId);
      const rule = state.rule(tagging.ruleName) as ConfigRuleRecord;
      this.violate(
        state,
        t,
        rule,
        {
          resourceType: type,
          resourceId: id,
          compliance: 'COMPLIANT',
          orderingTime: now,
          recordedTime: now,
          invokedTime: now,
        },
        now,
        `Resource ${id} is missing required tag CostCenter.`,
      );
      const reason = random.weighted<'success' | 'throttled' | 'access-denied'>([
        ['success', 90],
        ['throttled', 7],
        ['access-denied', 3],
      ]);
      recordTaggingRun(
        state,
        taggingDocument,
        tagging.executedBy,
        resourceArn(state.accountId, state.region, type, id),
        now,
        reason,
        random,
        {
          ruleName: tagging.ruleName,
          resourceType: type,
          resourceId: id,
        },
      );
    }

    if (random.chance(P_RESOURCE_GONE)) {
      const rule = random.pick(rules);
      const candidates = state.evaluations(rule.name).filter((e) => e.resourceType !== ACCOUNT_RESOURCE_TYPE);
      if (candidates.length > 0) {
        const gone = random.pick(candidates);
        state.removeResource(gone.resourceType, gone.resourceId);
        t.transitions?.resourceGone(gone.resourceType, gone.resourceId);
      }
    }
  }

  /** The demo's alert: a violation whose remediation the automation role is not allowed to perform. */
  private drill(state: RegionState, t: TargetState, now: number): void {
    const drill = t.target.story.accessDeniedDrill;
    if (!drill) return;
    if (t.nextDrillAt === undefined) t.nextDrillAt = now + t.random.int(5_000, 20_000);
    if (now < t.nextDrillAt) return;
    t.nextDrillAt = now + t.random.int(drill.intervalMs[0], drill.intervalMs[1]);
    const rule = state.rule(drill.ruleName);
    const candidates = drill.candidates(state);
    if (!rule || candidates.length === 0) return;
    const id = t.random.pick(candidates);
    const e = state.evaluationStore(rule.name)?.get(rule.resourceTypes?.[0] ?? 'AWS::EC2::SecurityGroup', id);
    if (e) this.violate(state, t, rule, e, now, 'Port 3306 open to 0.0.0.0/0 and ::/0.');
  }

  /**
   * Periodic rules re-evaluate when their frequency has passed (stalled ones never do), recording every
   * result again (RegionState.recordPeriodicEvaluation).
   */
  private periodicEvaluations(state: RegionState, now: number): void {
    for (const rule of state.rules()) {
      const frequency = rule.maximumExecutionFrequency;
      const last = rule.evaluationStatus.lastSuccessfulEvaluationTime;
      if (!frequency || rule.stalled || last === undefined || last + FREQUENCY_MS[frequency] > now) continue;
      state.recordPeriodicEvaluation(rule.name, now);
    }
  }
}
