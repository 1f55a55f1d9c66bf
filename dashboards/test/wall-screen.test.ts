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
