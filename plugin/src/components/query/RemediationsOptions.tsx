import { SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { RemediationOutcome, RemediationsQuery } from '../../types';
import { issueFor } from '../../validation';
import { FilterFields } from './FilterFields';
import { LimitField } from './LimitField';
import { TimeZoneField } from './TimeZoneField';
import { LABEL_WIDTH, OptionsEditorProps } from './types';

const OUTCOME_OPTIONS: Array<SelectableValue<RemediationOutcome>> = [
  { label: 'Any', value: 'any' },
  { label: 'Succeeded', value: 'succeeded' },
  { label: 'Failed', value: 'failed' },
  { label: 'Running', value: 'running' },
];

const FILTERS = ['accountIds', 'regions', 'rules', 'documents'] as const;

export function RemediationsOptions({
  query,
  issues,
  choices,
  defaultTimeZone,
  idPrefix,
  onChange,
}: OptionsEditorProps<RemediationsQuery>) {
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label={selectors.query.outcome}
        labelWidth={LABEL_WIDTH}
        tooltip="Executions that started in the time range."
      >
        <RadioButtonGroup<RemediationOutcome>
          options={OUTCOME_OPTIONS}
          value={query.outcome}
          onChange={(outcome) => onChange({ ...query, outcome })}
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
      <LimitField
        inputId={`${idPrefix}-limit`}
        limit={query.limit}
        error={issueFor(issues, 'limit')}
        onChange={(limit) => onChange({ ...query, limit })}
      />
    </Stack>
  );
}
