import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

import { dailyIndicators } from './daily';
import { rulesAndResources } from './rules';
import { wallScreen } from './wall-screen';

/** Every provisioned dashboard and the file it is generated into (dashboards/generated/<file>). */
export interface GeneratedDashboard {
  file: string;
  dashboard: Dashboard;
}

export function allDashboards(): GeneratedDashboard[] {
  return [
    { file: 'wall-screen.json', dashboard: wallScreen().build() },
    { file: 'daily.json', dashboard: dailyIndicators().build() },
    { file: 'rules.json', dashboard: rulesAndResources().build() },
  ];
}
