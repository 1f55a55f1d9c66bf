/**
 * Grafana sets window.grafanaBootData before any of its modules run; @grafana/runtime and @grafana/ui read it at load
 * time (GlobalStyles crashes without settings.featureToggles). Imported first by main.tsx, so ES module order makes
 * it run before them.
 */
const bootData = {
  settings: {
    featureToggles: {},
    buildInfo: { version: '12.4.10', edition: 'Open Source', env: 'production', commit: '', latestVersion: '' },
    datasources: {},
    panels: {},
    theme2: { isDark: true },
  },
  user: { theme: 'dark', timezone: 'utc', language: 'en-US' },
  navTree: [],
  assets: { dark: '', light: '' },
};

Object.assign(window, { grafanaBootData: bootData });

export {};
