import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import React from 'react';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { selectors } from '../selectors';
import { KpiDataSourceOptions, KpiQuery, PANEL_QUERY_TYPES, PanelQueryType } from '../types';
import { validateQuery } from '../validation';
import { DailyOptions } from './query/DailyOptions';
import { FindingsOptions } from './query/FindingsOptions';
import { MonitoringBeganOptions } from './query/MonitoringBeganOptions';
import { RemediationEventsOptions } from './query/RemediationEventsOptions';
import { RemediationsOptions } from './query/RemediationsOptions';
import { RulesOptions } from './query/RulesOptions';
import { SummaryOptions } from './query/SummaryOptions';
import { useFilterChoices } from './query/useFilterChoices';
import { LABEL_WIDTH } from './query/types';

type Props = QueryEditorProps<DataSource, KpiQuery, KpiDataSourceOptions>;

const QUERY_TYPE_OPTIONS: Array<SelectableValue<PanelQueryType>> = [
  { label: 'Daily indicators', value: 'daily', description: 'Time series with one point per day' },
  { label: 'Summary', value: 'summary', description: 'Current counts per severity and scores, for stat panels' },
  { label: 'Findings', value: 'findings', description: 'Table of open or resolved findings' },
  { label: 'Remediations', value: 'remediations', description: 'Table of remediation executions in the time range' },
  { label: 'Rules', value: 'rules', description: 'Table of Config rules with their compliance' },
];

export function QueryEditor({ query: stored, datasource, onChange, onRunQuery }: Props) {
  const query = migrateQuery(stored);
  const issues = validateQuery(query);
  const { choices, error: choicesError } = useFilterChoices(datasource);
  const update = (next: KpiQuery) => {
    onChange(next);
    onRunQuery();
  };
  const common = { issues, choices, defaultTimeZone: datasource.defaultTimeZone, idPrefix: `kpi-${query.refId}` };

  const optionsEditor = () => {
    switch (query.queryType) {
      case 'daily':
        return <DailyOptions {...common} query={query} onChange={update} />;
      case 'summary':
        return <SummaryOptions />;
      case 'findings':
        return <FindingsOptions {...common} query={query} onChange={update} />;
      case 'remediations':
        return <RemediationsOptions {...common} query={query} onChange={update} />;
      case 'rules':
        return <RulesOptions {...common} query={query} onChange={update} />;
      case 'remediationEvents':
        return <RemediationEventsOptions {...common} query={query} onChange={update} />;
      case 'monitoringBegan':
        return <MonitoringBeganOptions {...common} query={query} onChange={update} />;
    }
  };

  return (
    <div data-testid={selectors.query.editor}>
      <Stack direction="column" gap={1}>
        <InlineField label={selectors.query.queryType} labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<PanelQueryType>
            options={QUERY_TYPE_OPTIONS}
            value={PANEL_QUERY_TYPES.find((queryType) => queryType === query.queryType)}
            onChange={(queryType) => update(migrateQuery({ ...query, queryType }))}
          />
        </InlineField>
        {optionsEditor()}
        {choicesError !== undefined && (
          <Text color="warning" element="p">
            Filter values could not be loaded ({choicesError}); typed values still work.
          </Text>
        )}
      </Stack>
    </div>
  );
}
