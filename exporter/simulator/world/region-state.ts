import type { Clock } from '../clock';
import { Random } from '../random';
import { EvaluationStore, type ComplianceCounts } from './evaluation-store';
import { planExecution, settleExecution } from './execution-planner';
import {
  isExpired,
  isVisible,
  projectExecution,
  remediationStatusOf,
  type AutomationExecutionView,
  type RemediationStatusView,
} from './execution-view';
import { compareResourceKeys, compareStrings, SortedArray, type ResourceKey } from './sorted';
import type {
  AggregatorRecord,
  AutomationExecutionRecord,
  ComplianceType,
  ConfigRuleRecord,
  ConformancePackRecord,
  DocumentRecord,
  Evaluation,
  EvaluationCompliance,
  ExecutionTrigger,
  FinalStatus,
  MaximumExecutionFrequency,
  RemediationConfigRecord,
  RemediationParameterValue,
  ResourceRef,
  RuleEvaluationStatus,
  RuleMessageType,
  RuleOwner,
  StepFailure,
} from './types';

export interface RuleInput {
  name: string;
  owner?: RuleOwner;
  /** Default: the upper-snake form of the name (right for most managed rules, not all). */
  sourceIdentifier?: string;
  sourceDetails?: Array<{
    messageType: RuleMessageType;
    maximumExecutionFrequency?: MaximumExecutionFrequency;
  }>;
  description?: string;
  resourceTypes?: string[];
  inputParameters?: Record<string, string> | string;
  maximumExecutionFrequency?: MaximumExecutionFrequency;
  createdBy?: string;
  visibility?: 'EXTERNAL' | 'INTERNAL';
  /** Default: ACTIVE. */
  state?: ConfigRuleRecord['state'];
  evaluationStatus?: Partial<RuleEvaluationStatus>;
  id?: string;
  stalled?: boolean;
}

export interface EvaluationInput {
  resourceType: string;
  resourceId: string;
  compliance: EvaluationCompliance;
  annotation?: string;
  /** Epoch ms or Date; default: now. */
  recordedTime?: number | Date;
  invokedTime?: number | Date;
  orderingTime?: number | Date;
}

export interface RemediationConfigInput {
  ruleName: string;
  targetId: string;
  targetVersion?: string;
  parameters?: Record<string, RemediationParameterValue>;
  resourceType?: string;
  automatic?: boolean;
  maximumAutomaticAttempts?: number;
  retryAttemptSeconds?: number;
}

export interface ExecutionInput {
  documentName: string;
  /** Planned final status; default Success. */
  status?: FinalStatus;
  /** Default: now. */
  startTime?: number | Date;
  pendingMs?: number;
  durationMs?: number;
  failure?: StepFailure;
  failedStep?: string;
  failRemainingSteps?: boolean;
  executedBy?: string;
  parameters?: Record<string, string[]>;
  trigger?: ExecutionTrigger;
  /** Makes this execution the Config remediation status of (rule, resource). */
  remediation?: ResourceRef;
  /** The evaluation that turns COMPLIANT when this execution succeeds (applied by live ticks). */
  fixes?: ResourceRef;
  id?: string;
}

interface RemediationIndexEntry {
  readonly resourceType: string;
  readonly resourceId: string;
  executionId: string;
}

/** The definition a rule was created with, to create it again. */
function ruleInputOf(rule: ConfigRuleRecord): RuleInput {
  return {
    name: rule.name,
    owner: rule.owner,
    sourceIdentifier: rule.sourceIdentifier,
    state: rule.state,
    ...(rule.sourceDetails ? { sourceDetails: rule.sourceDetails } : {}),
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    ...(rule.resourceTypes ? { resourceTypes: rule.resourceTypes } : {}),
    ...(rule.inputParameters !== undefined ? { inputParameters: rule.inputParameters } : {}),
    ...(rule.maximumExecutionFrequency ? { maximumExecutionFrequency: rule.maximumExecutionFrequency } : {}),
    ...(rule.createdBy ? { createdBy: rule.createdBy } : {}),
    ...(rule.visibility ? { visibility: rule.visibility } : {}),
    ...(rule.stalled ? { stalled: true } : {}),
  };
}

