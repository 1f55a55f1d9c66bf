import { expect, test } from '@grafana/plugin-e2e';

import { selectors } from '../src/selectors';
import { KpiDataSourceOptions, KpiSecureJsonData } from '../src/types';
import { exporterPath, SUMMARY } from './fixtures';

test('smoke: renders the config editor', async ({ createDataSourceConfigPage, readProvisionedDataSource, page }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByRole('textbox', { name: new RegExp(`^${selectors.config.exporterUrl.label}`) })).toBeVisible();
  await expect(page.getByRole('textbox', { name: selectors.config.apiToken.label })).toBeVisible();
  await expect(page.getByRole('textbox', { name: selectors.config.defaultTimeZone.label })).toBeVisible();
});

test('"Save & test" reports a reachable exporter', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  selectors: e2e,
  page,
}) => {
  const ds = await readProvisionedDataSource<KpiDataSourceOptions, KpiSecureJsonData>({ fileName: 'datasources.yml' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page
    .getByRole('textbox', { name: new RegExp(`^${selectors.config.exporterUrl.label}`) })
    .fill(ds.jsonData.exporterUrl ?? 'http://exporter:9867');
  const summaryPath = exporterPath(
    e2e.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString()),
    '/api/v1/summary'
  );
  await page.route(`**/${summaryPath}`, (route) => route.fulfill({ status: 200, json: SUMMARY }));
  await expect(configPage.saveAndTest({ path: summaryPath })).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: 'Connected to the exporter' });
});

test('"Save & test" reports an authentication failure', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  selectors: e2e,
  page,
}) => {
  const ds = await readProvisionedDataSource<KpiDataSourceOptions, KpiSecureJsonData>({ fileName: 'datasources.yml' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page
    .getByRole('textbox', { name: new RegExp(`^${selectors.config.exporterUrl.label}`) })
    .fill(ds.jsonData.exporterUrl ?? 'http://exporter:9867');
  const summaryPath = exporterPath(
    e2e.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString()),
    '/api/v1/summary'
  );
  await page.route(`**/${summaryPath}`, (route) =>
    route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'missing or wrong bearer token' } } })
  );
  await expect(configPage.saveAndTest({ path: summaryPath })).not.toBeOK();
  await expect(configPage).toHaveAlert('error', { hasText: 'Authentication failed' });
});
