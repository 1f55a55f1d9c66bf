import { SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { EventOutcome, RemediationEventsQuery } from '../../types';
import { issueFor } from '../../validation';
import { FilterFields } from './FilterFields';
import { TimeZoneField } from './TimeZoneField';
import { LABEL_WIDTH, OptionsEditorProps } from './types';

const OUTCOME_OPTIONS: Array<SelectableValue<EventOutcome>> = [
  { label: 'Succeeded and failed', value: 'finished' },
  { label: 'Succeeded', value: 'succeeded' },
  { label: 'Failed', value: 'failed' },
];

const FILTERS = ['accountIds', 'regions', 'rules', 'documents'] as const;

export function RemediationEventsOptions({
  query,
  issues,
  choices,
  defaultTimeZone,
  idPrefix,
  onChange,
}: OptionsEditorProps<RemediationEventsQuery>) {
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label={selectors.query.outcome}
        labelWidth={LABEL_WIDTH}
        tooltip="Remediation executions shown as annotations."
      >
        <RadioButtonGroup<EventOutcome>
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
    </Stack>
  );
}
