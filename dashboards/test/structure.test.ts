import { allDashboards } from '../src/dashboards';
import { DAILY_UID, RULES_UID, WALL_SCREEN_UID } from '../src/links';
import { asJson, type Json, panelsOf, variablesOf } from './dashboard-json';
import { structureProblems } from './structure';

const dashboards = allDashboards().map(({ file, dashboard }) => ({ file, json: asJson(dashboard) }));
const uids = dashboards.map(({ json }) => String(json.uid));

describe('dashboard structure', () => {
  it('has the three dashboards under their fixed uids', () => {
    expect(uids).toEqual([WALL_SCREEN_UID, DAILY_UID, RULES_UID]);
  });

  it.each(dashboards.map(({ file, json }) => [file, json] as const))(
    '%s: fixed unique panel ids, titles, units, thresholds, fixed data source uids, links to existing dashboards',
    (_file, json) => {
      expect(structureProblems(json, uids)).toEqual([]);
    },
  );
});

describe('the structure check itself', () => {
  const wall = () => structuredClone(dashboards[0]!.json);
  const firstPanel = (json: Json) => panelsOf(json)[0]!;

  it('reports a duplicate panel id', () => {
    const json = wall();
    panelsOf(json)[1]!.id = firstPanel(json).id;
    expect(structureProblems(json, uids)).toContainEqual(
      expect.stringContaining('panel id 1 is used 2 times'),
    );
  });

  it('reports a panel without a unit or thresholds', () => {
    const json = wall();
    const panel = firstPanel(json);
    panel.fieldConfig = { defaults: {}, overrides: [] };
    const problems = structureProblems(json, uids);
    expect(problems).toContainEqual(expect.stringContaining('has no unit'));
    expect(problems).toContainEqual(expect.stringContaining('has no thresholds'));
  });

  it('reports a data source referenced by name or by another uid', () => {
    const json = wall();
    firstPanel(json).datasource = { type: 'prometheus', uid: 'PBFA97CFB590B2093' };
    expect(structureProblems(json, uids)).toContainEqual(expect.stringContaining('references data source'));
  });

  it('reports a link to a dashboard that does not exist, and overlapping panels', () => {
    const json = wall();
    firstPanel(json).links = [{ title: 'x', url: '/d/cp-nowhere?var-a=b' }];
    panelsOf(json)[1]!.gridPos = { x: 0, y: 0, w: 4, h: 7 };
    const problems = structureProblems(json, uids);
    expect(problems).toContainEqual(expect.stringContaining('points at cp-nowhere'));
    expect(problems).toContainEqual(expect.stringContaining('overlap'));
  });
});

describe('variables', () => {
  it('reports a plugin "no filter" variable used in PromQL', () => {
    const daily = structuredClone(dashboards[1]!.json);
    const tagging = panelsOf(daily).find((panel) => String(panel.title).startsWith('Auto-tagging'))!;
    const target = (tagging.targets as Json[])[0]!;
    target.expr = String(target.expr).replace('region=~"$region"', 'severity=~"$severity"');
    expect(structureProblems(daily, uids)).toEqual([
      'cp-daily: variable severity means "no filter" to the plugin but is used in PromQL',
    ]);
  });

  it('carry the same names on every dashboard', () => {
    const names = dashboards.map(({ json }) => variablesOf(json).map((variable) => variable.name));
    expect(names).toEqual([
      ['account_id', 'region'],
      ['account_id', 'region', 'severity'],
      ['account_id', 'region', 'severity', 'rule'],
    ]);
  });
});

describe('links and annotations', () => {
  it('show above the panels, not in the controls menu the SDK defaults to', () => {
    expect(dashboards.filter(({ json }) => JSON.stringify(json).includes('inControlsMenu'))).toEqual([]);
  });
});
