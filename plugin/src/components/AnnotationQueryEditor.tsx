import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup, Stack } from '@grafana/ui';
import React from 'react';

import { annotationQueryType } from '../annotations';
import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { selectors } from '../selectors';
import { AnnotationQueryType, KpiDataSourceOptions, KpiQuery } from '../types';
import { validateQuery } from '../validation';
import { MonitoringBeganOptions } from './query/MonitoringBeganOptions';
import { RemediationEventsOptions } from './query/RemediationEventsOptions';
import { LABEL_WIDTH } from './query/types';
import { useFilterChoices } from './query/useFilterChoices';

type Props = QueryEditorProps<DataSource, KpiQuery, KpiDataSourceOptions>;

const KIND_OPTIONS: Array<SelectableValue<AnnotationQueryType>> = [
  { label: 'Remediation executions', value: 'remediationEvents' },
  { label: 'Monitoring began', value: 'monitoringBegan' },
];

/** Annotation query: remediation executions, or where monitoring began. */
export function AnnotationQueryEditor({ query: stored, datasource, onChange, onRunQuery }: Props) {
  const query = migrateQuery({ ...stored, queryType: annotationQueryType(stored) });
  const { choices } = useFilterChoices(datasource);
  const update = (next: KpiQuery) => {
    onChange(next);
    onRunQuery();
  };
  const common = {
    issues: validateQuery(query),
    choices,
    defaultTimeZone: datasource.defaultTimeZone,
    idPrefix: 'kpi-annotation',
    onChange: update,
  };
  const optionsEditor = () => {
    switch (query.queryType) {
      case 'remediationEvents':
        return <RemediationEventsOptions {...common} query={query} />;
      case 'monitoringBegan':
        return <MonitoringBeganOptions {...common} query={query} />;
      default:
        return null;
    }
  };
  return (
    <div data-testid={selectors.query.editor}>
      <Stack direction="column" gap={1}>
        <InlineField label={selectors.query.annotationKind} labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<AnnotationQueryType>
            options={KIND_OPTIONS}
            value={annotationQueryType(query)}
            onChange={(queryType) => update(migrateQuery({ ...query, queryType }))}
          />
        </InlineField>
        {optionsEditor()}
      </Stack>
    </div>
  );
}
