import { AnnotationQuery, AnnotationSupport } from '@grafana/data';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { defaultQuery, migrateQuery } from './migrations';
import { KpiQuery } from './types';

/**
 * Annotations: remediation executions (succeeded and failed by default) over the dashboard's time range. The query
 * always has type `remediationEvents`; Grafana turns the frame's time/timeEnd/title/text/tags fields into events.
 */
export const remediationAnnotations: AnnotationSupport<KpiQuery> = {
  getDefaultQuery: () => defaultQuery('remediationEvents', 'Anno'),
  prepareQuery: (annotation: AnnotationQuery<KpiQuery>) =>
    migrateQuery({ ...(annotation.target ?? { refId: 'Anno' }), queryType: 'remediationEvents' }),
  QueryEditor: AnnotationQueryEditor,
};
