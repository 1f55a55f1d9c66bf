import { createDataFrame, CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType } from '@grafana/data';
import { from, Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { migrateVariableQuery } from './migrations';
import { KpiDataSourceOptions, KpiQuery, KpiVariableQuery } from './types';

/** Template variables: the values of one dimension (accounts, regions, …) from `/api/v1/dimensions`. */
export class KpiVariableSupport extends CustomVariableSupport<
  DataSource,
  KpiVariableQuery,
  KpiQuery,
  KpiDataSourceOptions
> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<KpiVariableQuery>): Observable<DataQueryResponse> {
    const query = migrateVariableQuery(request.targets[0]);
    return from(
      this.datasource.dimensionValues(query.dimension).then((values) => ({
        data: [createDataFrame({ refId: query.refId, fields: [{ name: 'text', type: FieldType.string, values }] })],
      }))
    );
  }
}
