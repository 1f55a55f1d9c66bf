import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Read-only walks over generated dashboard JSON, shared by the tests. They work on the JSON as Grafana reads it
 * (plain objects), not on the SDK's types, so they also see fields the builders would not let us set.
 */

export type Json = Record<string, unknown>;

export const asJson = (dashboard: Dashboard): Json => JSON.parse(JSON.stringify(dashboard)) as Json;

function objects(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((item): item is Json => item !== null && typeof item === 'object')
    : [];
}

/** Every panel, rows included, and the panels of collapsed rows. */
export function panelsOf(dashboard: Json): Json[] {
  return objects(dashboard.panels).flatMap((panel) => [panel, ...objects(panel.panels)]);
}

export function targetsOf(panel: Json): Json[] {
  return objects(panel.targets);
}

export function variablesOf(dashboard: Json): Json[] {
  return objects((dashboard.templating as Json | undefined)?.list);
}

export function annotationsOf(dashboard: Json): Json[] {
  return objects((dashboard.annotations as Json | undefined)?.list);
}

export function fieldDefaults(panel: Json): Json {
  return ((panel.fieldConfig as Json | undefined)?.defaults as Json | undefined) ?? {};
}

export function overridesOf(panel: Json): Json[] {
  return objects((panel.fieldConfig as Json | undefined)?.overrides);
}

/** Where each data source reference sits, for messages. */
export interface DataSourceUse {
  where: string;
  ref: unknown;
}

export function dataSourceUses(dashboard: Json): DataSourceUse[] {
  const uses: DataSourceUse[] = [];
  for (const panel of panelsOf(dashboard)) {
    if (panel.type === 'row') {
      continue;
    }
    uses.push({ where: `panel ${String(panel.id)}`, ref: panel.datasource });
    for (const target of targetsOf(panel)) {
      uses.push({
        where: `panel ${String(panel.id)} target ${String(target.refId)}`,
        ref: target.datasource,
      });
    }
  }
  for (const variable of variablesOf(dashboard)) {
    uses.push({ where: `variable ${String(variable.name)}`, ref: variable.datasource });
  }
  for (const annotation of annotationsOf(dashboard)) {
    uses.push({ where: `annotation ${String(annotation.name)}`, ref: annotation.datasource });
    const target = annotation.target as Json | undefined;
    if (target !== undefined) {
      uses.push({ where: `annotation ${String(annotation.name)} target`, ref: target.datasource });
    }
  }
  return uses;
}

/** Every URL a person can click: header links, panel links, data links (defaults and overrides). */
export function linkUrls(dashboard: Json): { where: string; url: string }[] {
  const urls: { where: string; url: string }[] = [];
  const collect = (where: string, links: unknown) => {
    for (const link of objects(links)) {
      urls.push({ where, url: String(link.url) });
    }
  };
  collect('dashboard links', dashboard.links);
  for (const panel of panelsOf(dashboard)) {
    collect(`panel ${String(panel.id)} links`, panel.links);
    collect(`panel ${String(panel.id)} data links`, fieldDefaults(panel).links);
    for (const override of overridesOf(panel)) {
      for (const property of objects(override.properties)) {
        if (property.id === 'links') {
          collect(`panel ${String(panel.id)} override data links`, property.value);
        }
      }
    }
  }
  return urls;
}
