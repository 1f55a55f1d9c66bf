import { ComboboxOption, InlineField, MultiCombobox, Stack } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { DAILY_INDICATORS, DailyIndicator, DailyQuery } from '../../types';
import { issueFor } from '../../validation';
import { FilterFields } from './FilterFields';
import { TimeZoneField } from './TimeZoneField';
import { LABEL_WIDTH, OptionsEditorProps } from './types';

const INDICATOR_LABELS: Record<DailyIndicator, string> = {
  findingsOpened: 'Findings opened',
  findingsResolved: 'Findings resolved',
  openFindings: 'Open findings by severity',
  remediationsSucceeded: 'Remediations succeeded',
  remediationsFailed: 'Remediations failed',
  remediationSuccessRatio: 'Remediation success ratio',
  remediationFailuresByReason: 'Remediation failures by reason',
  timeToRemediateP50: 'Time to remediate p50',
  timeToRemediateP95: 'Time to remediate p95',
  timeToRemediateMean: 'Time to remediate (mean)',
  complianceScoreEvaluations: 'Compliance score (evaluations)',
  complianceScoreRules: 'Compliance score (rules)',
};

const INDICATOR_OPTIONS: Array<ComboboxOption<DailyIndicator>> = DAILY_INDICATORS.map((indicator) => ({
  label: INDICATOR_LABELS[indicator],
  value: indicator,
}));

const FILTERS = ['accountIds', 'regions', 'severities'] as const;

export function DailyOptions({
  query,
  issues,
  choices,
  defaultTimeZone,
  idPrefix,
  onChange,
}: OptionsEditorProps<DailyQuery>) {
  const indicatorsError = issueFor(issues, 'indicators');
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label={selectors.query.indicators}
        labelWidth={LABEL_WIDTH}
        tooltip="One series per indicator and day; open findings and failures split by severity and reason."
        invalid={indicatorsError !== undefined}
        error={indicatorsError}
      >
        <MultiCombobox<DailyIndicator>
          id={`${idPrefix}-indicators`}
          options={INDICATOR_OPTIONS}
          value={query.indicators}
          width={48}
          onChange={(selected) => onChange({ ...query, indicators: selected.map((option) => option.value) })}
        />
      </InlineField>
      <FilterFields
        names={FILTERS}
        query={query}
        choices={choices}
        issues={issues}
        idPrefix={idPrefix}
        onChange={onChange}
      />
      <TimeZoneField
        inputId={`${idPrefix}-timeZone`}
        timeZone={query.timeZone}
        defaultTimeZone={defaultTimeZone}
        error={issueFor(issues, 'timeZone')}
        onChange={(timeZone) => onChange({ ...query, timeZone })}
      />
    </Stack>
  );
}
