/**
 * Labels and test ids of the editors, shared by the components, the jest tests, the browser test and the
 * @grafana/plugin-e2e specs, so a wording change cannot silently break a test.
 */
export const selectors = {
  config: {
    exporterUrl: {
      label: 'Exporter URL',
      placeholder: 'http://exporter:9867',
      tooltip: "Base URL of the Compliance Pulse exporter as Grafana's server reaches it (without /api/v1).",
    },
    apiToken: {
      label: 'API token',
      placeholder: 'Only if the exporter runs with --web.api-token-file',
      tooltip: 'Stored encrypted; Grafana sends it to the exporter as "Authorization: Bearer <token>".',
    },
    defaultTimeZone: {
      label: 'Default time zone',
      placeholder: 'UTC',
      tooltip: 'IANA time zone in which days are counted when a query sets none, e.g. Asia/Seoul.',
    },
  },
  query: {
    editor: 'compliance-pulse-query-editor',
    queryType: 'Query type',
    indicators: 'Indicators',
    accountIds: 'Accounts',
    regions: 'Regions',
    severities: 'Severities',
    rules: 'Config rules',
    documents: 'SSM documents',
    timeZone: 'Time zone',
    limit: 'Rows',
    state: 'State',
    outcome: 'Outcome',
    summaryNote: 'compliance-pulse-summary-note',
    annotationKind: 'Events',
    monitoringNote: 'compliance-pulse-monitoring-note',
  },
  variable: {
    dimension: 'Values of',
  },
} as const;
