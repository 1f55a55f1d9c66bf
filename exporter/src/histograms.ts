/** Bucket upper bounds (seconds) of the histograms the store keeps across restarts. Changing them needs a migration. */
export const PERSISTED_HISTOGRAMS = {
  aws_config_remediation_duration_seconds: [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800],
  // 4h, 1d and 7d are bucket bounds so that the per-severity objectives can be read exactly from the buckets.
  aws_config_time_to_remediate_seconds: [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000],
  aws_ssm_automation_execution_duration_seconds: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
} as const satisfies Record<string, readonly number[]>;

export type PersistedHistogramName = keyof typeof PERSISTED_HISTOGRAMS;
