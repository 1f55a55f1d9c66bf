import { Stack, Text } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { MonitoringBeganQuery } from '../../types';
import { FilterFields } from './FilterFields';
import { OptionsEditorProps } from './types';

const FILTERS = ['accountIds', 'regions'] as const;

/** The "monitoring began" annotation: which accounts and regions (use the same filters as the daily panels). */
export function MonitoringBeganOptions({
  query,
  issues,
  choices,
  idPrefix,
  onChange,
}: OptionsEditorProps<MonitoringBeganQuery>) {
  return (
    <Stack direction="column" gap={0}>
      <div data-testid={selectors.query.monitoringNote}>
        <Text color="secondary" element="p">
          One event where the exporter began to watch the selected accounts and regions for findings: daily findings
          figures start there and are empty before it. Choose the accounts and regions of the daily panels.
        </Text>
      </div>
      <FilterFields
        names={FILTERS}
        query={query}
        choices={choices}
        issues={issues}
        idPrefix={idPrefix}
        onChange={onChange}
      />
    </Stack>
  );
}
