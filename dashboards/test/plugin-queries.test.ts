import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { migrateQuery, migrateVariableQuery } from '../../plugin/src/migrations';
import {
  ANNOTATION_QUERY_TYPES,
  CURRENT_SCHEMA_VERSION,
  DAILY_INDICATORS,
  DIMENSIONS,
  PANEL_QUERY_TYPES,
} from '../../plugin/src/types';
import { validateQuery } from '../../plugin/src/validation';
import { allDashboards } from '../src/dashboards';
import { KPI } from '../src/datasources';
import { SEVERITY_COLORS } from '../src/panels';
import { PACKAGE_DIR } from '../src/render';
import {
  annotationsOf,
  asJson,
  type Json,
  overridesOf,
  panelsOf,
  targetsOf,
  variablesOf,
} from './dashboard-json';

/** Every KPI plugin query of the dashboards: panel targets, annotation targets, variable queries. */
const dashboards = allDashboards().map(({ dashboard }) => asJson(dashboard));
const isKpi = (ref: unknown) => (ref as Json | undefined)?.uid === KPI.uid;

const panelTargets = dashboards.flatMap((dashboard) =>
  panelsOf(dashboard).flatMap((panel) =>
    targetsOf(panel)
      .filter((target) => isKpi(target.datasource))
      .map((target) => ({ where: `${String(dashboard.uid)} panel ${String(panel.id)}`, panel, target })),
  ),
);
const annotationTargets = dashboards.flatMap((dashboard) =>
  annotationsOf(dashboard)
    .filter((annotation) => isKpi(annotation.datasource))
    .map((annotation) => ({
      where: `${String(dashboard.uid)} annotation ${String(annotation.name)}`,
      target: annotation.target as Json,
    })),
);
const variableQueries = dashboards.flatMap((dashboard) =>
  variablesOf(dashboard)
    .filter((variable) => isKpi(variable.datasource))
    .map((variable) => ({
      where: `${String(dashboard.uid)} variable ${String(variable.name)}`,
      query: variable.query as Json,
    })),
);

describe('plugin queries', () => {
  const queries = [...panelTargets, ...annotationTargets];

  it('are used for the tables, daily bars, annotations and variables', () => {
    expect(panelTargets.length).toBeGreaterThan(10);
    expect(annotationTargets.map(({ target }) => target.queryType)).toEqual([
      'monitoringBegan',
      'remediationEvents',
      'remediationEvents',
    ]);
    expect(variableQueries.length).toBe(7);
  });

  it.each(queries.map(({ where, target }) => [where, target] as const))(
    '%s is a current, complete, valid query of the plugin model',
    (_where, target) => {
      expect(target.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      expect([...PANEL_QUERY_TYPES, ...ANNOTATION_QUERY_TYPES]).toContain(target.queryType);
      // migrateQuery fills in whatever is missing or malformed with defaults: a complete query comes back unchanged.
      const migrated = migrateQuery(target as unknown as Parameters<typeof migrateQuery>[0]);
      expect(migrated).toEqual(target);
      expect(validateQuery(migrated)).toEqual([]);
    },
  );

  it('annotation queries are of an annotation type and panel queries never are', () => {
    const isAnnotationType = (queryType: unknown) =>
      ANNOTATION_QUERY_TYPES.some((type) => type === queryType);
    expect(annotationTargets.filter(({ target }) => !isAnnotationType(target.queryType))).toEqual([]);
    expect(panelTargets.filter(({ target }) => isAnnotationType(target.queryType))).toEqual([]);
  });

  it.each(variableQueries.map(({ where, query }) => [where, query] as const))(
    '%s is a current variable query of a known dimension',
    (_where, query) => {
      expect(DIMENSIONS).toContain(query.dimension);
      expect(migrateVariableQuery(query)).toEqual(query);
    },
  );

  it('would catch a query the plugin does not accept', () => {
    const target = structuredClone(panelTargets.find(({ target }) => target.queryType === 'daily')!.target);
    target.indicators = ['findingsOpened', 'notAnIndicator'];
    expect(migrateQuery(target as unknown as Parameters<typeof migrateQuery>[0])).not.toEqual(target);
    expect(DAILY_INDICATORS).not.toContain('notAnIndicator');
  });
});

describe('field names the dashboards reference in overrides', () => {
  const frames = readFileSync(join(PACKAGE_DIR, '..', 'plugin', 'src', 'frames.ts'), 'utf8');
  /**
   * Field names of the plugin's frames: literal `name: '…'` or a table column `[FieldType.…, '…', …]`, and
   * the daily ones built from a template.
   */
  const pluginField = (name: string) =>
    frames.includes(`name: '${name}'`) ||
    new RegExp(`\\[\\s*FieldType\\.\\w+,\\s*'${name}',`).test(frames) ||
    /^(open_findings|remediation_failures)_[A-Za-z_]+$/.test(name);

  it('exist in the plugin frames', () => {
    const missing = dashboards.flatMap((dashboard) =>
      panelsOf(dashboard)
        .filter((panel) => isKpi(panel.datasource))
        .flatMap((panel) =>
          overridesOf(panel)
            .map((override) => (override.matcher as Json).options as string)
            .filter((name) => !pluginField(name))
            .map((name) => `${String(dashboard.uid)} panel ${String(panel.id)}: ${name}`),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('use the severity colours of the plugin frames', () => {
    const block = /const SEVERITY_COLORS[^{]*\{([^}]*)\}/.exec(frames)?.[1] ?? '';
    const pluginColors = Object.fromEntries(
      [...block.matchAll(/(\w+): '([^']+)'/g)].map(([, key, color]) => [key, color]),
    );
    expect(SEVERITY_COLORS).toEqual(pluginColors);
  });
});
