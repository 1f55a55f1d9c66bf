import type { Random } from '../random';
import { RETENTION_MS } from '../world/execution-view';
import type { RegionState } from '../world/region-state';
import type { Evaluation, RemediationConfigRecord } from '../world/types';
import type { RunReason } from './failures';
import { resourceId as makeResourceId } from './resources';
import { recordRemediationRun, recordTaggingRun, resourceArn, type RegionStory } from './story';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const KST_OFFSET_MS = 9 * 3_600_000;

export interface HistoryOptions {
  readonly startMs: number;
  readonly random: Random;
  readonly story: RegionStory;
  /** Share of COMPLIANT resources of an automatic rule that were fixed by remediation within 30 days. */
  readonly fixedShare?: number;
  /** EventBridge tagging runs per day, [min, max]. */
  readonly taggingPerDay?: readonly [number, number];
  /** Resource types the tagging runbook sees created. */
  readonly taggedTypes?: readonly string[];
}

const TRANSIENT: readonly RunReason[] = ['throttled', 'timed-out', 'cancelled'];
const PERSISTENT: readonly RunReason[] = ['access-denied', 'invalid-parameter', 'timed-out'];

/**
 * 30 days of SSM Automation history for a region, consistent with its current evaluations: resources
 * still NON_COMPLIANT under an automatic remediation have failed attempts (the latest one is their Config
 * remediation status), fixed resources have a successful run just before their COMPLIANT result.
 */
export function generateHistory(state: RegionState, options: HistoryOptions): void {
  const { startMs, story } = options;
  const windowStart = startMs - RETENTION_MS + MINUTE_MS;
  for (const config of state.remediationConfigurations()) {
    remediationHistory(state, config, options, windowStart);
  }
  if (story.tagging) taggingHistory(state, options, windowStart);
  midnightRuns(state, options);
  recentViolation(state, options);
  for (const record of state.executionRecords()) {
    if (record.endTime <= startMs) state.markSettled(record.id);
  }
}

function remediationHistory(
  state: RegionState,
  config: RemediationConfigRecord,
  options: HistoryOptions,
  windowStart: number,
): void {
  const { startMs, random, story } = options;
  const rule = state.rule(config.ruleName);
  if (!rule) return;
  const retryMs = (config.retryAttemptSeconds ?? 60) * 1000;
  const attempts = config.maximumAutomaticAttempts ?? 5;
  const fixedShare = config.automatic ? (options.fixedShare ?? 0.3) : 0.1;
  for (const e of [...state.evaluations(config.ruleName)]) {
    const ref = { ruleName: config.ruleName, resourceType: e.resourceType, resourceId: e.resourceId };
    if (e.compliance === 'NON_COMPLIANT') {
      let reason = story.remediationReason(config.ruleName, e.resourceType, e.resourceId, random);
      // It is still noncompliant, so whatever was tried kept failing the same way.
      if (!PERSISTENT.includes(reason)) reason = random.chance(0.5) ? 'invalid-parameter' : 'access-denied';
      if (config.automatic) {
        for (let k = 0; k < attempts; k++) {
          const start = e.orderingTime + 4_000 + k * retryMs + random.int(0, 2_000);
          if (start < windowStart) continue;
          if (start > startMs - 30_000) break;
          recordRemediationRun(state, config, ref, start, reason, random);
        }
      } else if (random.chance(0.15)) {
        const start = e.orderingTime + random.int(3_600_000, 3 * DAY_MS);
        if (start >= windowStart && start < startMs - 600_000)
          recordRemediationRun(state, config, ref, start, reason, random, 'manual');
      }
    } else if (e.compliance === 'COMPLIANT' && random.chance(fixedShare)) {
      fixedResource(state, config, e, options, windowStart, retryMs);
    }
  }
  if (config.automatic) {
    // Resources deleted while their remediation ran: the run failed and the resource has no result any more.
    const type = config.resourceType ?? rule.resourceTypes?.[0] ?? 'AWS::EC2::SecurityGroup';
    for (let i = random.int(1, 3); i > 0; i--) {
      const id = makeResourceId(type, random, 900 + i, state.accountId);
      const start = random.int(windowStart, startMs - 3_600_000);
      recordRemediationRun(
        state,
        config,
        { ruleName: config.ruleName, resourceType: type, resourceId: id },
        start,
        'resource-not-found',
        random,
      );
    }
  }
}

/** A resource that was noncompliant and fixed by a (possibly retried) remediation. */
function fixedResource(
  state: RegionState,
  config: RemediationConfigRecord,
  e: Evaluation,
  options: HistoryOptions,
  windowStart: number,
  retryMs: number,
): void {
  const { startMs, random } = options;
  const ref = { ruleName: config.ruleName, resourceType: e.resourceType, resourceId: e.resourceId };
  const trigger = config.automatic ? 'config-remediation' : 'manual';
  let start = random.int(windowStart + MINUTE_MS, startMs - 20 * MINUTE_MS);
  const violationAt = start - random.int(3_000, 20_000);
  if (config.automatic && random.chance(0.2)) {
    const first = recordRemediationRun(state, config, ref, start, random.pick(TRANSIENT), random, trigger);
    start = first.endTime + retryMs;
  }
  const run = recordRemediationRun(state, config, ref, start, 'success', random, trigger);
  const recordedTime = run.endTime + random.int(2_000, 30_000);
  if (recordedTime > startMs) return;
  // The result Config recorded after the fix; it stays until the resource changes again.
  state.setEvaluation(config.ruleName, {
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    compliance: 'COMPLIANT',
    orderingTime: Math.max(violationAt, run.endTime),
    invokedTime: recordedTime - random.int(200, 2_000),
    recordedTime,
  });
}

