import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { KpiDataSourceOptions, KpiQuery, KpiSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, KpiQuery, KpiDataSourceOptions, KpiSecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
