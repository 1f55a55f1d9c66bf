import type { Config } from '../../config/load';
import type { RemediationCatalog } from '../../kpi/remediation-catalog';
import type { ExporterState } from '../../poller/snapshots';
import type { Store } from '../../store/store';

export interface ApiContext {
  state: ExporterState;
  store: Store;
  config: Config;
  catalog: RemediationCatalog;
  /** Epoch seconds. */
  now: () => number;
}

/** ISO-8601 in UTC, to the second. */
export const iso = (epochSeconds: number | null | undefined): string | null =>
  epochSeconds === null || epochSeconds === undefined ? null : new Date(Math.floor(epochSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
