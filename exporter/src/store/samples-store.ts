import type { Target } from '../model';
import type { Db } from './database';

export interface ComplianceSample {
  evaluationsCompliant: number;
  evaluationsNoncompliant: number;
  rulesEvaluated: number;
  rulesNoncompliant: number;
}

/** One row per successful Config poll: the history behind the daily compliance score. */
export class SamplesStore {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO compliance_samples (account_id, region, sampled_at, evaluations_compliant, evaluations_noncompliant, rules_evaluated, rules_noncompliant) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  record(target: Target, at: number, s: ComplianceSample): void {
    this.insert.run(target.accountId, target.region, at, s.evaluationsCompliant, s.evaluationsNoncompliant, s.rulesEvaluated, s.rulesNoncompliant);
  }
}
