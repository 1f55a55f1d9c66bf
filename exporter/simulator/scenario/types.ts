import type { RegionStory } from './story';

/** A region live mode keeps moving, with the story that decides how. */
export interface LiveTarget {
  readonly accountId: string;
  readonly region: string;
  readonly story: RegionStory;
}

/** What defining a scenario tells the simulator beyond the world it filled. */
export interface ScenarioDefinition {
  /** Regions the scenario's accounts use (RunningSimulator.regions). */
  readonly regions: readonly string[];
  readonly live: readonly LiveTarget[];
}

/** The read-only role the exporter assumes in other accounts. */
export const READ_ONLY_ROLE = 'CompliancePulseReadOnly';
