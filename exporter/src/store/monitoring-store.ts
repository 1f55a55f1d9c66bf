import { targetKey, type Target } from '../model';
import type { Db } from './database';

/**
 * When monitoring began, per target: its first successful Config poll. AWS Config keeps no history of
 * resolved results, so nothing before that moment is known about findings; and a finding already open then
 * was not opened on any day the exporter saw.
 *
 * Per rule, whether reading its results opens pre-existing findings: the first successful read of the
 * results of a rule that existed at the target's first poll does (its results may only come later, e.g. a
 * rule INSUFFICIENT_DATA at that poll); every later read, and every read of a rule created after the first
 * poll, opens findings that really began while monitored. A row without `first_read_at` is a rule listed at
 * the first poll and not read since; a rule without a row that is read for the first time is new, unless
 * the target has not been polled successfully yet (then the read is part of the first poll).
 */
export class MonitoringStore {
  private readonly selectTargets;
  private readonly selectTarget;
  private readonly insertTarget;
  private readonly selectRule;
  private readonly upsertRead;
  private readonly insertUnread;
  private readonly selectRules;
  private readonly deleteRule;

  constructor(db: Db) {
    this.selectTargets = db.prepare('SELECT account_id, region, first_config_poll_at FROM monitored_targets');
    this.selectTarget = db.prepare('SELECT 1 FROM monitored_targets WHERE account_id = ? AND region = ?');
    this.insertTarget = db.prepare(
      'INSERT OR IGNORE INTO monitored_targets (account_id, region, first_config_poll_at) VALUES (?, ?, ?)',
    );
    this.selectRule = db.prepare(
      'SELECT first_read_at FROM monitored_rules WHERE account_id = ? AND region = ? AND rule = ?',
    );
    this.upsertRead = db.prepare(
      'INSERT INTO monitored_rules (account_id, region, rule, first_read_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (account_id, region, rule) DO UPDATE SET first_read_at = COALESCE(first_read_at, excluded.first_read_at)',
    );
    this.insertUnread = db.prepare(
      'INSERT OR IGNORE INTO monitored_rules (account_id, region, rule, first_read_at) VALUES (?, ?, ?, NULL)',
    );
    this.selectRules = db.prepare('SELECT rule FROM monitored_rules WHERE account_id = ? AND region = ?');
    this.deleteRule = db.prepare(
      'DELETE FROM monitored_rules WHERE account_id = ? AND region = ? AND rule = ?',
    );
  }

  /** First successful Config poll of every target polled so far, by `targetKey`. */
  firstConfigPolls(): Map<string, number> {
    const rows = this.selectTargets.all() as {
      account_id: string;
      region: string;
      first_config_poll_at: number;
    }[];
    return new Map(
      rows.map((r) => [targetKey({ accountId: r.account_id, region: r.region }), r.first_config_poll_at]),
    );
  }

  /**
   * Records a successful Config poll of the target at `at` with the rules it listed; call inside a
   * `Store.write`. The first one is when monitoring began, and its rules are the ones whose first read
   * opens pre-existing findings. Rules no longer listed are forgotten: one created again later is new.
   */
  recordSuccessfulPoll(target: Target, at: number, rules: readonly string[]): void {
    if (this.insertTarget.run(target.accountId, target.region, at).changes > 0) {
      for (const rule of rules) this.insertUnread.run(target.accountId, target.region, rule);
    }
    const listed = new Set(rules);
    for (const { rule } of this.selectRules.all(target.accountId, target.region) as { rule: string }[]) {
      if (!listed.has(rule)) this.forgetRule(target, rule);
    }
  }

  /** Records a successful aggregator poll that published the target (no per-rule results there). */
  recordAggregatorPoll(target: Target, at: number): void {
    this.insertTarget.run(target.accountId, target.region, at);
  }

  /**
   * Records a successful read of a rule's results at `at`; call inside a `Store.write`. Returns whether the
   * findings this read opens were already open when monitoring began (see the class comment).
   */
  recordResultsRead(target: Target, rule: string, at: number): boolean {
    const row = this.selectRule.get(target.accountId, target.region, rule) as
      { first_read_at: number | null } | undefined;
    const preExisting = row
      ? row.first_read_at === null
      : this.selectTarget.get(target.accountId, target.region) === undefined;
    this.upsertRead.run(target.accountId, target.region, rule, at);
    return preExisting;
  }

  /** A rule deleted, or deleted and created again (a new ConfigRuleId): its next results are new. */
  forgetRule(target: Target, rule: string): void {
    this.deleteRule.run(target.accountId, target.region, rule);
  }
}
