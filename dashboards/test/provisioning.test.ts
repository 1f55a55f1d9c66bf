import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { KPI, PROMETHEUS } from '../src/datasources';
import { PACKAGE_DIR } from '../src/render';

/**
 * provisioning/grafana must provide the data sources under the uids the dashboards reference, and load the generated
 * dashboards from the mount path its README promises. (Text checks: Grafana's YAML here is flat and hand-written.)
 */
const GRAFANA = join(PACKAGE_DIR, '..', 'provisioning', 'grafana');
const read = (path: string) => readFileSync(join(GRAFANA, path), 'utf8');

/** The `- name:` blocks of a provisioning list, as text. */
const entries = (yaml: string) => yaml.split(/\n(?= {2}- name: )/).slice(1);

describe('Grafana provisioning', () => {
  const datasources = entries(read('datasources/datasources.yml'));

  it('provides Prometheus under the uid the dashboards use, at prometheus:9090', () => {
    const prometheus = datasources.find((entry) => entry.includes(`\n    uid: ${PROMETHEUS.uid}\n`));
    expect(prometheus).toContain(`\n    type: ${PROMETHEUS.type}\n`);
    expect(prometheus).toContain('\n    url: http://prometheus:9090\n');
  });

  it('provides the KPI plugin under the uid the dashboards use, pointing at the exporter, token from the environment', () => {
    const kpi = datasources.find((entry) => entry.includes(`\n    uid: ${KPI.uid}\n`));
    expect(kpi).toContain(`\n    type: ${KPI.type}\n`);
    expect(kpi).toContain('\n      exporterUrl: http://exporter:9867\n');
    expect(kpi).toMatch(/\n {6}apiToken: \$\{COMPLIANCE_PULSE_API_TOKEN\}\n/);
    const pluginJson = JSON.parse(
      readFileSync(join(PACKAGE_DIR, '..', 'plugin', 'src', 'plugin.json'), 'utf8'),
    ) as {
      id: string;
    };
    expect(KPI.type).toBe(pluginJson.id);
  });

  it('loads the dashboards from the path the README documents', () => {
    const provider = read('dashboards/dashboards.yml');
    expect(provider).toContain('\n      path: /var/lib/grafana/dashboards\n');
    expect(read('README.md')).toContain('dashboards/generated/` | `/var/lib/grafana/dashboards`');
  });
});
