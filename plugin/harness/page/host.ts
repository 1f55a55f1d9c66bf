/**
 * What Grafana's frontend provides around a data source plugin, shared by the harness's pages (this folder's
 * main.tsx, and the repository's end-to-end dashboard page, e2e/page/):
 *
 * - a BackendSrv over window.fetch, registered in @grafana/runtime (the plugin calls its data source proxy with it);
 * - loading dist/module.js as Grafana does, as an AMD module, handing it this page's react, rxjs and @grafana/*;
 * - the data source settings Grafana keeps, and the instance settings it gives the plugin's DataSource.
 */
import * as grafanaData from '@grafana/data';
import {
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourceSettings,
  PluginType,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { BackendSrv, BackendSrvRequest, setBackendSrv } from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as React from 'react';
import * as rxjs from 'rxjs';
import { Observable } from 'rxjs';

export type Query = grafanaData.DataQuery & Record<string, unknown>;
export type KpiDataSource = DataSourceApi<Query>;

export const DATASOURCE_UID = 'compliance-pulse-kpi';
export const PLUGIN_ID = 'compliancepulse-kpi-datasource';

/* ---------- Grafana services ---------- */

/** Grafana's BackendSrv.fetch over window.fetch; failures carry status/statusText/data like FetchError. */
const backendSrv = {
  fetch(options: BackendSrvRequest) {
    return new Observable((subscriber) => {
      const controller = new AbortController();
      window
        .fetch(options.url, {
          method: options.method ?? 'GET',
          signal: controller.signal,
          headers: { accept: 'application/json' },
        })
        .then(async (response) => {
          const text = await response.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: keep the text, as Grafana does
          }
          if (!response.ok) {
            subscriber.error({ status: response.status, statusText: response.statusText, data, config: options });
            return;
          }
          subscriber.next({
            data,
            status: response.status,
            statusText: response.statusText,
            ok: true,
            headers: response.headers,
            redirected: false,
            type: response.type,
            url: response.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((error: unknown) =>
          subscriber.error({ status: -1, statusText: String(error), data: {}, config: options })
        );
      return () => controller.abort();
    });
  },
};
// Only fetch is used by the plugin (its ProxyFetcher interface).
setBackendSrv(backendSrv as unknown as BackendSrv);

/* ---------- Loading dist/module.js like Grafana ---------- */

const AMD_MODULES: Record<string, unknown> = {
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  react: React,
  rxjs,
  module: { uri: '/plugin/module.js' },
};

export function loadPlugin(): Promise<DataSourcePlugin<KpiDataSource>> {
  return new Promise((resolve, reject) => {
    const define = (
      dependencies: string[],
      factory: (...modules: unknown[]) => { plugin: DataSourcePlugin<KpiDataSource> }
    ) => {
      const missing = dependencies.filter((name) => !(name in AMD_MODULES));
      if (missing.length > 0) {
        reject(new Error(`module.js needs modules the host does not provide: ${missing.join(', ')}`));
        return;
      }
      resolve(factory(...dependencies.map((name) => AMD_MODULES[name])).plugin);
    };
    Object.assign(window, { define: Object.assign(define, { amd: true }) });
    const script = document.createElement('script');
    script.src = '/plugin/module.js';
    script.onerror = () => reject(new Error('dist/module.js could not be loaded'));
    document.head.append(script);
  });
}

/* ---------- Data source settings, as Grafana keeps them ---------- */

export type Settings = DataSourceSettings<{ exporterUrl?: string; defaultTimeZone?: string }, { apiToken?: string }>;

export const INITIAL_SETTINGS: Settings = {
  id: 1,
  uid: DATASOURCE_UID,
  orgId: 1,
  name: 'Compliance Pulse',
  typeLogoUrl: '/plugin/img/logo.svg',
  type: PLUGIN_ID,
  typeName: 'Compliance Pulse KPI',
  access: 'proxy',
  url: '',
  user: '',
  database: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: false,
  jsonData: {},
  secureJsonFields: {},
  readOnly: false,
  withCredentials: false,
};

export function instanceSettings(
  settings: Settings,
  plugin: DataSourcePlugin<KpiDataSource>
): DataSourceInstanceSettings<Settings['jsonData']> {
  return {
    id: settings.id,
    uid: settings.uid,
    type: settings.type,
    name: settings.name,
    access: 'proxy',
    // What Grafana gives a proxy-access data source: its proxy URL, never the exporter URL.
    url: `/api/datasources/proxy/uid/${settings.uid}`,
    readOnly: false,
    jsonData: settings.jsonData,
    meta: {
      ...plugin.meta,
      id: PLUGIN_ID,
      type: PluginType.datasource,
      name: 'Compliance Pulse KPI',
      module: '/plugin/module.js',
      baseUrl: '/plugin',
      info: {
        author: { name: 'Compliance Pulse' },
        description: '',
        links: [],
        logos: { small: '/plugin/img/logo.svg', large: '/plugin/img/logo.svg' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
}
