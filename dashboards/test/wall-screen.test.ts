import { COLLECTING } from '../src/promql';
import { wallScreen } from '../src/wall-screen';
import { asJson, fieldDefaults, type Json, panelsOf, targetsOf } from './dashboard-json';

/** 1080 px of kiosk mode hold 27 grid rows (30 px each plus 8 px margin, less the panel chrome). */
const SCREEN_ROWS = 27;

const json = asJson(wallScreen().build());
const panels = panelsOf(json);
const dataAge = panels.find((panel) => panel.title === 'Data age: oldest poll source')!;

describe('wall screen', () => {
  it('fills one 1080p screen without scrolling, refreshes itself and has no small print', () => {
    expect(
      Math.max(
        ...panels.map(
          (panel) => ((panel.gridPos as Json).y as number) + ((panel.gridPos as Json).h as number),
        ),
      ),
    ).toBe(SCREEN_ROWS);
    expect(json.refresh).toBe('1m');
    expect(
      panels.map((panel) => panel.type).filter((type) => type !== 'stat' && type !== 'bargauge'),
    ).toEqual([]);
  });

  it('queries instant values only, so a stat never shows the last point of an older series', () => {
    const ranged = panels.flatMap((panel) => targetsOf(panel).filter((target) => target.instant !== true));
    expect(ranged).toEqual([]);
  });

  it('gates every number on the freshness of its source and maps "no value" to a red STALE', () => {
    const ungated = panels
      .filter((panel) => panel !== dataAge)
      .flatMap((panel) => {
        const mappings = JSON.stringify(fieldDefaults(panel).mappings ?? []);
        const gated = targetsOf(panel).every((target) =>
          /\nand on \(\) \(min\(account_region_source:compliance_pulse_data_fresh:bool\{source="\w+", /.test(
            String(target.expr),
          ),
        );
        const stale = mappings.includes('"match":"null","result":{"text":"STALE","color":"red"');
        return gated && stale ? [] : [`${String(panel.id)} ${String(panel.title)}`];
      });
    expect(ungated).toEqual([]);
  });

  it('shows a number over a window only once Prometheus covers it, "collecting: … of …" before', () => {
    const windowed = panels.filter((panel) => /24 h|7 days/.test(String(panel.title)));
    expect(windowed.map((panel) => panel.id)).toEqual([9, 10, 12, 13, 14, 15, 17]);
    for (const panel of windowed) {
      const windowSeconds = String(panel.title).includes('7 days') ? 604_800 : 86_400;
      const source = String(panel.title).startsWith('Time to remediate') ? 'config' : 'remediation';
      for (const target of targetsOf(panel)) {
        const coverage = `min(account_region_source:compliance_pulse_poll_success:coverage_seconds{source="${source}", `;
        expect(String(target.expr)).toContain(`and on () (${coverage}`);
        expect(String(target.expr)).toContain(`>= ${windowSeconds})\nor on () `);
      }
    }
  });

  // What a panel shows for the value of `whileCovered` after `minutes` of coverage: the text of its range mapping.
  function collectingText(title: string, minutes: number): string[] {
    const panel = panels.find((candidate) => candidate.title === title)!;
    const value = COLLECTING - minutes;
    return ((fieldDefaults(panel).mappings ?? []) as Json[])
      .filter((mapping) => mapping.type === 'range')
      .map((mapping) => mapping.options as { from: number; to: number; result: { text: string } })
      .filter(({ from, to }) => value >= from && value <= to)
      .map(({ result }) => result.text);
  }

  it('says how much of the window it has, rounded down, in exactly one mapping', () => {
    expect(collectingText('Failed remediations, last 24 h', 0)).toEqual(['collecting: 0 min of 24 h']);
    expect(collectingText('Failed remediations, last 24 h', 12)).toEqual(['collecting: 10 min of 24 h']);
    expect(collectingText('Failed remediations, last 24 h', 60)).toEqual(['collecting: 1 h of 24 h']);
    expect(collectingText('Failed remediations, last 24 h', 24 * 60 - 1)).toEqual([
      'collecting: 23 h of 24 h',
    ]);
    expect(collectingText('Remediation success, last 7 days', 59)).toEqual(['collecting: 50 min of 7 days']);
    expect(collectingText('Remediation success, last 7 days', 36 * 60)).toEqual([
      'collecting: 24 h of 7 days',
    ]);
    expect(collectingText('Remediation success, last 7 days', 7 * 24 * 60 - 1)).toEqual([
      'collecting: 6 days of 7 days',
    ]);
    expect(collectingText('Time to remediate, median of fixes in the last 24 h', 300)).toEqual([
      'collecting: 5 h of 24 h',
    ]);
    // Every minute of every window has exactly one text.
    for (let minute = 0; minute < 7 * 24 * 60; minute += 7) {
      expect(collectingText('Remediation success, last 7 days', minute)).toHaveLength(1);
    }
  });

  it('shows the data age red from 15 minutes, and says when there is no data or a source never polled', () => {
    expect(fieldDefaults(dataAge).thresholds).toEqual({
      mode: 'absolute',
      steps: [
        { value: null, color: 'green' },
        { value: 900, color: 'red' },
      ],
    });
    const texts = JSON.stringify(fieldDefaults(dataAge).mappings);
    expect(texts).toContain('NO DATA');
    expect(texts).toContain('NEVER POLLED');
  });
});
