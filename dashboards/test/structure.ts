import { DATASOURCE_UIDS, KPI, PROMETHEUS } from '../src/datasources';
import { PLUGIN_NO_FILTER } from '../src/variables';
import {
  annotationsOf,
  dataSourceUses,
  fieldDefaults,
  type Json,
  linkUrls,
  panelsOf,
  targetsOf,
  variablesOf,
} from './dashboard-json';

/** Panel types that show one number against thresholds. */
const THRESHOLD_PANELS = new Set(['stat', 'gauge', 'bargauge']);
const GRID_COLUMNS = 24;

const TYPE_OF_UID: Record<string, string> = { [PROMETHEUS.uid]: PROMETHEUS.type, [KPI.uid]: KPI.type };

/** Everything wrong with one dashboard's structure; `uids` are the dashboards that exist. */
export function structureProblems(dashboard: Json, uids: readonly string[]): string[] {
  const problems: string[] = [];
  const name = String(dashboard.uid);
  const problem = (text: string) => problems.push(`${name}: ${text}`);

  if ('__inputs' in dashboard) {
    problem('has __inputs; provisioned dashboards reference data sources by uid');
  }
  const ids = new Map<number, number>();
  const panels = panelsOf(dashboard);
  for (const panel of panels) {
    const id = panel.id;
    if (typeof id !== 'number') {
      problem(`panel "${String(panel.title)}" has no fixed id`);
    } else {
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    if (typeof panel.title !== 'string' || panel.title.trim() === '') {
      problem(`panel ${String(id)} has no title`);
    }
    if (panel.type === 'row') {
      continue;
    }
    const defaults = fieldDefaults(panel);
    if (typeof defaults.unit !== 'string' || defaults.unit === '') {
      problem(`panel ${String(id)} "${String(panel.title)}" has no unit`);
    }
    if (typeof panel.description !== 'string' || panel.description.trim() === '') {
      problem(`panel ${String(id)} "${String(panel.title)}" has no description`);
    }
    const steps = (defaults.thresholds as Json | undefined)?.steps;
    if (THRESHOLD_PANELS.has(String(panel.type)) && (!Array.isArray(steps) || steps.length < 2)) {
      problem(
        `panel ${String(id)} "${String(panel.title)}" (${String(panel.type)}) has no thresholds beyond a base colour`,
      );
    }
  }
  for (const [id, count] of ids) {
    if (count > 1) {
      problem(`panel id ${id} is used ${count} times`);
    }
  }
  problems.push(...gridProblems(panels).map((text) => `${name}: ${text}`));

  for (const { where, ref } of dataSourceUses(dashboard)) {
    const uid = (ref as Json | undefined)?.uid;
    const type = (ref as Json | undefined)?.type;
    if (typeof uid !== 'string' || !DATASOURCE_UIDS.includes(uid)) {
      problem(
        `${where} references data source ${JSON.stringify(ref)}, not one of ${DATASOURCE_UIDS.join(', ')}`,
      );
    } else if (type !== TYPE_OF_UID[uid]) {
      problem(`${where} references uid ${uid} with type ${String(type)}, expected ${TYPE_OF_UID[uid]}`);
    }
  }

  problems.push(...variableUseProblems(dashboard).map((text) => `${name}: ${text}`));

  for (const { where, url } of linkUrls(dashboard)) {
    const target = /^\/d\/([^/?]+)/.exec(url)?.[1];
    if (target === undefined) {
      problem(`${where}: ${url} is not a link to a dashboard (/d/<uid>)`);
    } else if (!uids.includes(target)) {
      problem(`${where}: ${url} points at ${target}, which is not a generated dashboard`);
    }
  }
  return problems;
}

/** Panels inside the 24 columns, with a size, not overlapping. */
function gridProblems(panels: Json[]): string[] {
  const problems: string[] = [];
  const boxes = panels.map((panel) => {
    const { x = NaN, y = NaN, w = NaN, h = NaN } = (panel.gridPos ?? {}) as Record<string, number>;
    return { id: panel.id, x, y, w, h };
  });
  for (const box of boxes) {
    if (![box.x, box.y, box.w, box.h].every(Number.isInteger) || box.w < 1 || box.h < 1) {
      problems.push(`panel ${String(box.id)} has no valid gridPos`);
    } else if (box.x < 0 || box.x + box.w > GRID_COLUMNS) {
      problems.push(`panel ${String(box.id)} does not fit in ${GRID_COLUMNS} columns`);
    }
  }
  boxes.forEach((a, index) => {
    for (const b of boxes.slice(index + 1)) {
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        problems.push(`panels ${String(a.id)} and ${String(b.id)} overlap`);
      }
    }
  });
  return problems;
}

/**
 * A variable's "All" must suit every query that uses it: `.*` means nothing to the plugin (the exporter rejects it),
 * and the plugin's blank "no filter" would match nothing in PromQL.
 */
function variableUseProblems(dashboard: Json): string[] {
  const queriesOf = (uid: string) =>
    JSON.stringify([
      ...panelsOf(dashboard).flatMap((panel) =>
        targetsOf(panel).filter((target) => (target.datasource as Json | undefined)?.uid === uid),
      ),
      ...annotationsOf(dashboard)
        .filter((annotation) => (annotation.datasource as Json | undefined)?.uid === uid)
        .map((annotation) => annotation.target),
      ...variablesOf(dashboard)
        .filter((variable) => (variable.datasource as Json | undefined)?.uid === uid)
        .map((variable) => variable.query),
    ]);
  const promql = queriesOf(PROMETHEUS.uid);
  const plugin = queriesOf(KPI.uid);
  const problems: string[] = [];
  for (const variable of variablesOf(dashboard)) {
    const name = String(variable.name);
    const reference = new RegExp(`\\$(\\{${name}(:[^}]*)?\\}|${name}\\b)`);
    if (variable.allValue === PLUGIN_NO_FILTER && reference.test(promql)) {
      problems.push(`variable ${name} means "no filter" to the plugin but is used in PromQL`);
    }
    if (variable.allValue === '.*' && reference.test(plugin)) {
      problems.push(`variable ${name} has the all-value .* but is used in a plugin query`);
    }
  }
  return problems;
}
