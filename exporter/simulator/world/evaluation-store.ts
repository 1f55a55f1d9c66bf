import { compareResourceKeys, ResourceKey, SortedArray } from './sorted';
import type { ComplianceType, Evaluation, EvaluationCompliance } from './types';

export interface ComplianceCounts {
  COMPLIANT: number;
  NON_COMPLIANT: number;
  NOT_APPLICABLE: number;
}

/** A rule's current evaluation results, one per resource, sorted by (resource type, resource id). */
export class EvaluationStore {
  private readonly sorted = new SortedArray<Evaluation, ResourceKey>(
    (e) => [e.resourceType, e.resourceId],
    compareResourceKeys,
  );
  private readonly counts: ComplianceCounts = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };

  get size(): number {
    return this.sorted.length;
  }

  view(): readonly Evaluation[] {
    return this.sorted.view();
  }

  get(resourceType: string, resourceId: string): Evaluation | undefined {
    return this.sorted.find([resourceType, resourceId]);
  }

  /** Index of the first result after the given key (for keyset pagination). */
  indexAfter(key: ResourceKey | undefined): number {
    return key ? this.sorted.upperBound(key) : 0;
  }

  set(evaluation: Evaluation): Evaluation | undefined {
    const previous = this.sorted.upsert(evaluation);
    if (previous) this.counts[previous.compliance]--;
    this.counts[evaluation.compliance]++;
    return previous;
  }

  remove(resourceType: string, resourceId: string): Evaluation | undefined {
    const removed = this.sorted.remove([resourceType, resourceId]);
    if (removed) this.counts[removed.compliance]--;
    return removed;
  }

  loadSorted(evaluations: readonly Evaluation[]): void {
    this.sorted.loadSorted(evaluations);
    this.counts.COMPLIANT = 0;
    this.counts.NON_COMPLIANT = 0;
    this.counts.NOT_APPLICABLE = 0;
    for (const e of evaluations) this.counts[e.compliance]++;
  }

  clear(): void {
    this.sorted.clear();
    this.counts.COMPLIANT = 0;
    this.counts.NON_COMPLIANT = 0;
    this.counts.NOT_APPLICABLE = 0;
  }

  countOf(compliance: EvaluationCompliance): number {
    return this.counts[compliance];
  }

  complianceCounts(): ComplianceCounts {
    return { ...this.counts };
  }

  /** Config's rule-level state: any NON_COMPLIANT wins, then any COMPLIANT, else INSUFFICIENT_DATA. */
  ruleCompliance(): ComplianceType {
    return ruleComplianceOf(this.counts);
  }
}

export function ruleComplianceOf(counts: ComplianceCounts): ComplianceType {
  if (counts.NON_COMPLIANT > 0) return 'NON_COMPLIANT';
  if (counts.COMPLIANT > 0) return 'COMPLIANT';
  return 'INSUFFICIENT_DATA';
}