/** The result a rule records for a resource it no longer applies to. */
function notApplicable(e: Evaluation, recordedTime: number): Evaluation {
  const { annotation: _annotation, ...rest } = e;
  return {
    ...rest,
    compliance: 'NOT_APPLICABLE',
    orderingTime: recordedTime - 1_000,
    invokedTime: recordedTime - 500,
    recordedTime,
  };
}

export function toMs(value: number | Date | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : value.getTime();
}

/**
 * Everything one account holds in one region. The wire handlers and the tests' `world` API both read and
 * mutate through these methods, so what a test arranges is exactly what the SDK sees.
 */
export class RegionState {
  private readonly ruleOrder = new SortedArray<ConfigRuleRecord, number>(
    (r) => r.seq,
    (a, b) => a - b,
  );
  private readonly rulesByName = new Map<string, ConfigRuleRecord>();
  private readonly evaluationsByRule = new Map<string, EvaluationStore>();
  private readonly remediationConfigs = new Map<string, RemediationConfigRecord>();
  private readonly executionsById = new Map<string, AutomationExecutionRecord>();
  /** Ascending (startTime, id); SSM answers newest first, so readers walk it backwards. */
  private readonly executionOrder = new SortedArray<AutomationExecutionRecord, readonly [number, string]>(
    (e) => [e.startTime, e.id],
    (a, b) => a[0] - b[0] || compareStrings(a[1], b[1]),
  );
  private readonly remediationLatest = new Map<string, SortedArray<RemediationIndexEntry, ResourceKey>>();
  private readonly documentsByName = new Map<string, DocumentRecord>();
  private readonly packs = new SortedArray<ConformancePackRecord, string>((p) => p.name, compareStrings);
  private readonly aggregatorList = new SortedArray<AggregatorRecord, string>((a) => a.name, compareStrings);
  private readonly settled = new Set<string>();
  private nextSeq = 1;
  /** Counts mutations after generation; a clean region can be dropped and regenerated identically. */
  mutations = 0;
  readonly random: Random;

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly clock: Clock,
    seed: number,
  ) {
    this.random = Random.derive(seed, accountId, region, 'mutations');
  }

  private touch(): void {
    this.mutations++;
  }

  // ---- rules ------------------------------------------------------------------------------------

  rules(): readonly ConfigRuleRecord[] {
    return this.ruleOrder.view();
  }

  /** Rules in creation order starting after the rule with sequence number `afterSeq`. */
  ruleIndexAfter(afterSeq: number | undefined): number {
    return afterSeq === undefined ? 0 : this.ruleOrder.upperBound(afterSeq);
  }

  rule(name: string): ConfigRuleRecord | undefined {
    return this.rulesByName.get(name);
  }

  addRule(input: RuleInput): ConfigRuleRecord {
    if (this.rulesByName.has(input.name))
      throw new Error(`rule ${input.name} already exists in ${this.where()}`);
    const now = this.clock.nowMs();
    const id = input.id ?? this.newRuleId();
    const serviceLinked = input.createdBy ? `aws-service-rule/${input.createdBy}/` : '';
    const rule: ConfigRuleRecord = {
      seq: this.nextSeq++,
      name: input.name,
      id,
      arn: `arn:aws:config:${this.region}:${this.accountId}:config-rule/${serviceLinked}${id}`,
      owner: input.owner ?? 'AWS',
      sourceIdentifier: input.sourceIdentifier ?? input.name.toUpperCase().replace(/-/g, '_'),
      state: input.state ?? 'ACTIVE',
      evaluationStatus: { firstActivatedTime: now, firstEvaluationStarted: true, ...input.evaluationStatus },
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.sourceDetails ? { sourceDetails: input.sourceDetails } : {}),
      ...(input.resourceTypes ? { resourceTypes: input.resourceTypes } : {}),
      ...(input.inputParameters !== undefined
        ? {
            inputParameters:
              typeof input.inputParameters === 'string'
                ? input.inputParameters
                : JSON.stringify(input.inputParameters),
          }
        : {}),
      ...(input.maximumExecutionFrequency
        ? { maximumExecutionFrequency: input.maximumExecutionFrequency }
        : {}),
      ...(input.createdBy ? { createdBy: input.createdBy } : {}),
      ...(input.visibility ? { visibility: input.visibility } : {}),
      ...(input.stalled ? { stalled: true } : {}),
    };
    this.ruleOrder.upsert(rule);
    this.rulesByName.set(rule.name, rule);
    this.evaluationsByRule.set(rule.name, new EvaluationStore());
    this.touch();
    return rule;
  }

  /** Changes a rule's mutable fields (e.g. its evaluation status). */
  updateRule(
    name: string,
    patch: Partial<Omit<ConfigRuleRecord, 'seq' | 'name' | 'id' | 'arn'>>,
  ): ConfigRuleRecord {
    const rule = this.requireRule(name);
    Object.assign(rule, patch);
    this.touch();
    return rule;
  }

  updateEvaluationStatus(name: string, patch: Partial<RuleEvaluationStatus>): void {
    const rule = this.requireRule(name);
    Object.assign(rule.evaluationStatus, patch);
    this.touch();
  }

  removeRule(name: string): void {
    const rule = this.requireRule(name);
    this.ruleOrder.remove(rule.seq);
    this.rulesByName.delete(name);
    this.evaluationsByRule.delete(name);
    this.remediationConfigs.delete(name);
    this.remediationLatest.delete(name);
    this.touch();
  }

  /**
   * DeleteConfigRule, then PutConfigRule with the same name and definition (a stack redeployed). The new rule
   * has a new ConfigRuleId and ARN, comes last in creation order, has no results and an evaluation status
   * that starts over (FirstEvaluationStarted false, so INSUFFICIENT_DATA) until it is evaluated.
   *
   * Modelled on the API reference: DeleteConfigRule "Deletes the specified Config rule and all of its
   * evaluation results"; ConfigRuleEvaluationStatus.FirstEvaluationStarted "false - Config has not finished
   * evaluating your Amazon Web Services resources against the rule at least once". A remediation
   * configuration has to go first (ResourceInUseException: "a remediation action is associated with the
   * rule and Config cannot delete this rule"), so it is deleted and put back with a new ARN (assumed: the
   * redeployment re-creates it too); the old rule's remediation statuses are gone.
   */
  recreateRule(name: string): ConfigRuleRecord {
    const old = this.requireRule(name);
    const remediation = this.remediationConfigs.get(name);
    this.removeRule(name);
    let id: string;
    do id = this.newRuleId();
    while (id === old.id);
    const rule = this.addRule({
      ...ruleInputOf(old),
      id,
      evaluationStatus: { firstEvaluationStarted: false },
    });
    if (remediation) this.remediationConfigs.set(name, { ...remediation, arn: this.remediationArn(name) });
    return rule;
  }

  private newRuleId(): string {
    return `config-rule-${this.random.letters(6)}`;
  }

  private requireRule(name: string): ConfigRuleRecord {
    const rule = this.rulesByName.get(name);
    if (!rule) throw new Error(`no rule ${name} in ${this.where()}`);
    return rule;
  }

  // ---- evaluations ------------------------------------------------------------------------------

  /** The rule's current results, sorted by (resource type, resource id). */
  evaluations(ruleName: string): readonly Evaluation[] {
    return this.evaluationStore(ruleName)?.view() ?? [];
  }

  evaluationStore(ruleName: string): EvaluationStore | undefined {
    return this.evaluationsByRule.get(ruleName);
  }

  complianceCounts(ruleName: string): ComplianceCounts {
    return this.requireStore(ruleName).complianceCounts();
  }

  /** The rule-level state computed from the results (NON_COMPLIANT, else COMPLIANT, else INSUFFICIENT_DATA). */
  ruleCompliance(ruleName: string): ComplianceType {
    return this.requireStore(ruleName).ruleCompliance();
  }

  /**
   * The rule-level state as DescribeComplianceByConfigRule reports it: INSUFFICIENT_DATA before the first
   * evaluation, else computed from the results. API reference, DescribeComplianceByConfigRule: "If Config
   * has no current evaluation results for the rule, it returns INSUFFICIENT_DATA"; Compliance: "Config
   * returns the INSUFFICIENT_DATA value when no evaluation results are available".
   */
  reportedCompliance(ruleName: string): ComplianceType {
    const rule = this.requireRule(ruleName);
    return rule.evaluationStatus.firstEvaluationStarted ? this.ruleCompliance(ruleName) : 'INSUFFICIENT_DATA';
  }

  /**
   * A successful evaluation at `at`: LastSuccessfulEvaluationTime moves forward (never back), and the rule
   * counts as evaluated (FirstEvaluationStarted).
   */
  markEvaluated(ruleName: string, at: number = this.clock.nowMs()): void {
    const status = this.requireRule(ruleName).evaluationStatus;
    // Every evaluation that records results is newer than the last one, so its time moves forward even when
    // the simulator handles one tick's events out of time order (a remediation settled at an earlier time
    // than a periodic run of the same tick). DescribeConfigRuleEvaluationStatus documents
    // LastSuccessfulEvaluationTime as "the time that Config last successfully evaluated your AWS resources
    // against the rule": it cannot stand still while the rule's results change.
    const last = status.firstEvaluationStarted ? status.lastSuccessfulEvaluationTime : undefined;
    const time = last !== undefined && last >= at ? last + 1 : at;
    Object.assign(status, {
      firstEvaluationStarted: true,
      lastSuccessfulInvocationTime: time - 400,
      lastSuccessfulEvaluationTime: time,
    });
    this.touch();
  }

  /**
   * A periodic evaluation at `at` (default now): the rule evaluates every resource again and Config records
   * each result again, compliance and annotation unchanged, with new times: OrderingTimestamp is the
   * scheduled trigger (PutEvaluations, Evaluation.OrderingTimestamp: "For periodic evaluations, the time
   * indicates when Config triggered the evaluation at the frequency that you specified (for example, every
   * 24 hours)"), then ConfigRuleInvokedTime ("The time when the Config rule evaluated the Amazon Web Services
   * resource") and ResultRecordedTime ("The time when Config recorded the evaluation result"); and
   * LastSuccessfulEvaluationTime moves. That every result is recorded again, changed or not, and that a
   * rule with both triggers does the same at its periodic trigger, is assumed: the reference does not say.
   */
  recordPeriodicEvaluation(ruleName: string, at: number = this.clock.nowMs()): void {
    this.loadEvaluations(
      ruleName,
      this.evaluations(ruleName).map((e) => ({
        ...e,
        orderingTime: at - 1_500,
        invokedTime: at - 700,
        recordedTime: at,
      })),
    );
    this.markEvaluated(ruleName, at);
  }

  /** A result can only exist after an evaluation: the first one records it on a rule that has none. */
  private firstEvaluation(ruleName: string, at: number): void {
    const status = this.requireRule(ruleName).evaluationStatus;
    if (!status.firstEvaluationStarted || status.lastSuccessfulEvaluationTime === undefined)
      this.markEvaluated(ruleName, at);
  }

  setEvaluation(ruleName: string, input: EvaluationInput): Evaluation {
    const store = this.requireStore(ruleName);
    const now = this.clock.nowMs();
    const recordedTime = toMs(input.recordedTime, now);
    const invokedTime = toMs(input.invokedTime, Math.min(recordedTime, recordedTime - 1_000));
    const evaluation: Evaluation = {
      resourceType: input.resourceType,
      resourceId: input.resourceId,
      compliance: input.compliance,
      orderingTime: toMs(input.orderingTime, invokedTime),
      recordedTime,
      invokedTime,
      ...(input.annotation !== undefined ? { annotation: input.annotation } : {}),
    };
    store.set(evaluation);
    this.firstEvaluation(ruleName, recordedTime);
    this.touch();
    return evaluation;
  }

  /** Replaces all of a rule's results at once: evaluations already sorted by resource key. */
  loadEvaluations(ruleName: string, evaluations: readonly Evaluation[]): void {
    this.requireStore(ruleName).loadSorted(evaluations);
    if (evaluations.length > 0)
      this.firstEvaluation(
        ruleName,
        evaluations.reduce((newest, e) => Math.max(newest, e.recordedTime), 0),
      );
    this.touch();
  }

  /**
   * DeleteEvaluationResults: every result of the rule goes, so DescribeComplianceByConfigRule reports
   * INSUFFICIENT_DATA and GetComplianceDetailsByConfigRule answers an empty list until the rule is
   * evaluated again (setEvaluation). API reference, DeleteEvaluationResults: "Deletes the evaluation
   * results for the specified Config rule. ... After you delete the evaluation results, you can call the
   * StartConfigRulesEvaluation API to start evaluating your Amazon Web Services resources against the
   * rule." The evaluation status is left as it was (assumed; the reference does not say).
   */
  deleteEvaluationResults(ruleName: string): void {
    this.requireStore(ruleName).clear();
    this.touch();
  }

  /**
   * An evaluation in which every result is NOT_APPLICABLE (e.g. a Lambda answering NOT_APPLICABLE for
   * everything): the rule reads INSUFFICIENT_DATA, its results are still listed when NOT_APPLICABLE is
   * asked for. API reference, DescribeComplianceByConfigRule: INSUFFICIENT_DATA may mean "The rule's Lambda
   * function has returned NOT_APPLICABLE for all evaluation results"; EvaluationResult.ComplianceType
   * "supports only the COMPLIANT, NON_COMPLIANT, and NOT_APPLICABLE values".
   */
  setAllNotApplicable(ruleName: string, at: number | Date = this.clock.nowMs()): void {
    const recordedTime = toMs(at, this.clock.nowMs());
    this.loadEvaluations(
      ruleName,
      this.evaluations(ruleName).map((e) => notApplicable(e, recordedTime)),
    );
    this.markEvaluated(ruleName, recordedTime);
  }

  /**
   * A failed evaluation (the rule's Lambda fails): LastFailedEvaluationTime, LastErrorCode and
   * LastErrorMessage are set; the results of earlier evaluations stay, and with them the rule-level state
   * (INSUFFICIENT_DATA only when there are none). API reference, DescribeComplianceByConfigRule: Config
   * returns INSUFFICIENT_DATA "If Config has no current evaluation results for the rule", one cause being
   * "The rule's Lambda function is failing to send evaluation results to Config"; nothing says a failure
   * removes results that exist (assumed: they stay). Invocation times are not touched (assumed).
   */
  failEvaluation(
    ruleName: string,
    failure: { errorCode: string; errorMessage?: string; at?: number | Date },
  ): void {
    this.updateEvaluationStatus(ruleName, {
      lastFailedEvaluationTime: toMs(failure.at, this.clock.nowMs()),
      lastErrorCode: failure.errorCode,
      lastErrorMessage: failure.errorMessage,
    });
  }

  removeEvaluation(ruleName: string, resourceType: string, resourceId: string): boolean {
    const removed = this.requireStore(ruleName).remove(resourceType, resourceId);
    if (removed) this.touch();
    return removed !== undefined;
  }

  /**
   * A deleted resource, as AWS documents it: every rule that had a result for it now reports it
   * NOT_APPLICABLE. Developer Guide, "Managing Deleted Resources for AWS Config Custom Lambda Rules": "Rules
   * reporting on deleted resources should return the evaluation result of NOT_APPLICABLE"; the API
   * reference names "the resources were deleted" as a cause of all-NOT_APPLICABLE results. Managed rules
   * are assumed to do the same. Returns the rules that had a result.
   */
  deleteResource(resourceType: string, resourceId: string, at: number | Date = this.clock.nowMs()): string[] {
    const recordedTime = toMs(at, this.clock.nowMs());
    const affected: string[] = [];
    for (const [name, store] of this.evaluationsByRule) {
      const current = store.get(resourceType, resourceId);
      if (!current) continue;
      store.set(notApplicable(current, recordedTime));
      this.markEvaluated(name, recordedTime);
      affected.push(name);
    }
    if (affected.length > 0) this.touch();
    return affected;
  }

  /**
   * A resource that leaves without a trace: its results vanish from every rule (the simpler model live
   * mode's default events use; `deleteResource` is the documented one). Returns the rules that had one.
   */
  removeResource(resourceType: string, resourceId: string): string[] {
    const affected: string[] = [];
    for (const [name, store] of this.evaluationsByRule) {
      if (store.remove(resourceType, resourceId)) affected.push(name);
    }
    // The evaluation that dropped the results is an evaluation like any other.
    for (const name of affected) this.markEvaluated(name);
    if (affected.length > 0) this.touch();
    return affected;
  }

  private requireStore(ruleName: string): EvaluationStore {
    const store = this.evaluationsByRule.get(ruleName);
    if (!store) throw new Error(`no rule ${ruleName} in ${this.where()}`);
    return store;
  }

  // ---- remediation ------------------------------------------------------------------------------

  remediationConfigurations(): RemediationConfigRecord[] {
    return this.rules()
      .map((r) => this.remediationConfigs.get(r.name))
      .filter((c): c is RemediationConfigRecord => c !== undefined);
  }

  remediationConfiguration(ruleName: string): RemediationConfigRecord | undefined {
    return this.remediationConfigs.get(ruleName);
  }

  setRemediationConfiguration(input: RemediationConfigInput): RemediationConfigRecord {
    this.requireRule(input.ruleName);
    const existing = this.remediationConfigs.get(input.ruleName);
    const config: RemediationConfigRecord = {
      ruleName: input.ruleName,
      targetId: input.targetId,
      parameters: input.parameters ?? {},
      automatic: input.automatic ?? false,
      arn: existing?.arn ?? this.remediationArn(input.ruleName),
      ...(input.targetVersion !== undefined ? { targetVersion: input.targetVersion } : {}),
      ...(input.resourceType !== undefined ? { resourceType: input.resourceType } : {}),
      ...(input.automatic
        ? {
            maximumAutomaticAttempts: input.maximumAutomaticAttempts ?? 5,
            retryAttemptSeconds: input.retryAttemptSeconds ?? 60,
            concurrentExecutionRatePercentage: 10,
            errorPercentage: 50,
          }
        : {}),
    };
    this.remediationConfigs.set(input.ruleName, config);
    this.touch();
    return config;
  }

  private remediationArn(ruleName: string): string {
    return `arn:aws:config:${this.region}:${this.accountId}:remediation-configuration/${ruleName}/${this.random.uuid()}`;
  }

  removeRemediationConfiguration(ruleName: string): void {
    this.remediationConfigs.delete(ruleName);
    this.touch();
  }

  /** Index of (resource → latest execution) for a rule, sorted by resource key. */
  remediationIndex(ruleName: string): SortedArray<RemediationIndexEntry, ResourceKey> | undefined {
    return this.remediationLatest.get(ruleName);
  }

  /** The rule's current remediation statuses (latest execution per resource, within SSM retention). */
  remediationStatuses(ruleName: string): RemediationStatusView[] {
    const now = this.clock.nowMs();
    const out: RemediationStatusView[] = [];
    for (const entry of this.remediationLatest.get(ruleName)?.view() ?? []) {
      const status = this.remediationStatusFor(entry.executionId, now);
      if (status) out.push(status);
    }
    return out;
  }

  remediationStatusFor(executionId: string, nowMs: number): RemediationStatusView | undefined {
    const record = this.executionsById.get(executionId);
    if (!record || !isVisible(record, nowMs)) return undefined;
    return remediationStatusOf(projectExecution(record, nowMs));
  }

  // ---- SSM automation executions -----------------------------------------------------------------

  /** Visible executions, newest first. */
  executions(): AutomationExecutionView[] {
    const now = this.clock.nowMs();
    const out: AutomationExecutionView[] = [];
    const all = this.executionOrder.view();
    for (let i = all.length - 1; i >= 0; i--) {
      const record = all[i] as AutomationExecutionRecord;
      if (isExpired(record, now)) break;
      if (isVisible(record, now)) out.push(projectExecution(record, now));
    }
    return out;
  }

  /** Raw stored order (ascending start time) for pagination. */
  executionRecords(): readonly AutomationExecutionRecord[] {
    return this.executionOrder.view();
  }

  executionIndexBefore(key: readonly [number, string]): number {
    return this.executionOrder.lowerBound(key) - 1;
  }

  execution(id: string): AutomationExecutionView | undefined {
    const record = this.executionsById.get(id);
    const now = this.clock.nowMs();
    return record && isVisible(record, now) ? projectExecution(record, now) : undefined;
  }

  executionRecord(id: string): AutomationExecutionRecord | undefined {
    return this.executionsById.get(id);
  }

  addExecution(input: ExecutionInput): AutomationExecutionRecord {
    const now = this.clock.nowMs();
    const record = planExecution(
      {
        documentName: input.documentName,
        ...(this.documentsByName.get(input.documentName)
          ? { document: this.documentsByName.get(input.documentName) }
          : {}),
        startTime: toMs(input.startTime, now),
        status: input.status ?? 'Success',
        executedBy: input.executedBy ?? `arn:aws:iam::${this.accountId}:user/simulator`,
        parameters: input.parameters ?? {},
        trigger: input.trigger ?? (input.remediation ? 'config-remediation' : 'manual'),
        ...(input.id !== undefined ? { id: input.id } : {}),
        ...(input.pendingMs !== undefined ? { pendingMs: input.pendingMs } : {}),
        ...(input.durationMs !== undefined ? { durationMs: input.durationMs } : {}),
        ...(input.failure ? { failure: input.failure } : {}),
        ...(input.failedStep ? { failedStep: input.failedStep } : {}),
        ...(input.failRemainingSteps ? { failRemainingSteps: true } : {}),
        ...(input.remediation ? { remediation: input.remediation } : {}),
        ...(input.fixes ? { fixes: input.fixes } : {}),
      },
      this.random,
    );
    this.storeExecution(record);
    return record;
  }

  /** Stores a fully planned execution (scenario generation and live mode). */
  storeExecution(record: AutomationExecutionRecord): void {
    if (this.executionsById.has(record.id)) throw new Error(`execution ${record.id} already exists`);
    this.executionsById.set(record.id, record);
    this.executionOrder.upsert(record);
    const ref = record.remediation;
    if (ref) {
      let index = this.remediationLatest.get(ref.ruleName);
      if (!index) {
        index = new SortedArray<RemediationIndexEntry, ResourceKey>(
          (e) => [e.resourceType, e.resourceId],
          compareResourceKeys,
        );
        this.remediationLatest.set(ref.ruleName, index);
      }
      const existing = index.find([ref.resourceType, ref.resourceId]);
      const current = existing && this.executionsById.get(existing.executionId);
      if (!existing) {
        index.upsert({ resourceType: ref.resourceType, resourceId: ref.resourceId, executionId: record.id });
      } else if (!current || current.startTime <= record.startTime) {
        existing.executionId = record.id;
      }
    }
    this.touch();
  }

  /**
   * Moves an execution to a terminal state at `at` (default now). Steps that had not started are dropped,
   * the running one ends with the given status. Does not touch evaluations; live mode does that.
   */
  finishExecution(
    id: string,
    status: FinalStatus,
    options: { at?: number | Date; failure?: StepFailure } = {},
  ): AutomationExecutionRecord {
    const record = this.executionsById.get(id);
    if (!record) throw new Error(`no execution ${id} in ${this.where()}`);
    const settledRecord = settleExecution(
      record,
      status,
      toMs(options.at, this.clock.nowMs()),
      options.failure,
    );
    this.executionsById.set(id, settledRecord);
    this.executionOrder.upsert(settledRecord);
    this.touch();
    return settledRecord;
  }

  /** Executions whose consequences live mode has applied (by id). */
  isSettled(id: string): boolean {
    return this.settled.has(id);
  }

  markSettled(id: string): void {
    this.settled.add(id);
  }

  /** Drops executions past SSM's retention, with their remediation-status entries. */
  purgeExpired(): number {
    const now = this.clock.nowMs();
    const all = this.executionOrder.view();
    let count = 0;
    while (count < all.length && isExpired(all[count] as AutomationExecutionRecord, now)) count++;
    if (count === 0) return 0;
    const expired = all.slice(0, count);
    for (const record of expired) {
      this.executionOrder.remove([record.startTime, record.id]);
      this.executionsById.delete(record.id);
      this.settled.delete(record.id);
      const ref = record.remediation;
      const index = ref && this.remediationLatest.get(ref.ruleName);
      const entry = ref && index?.find([ref.resourceType, ref.resourceId]);
      if (ref && index && entry?.executionId === record.id) index.remove([ref.resourceType, ref.resourceId]);
    }
    return count;
  }

  // ---- SSM documents ----------------------------------------------------------------------------

  documents(): DocumentRecord[] {
    return [...this.documentsByName.values()];
  }

  /** By name or by ARN (`arn:aws:ssm:<region>:<account>:document/<name>`). */
  document(nameOrArn: string): DocumentRecord | undefined {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    return this.documentsByName.get(name);
  }

  addDocument(document: DocumentRecord): void {
    this.documentsByName.set(document.name, document);
    this.touch();
  }

  // ---- conformance packs and aggregators ---------------------------------------------------------

  conformancePacks(): readonly ConformancePackRecord[] {
    return this.packs.view();
  }

  conformancePack(name: string): ConformancePackRecord | undefined {
    return this.packs.find(name);
  }

  addConformancePack(input: { name: string; ruleNames: string[] }): ConformancePackRecord {
    const id = `conformance-pack-${this.random.letters(9, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const pack: ConformancePackRecord = {
      name: input.name,
      id,
      arn: `arn:aws:config:${this.region}:${this.accountId}:conformance-pack/${input.name}/${id}`,
      ruleNames: input.ruleNames,
    };
    this.packs.upsert(pack);
    this.touch();
    return pack;
  }

  /**
   * Percentage of compliant (rule, resource) combinations over the pack's rules, or undefined when none
   * has a COMPLIANT or NON_COMPLIANT result (Config's INSUFFICIENT_DATA).
   */
  conformancePackScore(name: string): number | undefined {
    const pack = this.packs.find(name);
    if (!pack) return undefined;
    let compliant = 0;
    let total = 0;
    for (const ruleName of pack.ruleNames) {
      const store = this.evaluationsByRule.get(ruleName);
      if (!store) continue;
      compliant += store.countOf('COMPLIANT');
      total += store.countOf('COMPLIANT') + store.countOf('NON_COMPLIANT');
    }
    return total === 0 ? undefined : (100 * compliant) / total;
  }

  /** When the pack's score last changed: the newest result among its rules. */
  conformancePackUpdatedTime(name: string): number | undefined {
    const pack = this.packs.find(name);
    let newest: number | undefined;
    for (const ruleName of pack?.ruleNames ?? []) {
      for (const e of this.evaluationsByRule.get(ruleName)?.view() ?? []) {
        if (newest === undefined || e.recordedTime > newest) newest = e.recordedTime;
      }
    }
    return newest;
  }

  aggregators(): readonly AggregatorRecord[] {
    return this.aggregatorList.view();
  }

  aggregator(name: string): AggregatorRecord | undefined {
    return this.aggregatorList.find(name);
  }

  addAggregator(record: AggregatorRecord): void {
    this.aggregatorList.upsert(record);
    this.touch();
  }

  private where(): string {
    return `${this.accountId}/${this.region}`;
  }
}
