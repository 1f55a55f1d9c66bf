import { FINDINGS_INDICATORS } from '../../plugin/src/types';
import { dailyIndicators } from '../src/daily';
import { KPI } from '../src/datasources';
import { annotationsOf, asJson, fieldDefaults, type Json, panelsOf, targetsOf } from './dashboard-json';

const json = asJson(dailyIndicators().build());
const panels = panelsOf(json);

/** Daily plugin queries draw findings series, which are null on days before monitoring began. */
const drawsFindings = (panel: Json) =>
  targetsOf(panel).some(
    (target) =>
      target.queryType === 'daily' &&
      (target.indicators as string[]).some((indicator) =>
        FINDINGS_INDICATORS.some((findings) => findings === indicator),
      ),
  );

describe('daily dashboard before monitoring began', () => {
  it('shows where monitoring began, for the dashboard’s accounts and regions, before the remediation events', () => {
    const [first] = annotationsOf(json);
    expect(first).toMatchObject({
      name: 'Monitoring began',
      enable: true,
      datasource: KPI,
      target: { queryType: 'monitoringBegan', accountIds: ['$account_id'], regions: ['$region'] },
    });
  });

  it('never connects findings series across the empty days', () => {
    const findingsPanels = panels.filter(drawsFindings);
    expect(findingsPanels.map((panel) => panel.title)).toEqual([
      'Findings opened and resolved per day',
      'Open findings at the end of each day, per severity',
      'Time to remediate per day: median and 95th percentile',
    ]);
    for (const panel of findingsPanels) {
      expect([panel.title, (fieldDefaults(panel).custom as Json).spanNulls]).toEqual([panel.title, false]);
    }
  });
});
