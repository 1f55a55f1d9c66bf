/**
 * Exporter answers for the @grafana/plugin-e2e specs. They need a running Grafana (docker compose up in plugin/),
 * which this repository's CI machine cannot run; the exporter itself is stubbed with page.route(), so only Grafana is
 * needed. The browser test in harness/ covers the same ground without Grafana.
 */
export const SUMMARY = {
  generated_at: '2026-11-29T03:04:05Z',
  open_findings: { CRITICAL: 12, HIGH: 40, MEDIUM: 7, LOW: 0, INFORMATIONAL: 0, UNKNOWN: 3 },
  open_findings_total: 62,
  compliance_score: { evaluations: 0.93, rules: 0.71 },
  remediations_in_progress: 4,
  rules_total: 80,
  rules_noncompliant: 23,
  rules_without_details: 6,
  last_successful_poll: '2026-11-29T03:03:50Z',
  stale: false,
  stale_sources: [],
  targets: [],
};

export const DIMENSIONS = {
  accounts: ['123456789012'],
  regions: ['us-east-1'],
  severities: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNKNOWN'],
  rules: ['restricted-common-ports'],
  documents: ['Custom-DisablePublicAccessForSecurityGroup'],
  resource_types: ['AWS::EC2::SecurityGroup'],
};

/** The exporter path behind Grafana's data source proxy, as the plugin requests it (plugin.json route "exporter"). */
export const exporterPath = (proxyUrl: string, path: string) => `${proxyUrl}/exporter${path}`;
