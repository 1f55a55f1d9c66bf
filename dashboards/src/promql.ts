/**
 * PromQL building blocks shared by the dashboards. Every name used here is a metric of docs/metrics.md or a
 * recording rule of provisioning/prometheus/rules/compliance-pulse.recording.yml (the tests check it).
 */

/** The exporter's poll sources (docs/metrics.md): which one feeds a number decides which freshness gates it. */
export type PollSource = 'config' | 'remediation' | 'ssm';

/** Label matchers for the dashboard's account and region variables. */
export const IN_SCOPE = 'account_id=~"$account_id", region=~"$region"';

/**
 * `expr` while every account and region in scope polled `source` successfully within the last 15 minutes
 * (`account_region_source:compliance_pulse_data_fresh:bool`), and nothing otherwise. "Nothing" also covers a source
 * that never succeeded and an exporter that is not scraped at all; the panels map it to a red "STALE", so an old
 * number is never shown as if it were current. Use it on instant queries only: a range query would keep the last
 * fresh point, which a stat's reducer would then show.
 */
export function whileFresh(expr: string, source: PollSource): string {
  return (
    `(${expr})\n` +
    `and on () (min(account_region_source:compliance_pulse_data_fresh:bool{source="${source}", ${IN_SCOPE}}) == 1)`
  );
}

/** A value the panels map to a grey text ("no runs", "no fixes"): fresh data with nothing to divide by. */
export const NOTHING_TO_MEASURE = -1;

/** `vector` with each of `labels` set (so that a stand-in row of a table-format query has a name). */
function withLabels(vector: string, labels: Record<string, string>): string {
  return Object.entries(labels).reduce(
    (labelled, [name, value]) => `label_replace(${labelled}, "${name}", "${value}", "", "")`,
    vector,
  );
}

/** `expr`, or NOTHING_TO_MEASURE when it is empty (a ratio or quantile of no events). */
export function orNothingToMeasure(expr: string, labels: Record<string, string> = {}): string {
  return `(${expr}) or ${withLabels(`vector(${NOTHING_TO_MEASURE})`, labels)}`;
}

/** How far back Prometheus has a source's samples (recording rule; docs/alerts.md#coverage-windows-not-yet-filled). */
export const COVERAGE_RULE = 'account_region_source:compliance_pulse_poll_success:coverage_seconds';

/**
 * Values at or below this one say "window not covered yet": COLLECTING - (whole minutes of coverage). Far below
 * any result (counts, ratios, durations are never negative) and the -1 of NOTHING_TO_MEASURE; exact in a double.
 */
export const COLLECTING = -1e9;

/**
 * `expr` while Prometheus has `source`'s samples for the whole window (`windowSeconds`) in every account and
 * region in scope; otherwise COLLECTING minus the minutes it has, which the panels map to "collecting: 12 min of
 * 24 h" (panels.ts `collectingMappings`). An increase() over a window Prometheus has only partly seen counts only
 * that part: without this, a new Prometheus would show a clean day it has not seen.
 */
export function whileCovered(
  expr: string,
  source: PollSource,
  windowSeconds: number,
  labels: Record<string, string> = {},
): string {
  const coverage = `min(${COVERAGE_RULE}{source="${source}", ${IN_SCOPE}})`;
  return (
    `(${expr})\n` +
    `and on () (${coverage} >= ${windowSeconds})\n` +
    `or on () ${withLabels(`(${COLLECTING} - floor((${coverage} < ${windowSeconds}) / 60))`, labels)}`
  );
}

/**
 * Age in seconds of every (account, region, source) in scope; +Inf for a source that never polled successfully
 * (it has a freshness series but no last-success timestamp).
 */
export const DATA_AGE_PER_SOURCE =
  `account_region_source:compliance_pulse_last_successful_poll_timestamp_seconds:age{${IN_SCOPE}}\n` +
  `or on (account_id, region, source) (account_region_source:compliance_pulse_data_fresh:bool{${IN_SCOPE}} + Inf)`;

/** The freshness limit of the recording rule and the alerts: 15 minutes. */
export const FRESHNESS_LIMIT_SECONDS = 900;
