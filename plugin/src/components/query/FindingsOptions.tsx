import { SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { FindingState, FindingsQuery } from '../../types';
import { issueFor } from '../../validation';
import { FilterFields } from './FilterFields';
import { LimitField } from './LimitField';
import { LABEL_WIDTH, OptionsEditorProps } from './types';

const STATE_OPTIONS: Array<SelectableValue<FindingState>> = [
  { label: 'Open', value: 'open' },
  { label: 'Resolved', value: 'resolved' },
  { label: 'Any', value: 'any' },
];

const FILTERS = ['accountIds', 'regions', 'severities', 'rules'] as const;

export function FindingsOptions({ query, issues, choices, idPrefix, onChange }: OptionsEditorProps<FindingsQuery>) {
  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label={selectors.query.state}
        labelWidth={LABEL_WIDTH}
        tooltip="Findings are current state: the time range does not apply."
      >
        <RadioButtonGroup<FindingState>
          options={STATE_OPTIONS}
          value={query.state}
          onChange={(state) => onChange({ ...query, state })}
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
      <LimitField
        inputId={`${idPrefix}-limit`}
        limit={query.limit}
        error={issueFor(issues, 'limit')}
        onChange={(limit) => onChange({ ...query, limit })}
      />
    </Stack>
  );
}
