import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { InlineField, Input, SecretInput, Stack } from '@grafana/ui';
import React from 'react';

import { selectors } from '../selectors';
import { DEFAULT_TIME_ZONE, KpiDataSourceOptions, KpiSecureJsonData } from '../types';
import { defaultTimeZoneIssue, exporterUrlIssue } from '../validation';

type Props = DataSourcePluginOptionsEditorProps<KpiDataSourceOptions, KpiSecureJsonData>;

const LABEL_WIDTH = 22;

/**
 * Data source settings. The exporter URL and default time zone are `jsonData`; the API token is `secureJsonData`:
 * once saved it never comes back to the browser, Grafana's proxy adds it to requests (plugin.json route).
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const exporterUrl = jsonData.exporterUrl ?? '';
  const defaultTimeZone = jsonData.defaultTimeZone ?? '';
  const urlError = exporterUrl === '' ? undefined : exporterUrlIssue(exporterUrl);
  const timeZoneError = defaultTimeZoneIssue(defaultTimeZone);

  const setJsonData = (changes: Partial<KpiDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...changes } });

  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label={selectors.config.exporterUrl.label}
        labelWidth={LABEL_WIDTH}
        tooltip={selectors.config.exporterUrl.tooltip}
        invalid={urlError !== undefined}
        error={urlError}
        required
      >
        <Input
          id="config-exporter-url"
          value={exporterUrl}
          placeholder={selectors.config.exporterUrl.placeholder}
          width={48}
          onChange={(event) => setJsonData({ exporterUrl: event.currentTarget.value.trim() })}
        />
      </InlineField>
      <InlineField
        label={selectors.config.apiToken.label}
        labelWidth={LABEL_WIDTH}
        tooltip={selectors.config.apiToken.tooltip}
      >
        <SecretInput
          id="config-api-token"
          isConfigured={secureJsonFields.apiToken ?? false}
          value={options.secureJsonData?.apiToken ?? ''}
          placeholder={selectors.config.apiToken.placeholder}
          width={48}
          onChange={(event) =>
            onOptionsChange({
              ...options,
              secureJsonData: { ...options.secureJsonData, apiToken: event.currentTarget.value },
            })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, apiToken: false },
              secureJsonData: { ...options.secureJsonData, apiToken: '' },
            })
          }
        />
      </InlineField>
      <InlineField
        label={selectors.config.defaultTimeZone.label}
        labelWidth={LABEL_WIDTH}
        tooltip={selectors.config.defaultTimeZone.tooltip}
        invalid={timeZoneError !== undefined}
        error={timeZoneError}
      >
        <Input
          id="config-default-time-zone"
          value={defaultTimeZone}
          placeholder={DEFAULT_TIME_ZONE}
          width={24}
          onChange={(event) => setJsonData({ defaultTimeZone: event.currentTarget.value.trim() })}
        />
      </InlineField>
    </Stack>
  );
}
