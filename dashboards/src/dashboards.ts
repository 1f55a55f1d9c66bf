import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

import { dailyIndicators } from './daily';
import { rulesAndResources } from './rules';
import { wallScreen } from './wall-screen';

/** Every provisioned dashboard and the file it is generated into (dashboards/generated/<file>). */
export interface GeneratedDashboard {
  file: string;
  dashboard: Dashboard;
}

/**
 * The SDK (0.0.21) defaults every link and annotation to `placement: "inControlsMenu"`, which Grafana 12 renders
 * inside the controls dropdown instead of above the panels. Without the field they show where people look.
 */
function withDefaultPlacement<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(withDefaultPlacement) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, item]) => !(key === 'placement' && item === 'inControlsMenu'))
        .map(([key, item]) => [key, withDefaultPlacement(item)]),
    ) as T;
  }
  return value;
}

export function allDashboards(): GeneratedDashboard[] {
  return [
    { file: 'wall-screen.json', dashboard: wallScreen().build() },
    { file: 'daily.json', dashboard: dailyIndicators().build() },
    { file: 'rules.json', dashboard: rulesAndResources().build() },
  ].map(({ file, dashboard }) => ({ file, dashboard: withDefaultPlacement(dashboard) }));
}
