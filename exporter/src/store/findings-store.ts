import type { EvaluationResult, Severity, Target } from '../model';
import type { Db } from './database';
import type { MetricTotals } from './totals';

export interface RuleIdentity {
  name: string;
  severity: Severity;
  controlId: string;
}

const resourceKey = (type: string, id: string): string => `${type}\u0000${id}`;

interface OpenFinding {
  id: number;
  firstSeen: number;
  severity: Severity;
  preExisting: boolean;
}

/**
 * When a result began, as well as Config tells: the event that triggered the evaluation (OrderingTimestamp:
 * the configuration change, or a periodic rule's scheduled trigger), else when the rule evaluated the
 * resource (ConfigRuleInvokedTime), else when Config recorded the result (ResultRecordedTime, the latest of
 * the three); never later than the poll that read it. Only a result that changes a finding is dated: a
 * periodic rule records its unchanged results again at every evaluation, which moves all three times but
 * neither opens a finding again nor moves its first-seen time.
 */
function resultBegan(result: EvaluationResult, now: number): number {
  const at = result.triggeredAt ?? result.evaluatedAt ?? result.recordedAt;
  return at !== undefined && at > 0 ? Math.min(at, now) : now;
}

/**
 * Findings are episodes of one resource being NON_COMPLIANT with one rule: opened the first time the
 * exporter sees the result, closed when the result turns COMPLIANT or disappears. Closing one observes
 * its time to remediate, unless it is pre-existing: already open when monitoring began, so that its
 * first-seen time is only a bound on when it began.
 */
export class FindingsStore {
  private readonly selectOpen;
  private readonly insert;
  private readonly resolve;
  private readonly selectOldest;
  private readonly selectOpenRules;

  constructor(
    db: Db,
    private readonly totals: MetricTotals,
  ) {
    this.selectOpen = db.prepare(
      'SELECT id, resource_type, resource_id, first_seen, severity, pre_existing FROM findings WHERE account_id = ? AND region = ? AND rule = ? AND resolved_at IS NULL',
    );
    this.insert = db.prepare(
      'INSERT INTO findings (account_id, region, rule, resource_type, resource_id, severity, control_id, annotation, first_seen, pre_existing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.resolve = db.prepare('UPDATE findings SET resolved_at = ?, resolution = ? WHERE id = ?');
    this.selectOpenRules = db.prepare('SELECT DISTINCT rule FROM findings WHERE account_id = ? AND region = ? AND resolved_at IS NULL');
    this.selectOldest = db.prepare(
      'SELECT rule, severity, MIN(first_seen) AS first_seen FROM findings WHERE account_id = ? AND region = ? AND resolved_at IS NULL GROUP BY rule',
    );
  }

  /**
   * Brings the open findings of one rule in line with its complete current results; call inside a
   * `MetricTotals.transaction`. `preExisting`: the findings this opens were already open when monitoring
   * began (MonitoringStore.recordResultsRead). Returns how many findings were opened and resolved.
   */
  reconcileRule(
    target: Target,
    rule: RuleIdentity,
    results: readonly EvaluationResult[],
    now: number,
    preExisting: boolean,
  ): { opened: number; resolved: number } {
    const open = new Map<string, OpenFinding>();
    for (const row of this.selectOpen.all(target.accountId, target.region, rule.name) as {
      id: number;
      resource_type: string;
      resource_id: string;
      first_seen: number;
      severity: Severity;
      pre_existing: number;
    }[]) {
      open.set(resourceKey(row.resource_type, row.resource_id), {
        id: row.id,
        firstSeen: row.first_seen,
        severity: row.severity,
        preExisting: row.pre_existing === 1,
      });
    }
    let opened = 0;
    let resolved = 0;
    const seen = new Set<string>();
    for (const result of results) {
      const key = resourceKey(result.resourceType, result.resourceId);
      seen.add(key);
      const finding = open.get(key);
      if (result.compliance === 'NON_COMPLIANT' && !finding) {
        const firstSeen = resultBegan(result, now);
        this.insert.run(target.accountId, target.region, rule.name, result.resourceType, result.resourceId, rule.severity, rule.controlId, result.annotation ?? null, firstSeen, preExisting ? 1 : 0);
        opened++;
      } else if (result.compliance === 'COMPLIANT' && finding) {
        this.close(target, finding, Math.max(finding.firstSeen, resultBegan(result, now)), 'compliant');
        resolved++;
      }
    }
    for (const [key, finding] of open) {
      if (!seen.has(key)) {
        this.close(target, finding, now, 'gone');
        resolved++;
      }
    }
    return { opened, resolved };
  }

  /** Closes the open findings of a rule that no longer exists; that is not a fix, so no time to remediate. */
  closeRule(target: Target, rule: string, now: number): number {
    let closed = 0;
    for (const row of this.selectOpen.all(target.accountId, target.region, rule) as { id: number }[]) {
      this.resolve.run(now, 'rule_deleted', row.id);
      closed++;
    }
    return closed;
  }

  /** `type\0id` of every open finding of a rule. */
  openResourceKeys(target: Target, rule: string): string[] {
    const rows = this.selectOpen.all(target.accountId, target.region, rule) as { resource_type: string; resource_id: string }[];
    return rows.map((r) => resourceKey(r.resource_type, r.resource_id));
  }

  /** Rules that have open findings. */
  rulesWithOpenFindings(target: Target): string[] {
    return (this.selectOpenRules.all(target.accountId, target.region) as { rule: string }[]).map((r) => r.rule);
  }

  /** First-seen time of the oldest open finding of each rule. */
  oldestOpenByRule(target: Target): Map<string, { firstSeen: number; severity: Severity }> {
    const rows = this.selectOldest.all(target.accountId, target.region) as { rule: string; severity: Severity; first_seen: number }[];
    return new Map(rows.map((r) => [r.rule, { firstSeen: r.first_seen, severity: r.severity }]));
  }

  private close(target: Target, finding: OpenFinding, at: number, resolution: 'compliant' | 'gone'): void {
    this.resolve.run(at, resolution, finding.id);
    // A pre-existing finding's first-seen time is a bound, not when it began: its time to remediate is unknown.
    if (finding.preExisting) return;
    this.totals.observe(
      'aws_config_time_to_remediate_seconds',
      { account_id: target.accountId, region: target.region, severity: finding.severity },
      Math.max(0, at - finding.firstSeen),
    );
  }
}