function taggingHistory(state: RegionState, options: HistoryOptions, windowStart: number): void {
  const { startMs, random, story } = options;
  const tagging = story.tagging;
  const document = tagging && state.document(tagging.documentName);
  if (!tagging || !document) return;
  const [minPerDay, maxPerDay] = options.taggingPerDay ?? [15, 30];
  const types = options.taggedTypes ?? [
    'AWS::EC2::Instance',
    'AWS::EC2::Volume',
    'AWS::EC2::SecurityGroup',
    'AWS::S3::Bucket',
  ];
  const tagged = state.rule(tagging.ruleName) ? [...state.evaluations(tagging.ruleName)] : [];
  for (let dayStart = windowStart; dayStart < startMs; dayStart += DAY_MS) {
    for (let n = random.int(minPerDay, maxPerDay); n > 0; n--) {
      const start = random.int(dayStart, Math.min(dayStart + DAY_MS, startMs - MINUTE_MS));
      const reason: RunReason = random.weighted([
        ['success', 90],
        ['throttled', 5],
        ['invalid-parameter', 3],
        ['access-denied', 2],
      ]);
      const existing = tagged.length > 0 && random.chance(0.3) ? random.pick(tagged) : undefined;
      const type = existing?.resourceType ?? random.pick(types);
      const id = existing?.resourceId ?? makeResourceId(type, random, n, state.accountId);
      const arn = resourceArn(state.accountId, state.region, type, id);
      const fixes = existing ? { ruleName: tagging.ruleName, resourceType: type, resourceId: id } : undefined;
      const run = recordTaggingRun(state, document, tagging.executedBy, arn, start, reason, random, fixes);
      // A successful run tagged the resource, so required-tags found it compliant afterwards.
      if (
        existing &&
        reason === 'success' &&
        existing.compliance === 'COMPLIANT' &&
        run.endTime + 60_000 < startMs
      ) {
        const recordedTime = run.endTime + random.int(5_000, 60_000);
        const current = state.evaluationStore(tagging.ruleName)?.get(type, id);
        if (current && current.recordedTime < recordedTime) {
          state.setEvaluation(tagging.ruleName, {
            resourceType: type,
            resourceId: id,
            compliance: 'COMPLIANT',
            orderingTime: run.endTime,
            invokedTime: recordedTime - 1_000,
            recordedTime,
          });
        }
      }
    }
  }
}

/** Runs that start just before and end just after midnight UTC and midnight in Seoul (15:00 UTC). */
function midnightRuns(state: RegionState, options: HistoryOptions): void {
  const { startMs, random, story } = options;
  const tagging = story.tagging;
  const document = tagging && state.document(tagging.documentName);
  const automatic = state.remediationConfigurations().find((c) => c.automatic);
  const lastUtcMidnight = Math.floor(startMs / DAY_MS) * DAY_MS;
  for (let day = 1; day <= 7; day++) {
    const utcMidnight = lastUtcMidnight - (day - 1) * DAY_MS;
    const seoulMidnight = utcMidnight - KST_OFFSET_MS + DAY_MS;
    for (const midnight of [utcMidnight, seoulMidnight]) {
      if (midnight > startMs - 10 * MINUTE_MS) continue;
      const start = midnight - random.int(5_000, 90_000);
      const durationMs = random.int(100_000, 240_000);
      if (tagging && document && midnight === utcMidnight) {
        const arn = resourceArn(
          state.accountId,
          state.region,
          'AWS::EC2::Instance',
          makeResourceId('AWS::EC2::Instance', random, day, state.accountId),
        );
        recordTaggingRun(state, document, tagging.executedBy, arn, start, 'success', random, undefined, {
          pendingMs: 1_000,
          durationMs,
        });
      } else if (automatic) {
        const compliant = state
          .evaluations(automatic.ruleName)
          .filter(
            (e) =>
              e.compliance === 'COMPLIANT' && !story.persistentFailure?.(automatic.ruleName, e.resourceId),
          );
        const e = compliant.length > 0 ? random.pick(compliant) : undefined;
        if (!e) continue;
        const ref = { ruleName: automatic.ruleName, resourceType: e.resourceType, resourceId: e.resourceId };
        const latest = state.remediationIndex(automatic.ruleName)?.find([e.resourceType, e.resourceId]);
        const latestStart = latest ? (state.executionRecord(latest.executionId)?.startTime ?? 0) : 0;
        // Keep each resource's latest status truthful: a run older than the latest one may have failed.
        const reason: RunReason = latestStart > start ? 'throttled' : 'success';
        recordRemediationRun(state, automatic, ref, start, reason, random, 'config-remediation', {
          pendingMs: 1_500,
          durationMs,
        });
      }
    }
  }
}

/** One violation seconds before the start time, its automatic remediation still running. */
function recentViolation(state: RegionState, options: HistoryOptions): void {
  const { startMs, random, story } = options;
  const config = state.remediationConfigurations().find((c) => c.automatic);
  if (!config) return;
  const compliant = state.evaluations(config.ruleName).filter((e) => e.compliance === 'COMPLIANT');
  if (compliant.length === 0) return;
  const e = random.pick(compliant);
  const violationAt = startMs - random.int(6_000, 9_000);
  state.setEvaluation(config.ruleName, {
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    compliance: 'NON_COMPLIANT',
    orderingTime: violationAt - 1_500,
    invokedTime: violationAt - 500,
    recordedTime: violationAt,
  });
  const reason = story.remediationReason(config.ruleName, e.resourceType, e.resourceId, random);
  const ref = { ruleName: config.ruleName, resourceType: e.resourceType, resourceId: e.resourceId };
  recordRemediationRun(state, config, ref, startMs - random.int(1_000, 3_000), reason, random);
}
