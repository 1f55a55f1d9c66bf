import { QueryEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';
import React from 'react';

import type { DataSource } from '../datasource';
import { migrateVariableQuery } from '../migrations';
import { selectors } from '../selectors';
import { Dimension, KpiDataSourceOptions, KpiQuery, KpiVariableQuery } from '../types';
import { LABEL_WIDTH } from './query/types';

type Props = QueryEditorProps<DataSource, KpiQuery, KpiDataSourceOptions, KpiVariableQuery>;

const DIMENSION_OPTIONS: Array<ComboboxOption<Dimension>> = [
  { label: 'Accounts', value: 'accounts', description: 'AWS account IDs the exporter polls' },
  { label: 'Regions', value: 'regions', description: 'AWS regions the exporter polls' },
  { label: 'Severities', value: 'severities', description: 'CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNKNOWN' },
  { label: 'Rules', value: 'rules', description: 'AWS Config rule names' },
  { label: 'Documents', value: 'documents', description: 'SSM Automation runbooks used for remediation' },
];

/** Template variable query: the values of one dimension, for `$account`, `$region`, … variables. */
export function VariableQueryEditor({ query: stored, onChange }: Props) {
  const query = migrateVariableQuery(stored);
  return (
    <InlineField label={selectors.variable.dimension} labelWidth={LABEL_WIDTH}>
      <Combobox<Dimension>
        id="kpi-variable-dimension"
        options={DIMENSION_OPTIONS}
        value={query.dimension}
        width={32}
        onChange={(option) => onChange({ ...query, dimension: option.value })}
      />
    </InlineField>
  );
}
