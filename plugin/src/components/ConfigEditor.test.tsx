import { DataSourceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { selectors } from '../selectors';
import { KpiDataSourceOptions, KpiSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<KpiDataSourceOptions, KpiSecureJsonData>;

function settings(jsonData: KpiDataSourceOptions, secureJsonFields: Record<string, boolean> = {}): Settings {
  return {
    id: 1,
    uid: 'compliance-pulse-kpi',
    orgId: 1,
    name: 'Compliance Pulse',
    typeLogoUrl: '',
    type: 'compliancepulse-kpi-datasource',
    typeName: 'Compliance Pulse KPI',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields,
    readOnly: false,
    withCredentials: false,
  };
}

function renderEditor(options: Settings) {
  const onOptionsChange = jest.fn<void, [Settings]>();
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return onOptionsChange;
}

describe('ConfigEditor', () => {
  it('stores the exporter URL in jsonData', () => {
    const onOptionsChange = renderEditor(settings({}));
    fireEvent.change(screen.getByLabelText(selectors.config.exporterUrl.label, { exact: false }), {
      target: { value: ' http://exporter:9867 ' },
    });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { exporterUrl: 'http://exporter:9867' } })
    );
  });

  it('explains what is wrong with the exporter URL', () => {
    renderEditor(settings({ exporterUrl: 'http://exporter:9867/api/v1' }));
    expect(
      screen.getByText('Enter the base URL without /api/v1: the plugin adds the API path itself.')
    ).toBeInTheDocument();
  });

  it('shows no URL error for a good URL', () => {
    renderEditor(settings({ exporterUrl: 'http://exporter:9867' }));
    expect(screen.queryByText(/base URL|not a URL|must start with/)).not.toBeInTheDocument();
  });

  it('keeps the API token in secureJsonData, never in jsonData', () => {
    const onOptionsChange = renderEditor(settings({ exporterUrl: 'http://exporter:9867' }));
    fireEvent.change(screen.getByLabelText(selectors.config.apiToken.label), { target: { value: 's3cret' } });
    const [changed] = onOptionsChange.mock.calls[0];
    expect(changed.secureJsonData).toEqual({ apiToken: 's3cret' });
    expect(JSON.stringify(changed.jsonData)).not.toContain('s3cret');
  });

  it('shows a saved token as configured and resets it', () => {
    const onOptionsChange = renderEditor(settings({ exporterUrl: 'http://exporter:9867' }, { apiToken: true }));
    expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
  });

  it('stores and checks the default time zone', () => {
    const onOptionsChange = renderEditor(settings({ exporterUrl: 'http://exporter:9867', defaultTimeZone: 'KST' }));
    expect(screen.getByText(/"KST" is not an IANA time zone/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(selectors.config.defaultTimeZone.label), {
      target: { value: 'Asia/Seoul' },
    });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { exporterUrl: 'http://exporter:9867', defaultTimeZone: 'Asia/Seoul' } })
    );
  });
});
