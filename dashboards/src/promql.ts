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

/** `expr`, or NOTHING_TO_MEASURE when it is empty (a ratio or quantile of no events). */
export function orNothingToMeasure(expr: string, labels: Record<string, string> = {}): string {
  const fallback = Object.entries(labels).reduce(
    (vector, [name, value]) => `label_replace(${vector}, "${name}", "${value}", "", "")`,
    `vector(${NOTHING_TO_MEASURE})`,
  );
  return `(${expr}) or ${fallback}`;
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
