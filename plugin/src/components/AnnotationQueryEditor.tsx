import { QueryEditorProps } from '@grafana/data';
import React from 'react';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { selectors } from '../selectors';
import { KpiDataSourceOptions, KpiQuery } from '../types';
import { validateQuery } from '../validation';
import { RemediationEventsOptions } from './query/RemediationEventsOptions';
import { useFilterChoices } from './query/useFilterChoices';

type Props = QueryEditorProps<DataSource, KpiQuery, KpiDataSourceOptions>;

/** Annotation query: which remediation executions become annotations. */
export function AnnotationQueryEditor({ query: stored, datasource, onChange, onRunQuery }: Props) {
  const query = migrateQuery({ ...stored, queryType: 'remediationEvents' });
  const { choices } = useFilterChoices(datasource);
  if (query.queryType !== 'remediationEvents') {
    return null;
  }
  return (
    <div data-testid={selectors.query.editor}>
      <RemediationEventsOptions
        query={query}
        issues={validateQuery(query)}
        choices={choices}
        defaultTimeZone={datasource.defaultTimeZone}
        idPrefix="kpi-annotation"
        onChange={(next) => {
          onChange(next);
          onRunQuery();
        }}
      />
    </div>
  );
}
