/**
 * The test page (e2e/page) built with the plugin harness's Vite configuration and served by the harness's server
 * (plugin/harness/server.mjs: the page, dist/ under /plugin/, @grafana/ui's icons, and Grafana's data source proxy
 * with the routes of dist/plugin.json).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

import harnessViteConfig from '../../plugin/harness/vite.config.mjs';
import { startHarnessServer } from '../../plugin/harness/server.mjs';
import { PLUGIN_UID, ROOT } from './dashboards.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const PAGE_SOURCE_DIR = join(here, '..', 'page');
/** The built plugin the page loads: plugin/dist, or E2E_PLUGIN_DIST (e.g. an unpacked release zip). */
export const PLUGIN_DIST_DIR = process.env.E2E_PLUGIN_DIST ?? join(ROOT, 'plugin', 'dist');
const UI_PUBLIC_DIR = join(
  dirname(fileURLToPath(import.meta.resolve('@grafana/ui/package.json'))),
  'dist',
  'public',
);

/** Builds e2e/page into `outDir` with the harness's Vite settings (CJS interop shims, dedupe, defines). */
export async function buildPage(outDir) {
  await build({
    ...harnessViteConfig,
    configFile: false,
    root: PAGE_SOURCE_DIR,
    logLevel: 'error',
    build: { ...harnessViteConfig.build, outDir },
  });
}

/**
 * Serves the built page and proxies the plugin's requests to `exporterUrl` (stored as the data source's
 * jsonData.exporterUrl, as Grafana would keep it). Resolves with the harness server ({ url, close, requests }).
 */
export async function servePage(pageDir, exporterUrl) {
  const server = await startHarnessServer({
    pageDir,
    distDir: PLUGIN_DIST_DIR,
    uiPublicDir: UI_PUBLIC_DIR,
    datasourceUid: PLUGIN_UID,
  });
  const response = await fetch(`${server.url}/api/datasources/uid/${PLUGIN_UID}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonData: { exporterUrl }, secureJsonData: {} }),
  });
  if (!response.ok) {
    throw new Error(`storing the data source settings: HTTP ${response.status}`);
  }
  return server;
}
