import { expect, test } from '@grafana/plugin-e2e';

import { selectors } from '../src/selectors';
import { DIMENSIONS, exporterPath, SUMMARY } from './fixtures';

test('smoke: renders the query editor with the daily indicators query', async ({
  panelEditPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByRole('radio', { name: 'Daily indicators' })).toBeChecked();
  await expect(row.getByRole('combobox', { name: selectors.query.indicators })).toBeVisible();
});

test('summary query fills a table with the exporter counts', async ({
  panelEditPage,
  readProvisionedDataSource,
  selectors: e2e,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  const proxy = e2e.apis.DataSource.proxy(ds.uid, '');
  await page.route(`**/${exporterPath(proxy, '/api/v1/summary')}`, (route) => route.fulfill({ status: 200, json: SUMMARY }));
  await page.route(`**/${exporterPath(proxy, '/api/v1/dimensions')}`, (route) =>
    route.fulfill({ status: 200, json: DIMENSIONS })
  );
  await panelEditPage.datasource.set(ds.name);
  await panelEditPage.setVisualization('Table');
  await panelEditPage.getQueryEditorRow('A').getByRole('radio', { name: 'Summary' }).click();
  await expect(panelEditPage.panel.fieldNames).toContainText(['Open findings', 'Critical']);
  await expect(panelEditPage.panel.data).toContainText(['62', '12']);
});
