import { AnnotationQuery, AnnotationSupport } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { defaultQuery, migrateQuery } from './migrations';
import { ANNOTATION_QUERY_TYPES, AnnotationQueryType, KpiQuery } from './types';

/** The annotation kind a stored target asks for; anything else (older dashboards had no choice) is remediations. */
export function annotationQueryType(target: DataQuery | undefined): AnnotationQueryType {
  return ANNOTATION_QUERY_TYPES.find((queryType) => queryType === target?.queryType) ?? 'remediationEvents';
}

/**
 * Annotations of two kinds, chosen in the annotation editor:
 * - `remediationEvents`: remediation executions (succeeded and failed by default) over the dashboard's time range;
 * - `monitoringBegan`: one event where monitoring of the selected accounts and regions began, i.e. where the daily
 *   findings figures start.
 * Grafana turns the frame's time/timeEnd/title/text/tags fields into events.
 */
export const kpiAnnotations: AnnotationSupport<KpiQuery> = {
  getDefaultQuery: () => defaultQuery('remediationEvents', 'Anno'),
  prepareQuery: (annotation: AnnotationQuery<KpiQuery>) => {
    const target = annotation.target ?? { refId: 'Anno' };
    return migrateQuery({ ...target, queryType: annotationQueryType(target) });
  },
  QueryEditor: AnnotationQueryEditor,
};
