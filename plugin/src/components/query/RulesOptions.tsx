import { Stack } from '@grafana/ui';
import React from 'react';

import { RulesQuery } from '../../types';
import { FilterFields } from './FilterFields';
import { OptionsEditorProps } from './types';

const FILTERS = ['accountIds', 'regions', 'severities', 'rules'] as const;

export function RulesOptions({ query, issues, choices, idPrefix, onChange }: OptionsEditorProps<RulesQuery>) {
  return (
    <Stack direction="column" gap={0}>
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
