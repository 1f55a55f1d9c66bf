import type { World } from '../world/world';
import type { Catalog } from './catalog';
import { DEFAULT_ACCOUNT_ID, defineDefaultScenario } from './default';
import { defineLargeScenario, LARGE_ACCOUNT_ID } from './large';
import { defineOrganizationScenario, MANAGEMENT_ACCOUNT_ID } from './organization';
import type { ScenarioDefinition } from './types';

export type ScenarioName = 'default' | 'large' | 'organization' | 'empty';
export const SCENARIOS: readonly ScenarioName[] = ['default', 'large', 'organization', 'empty'];

/** The account requests without a recognisable access key are answered for. */
export function defaultAccountOf(scenario: ScenarioName): string {
  switch (scenario) {
    case 'large':
      return LARGE_ACCOUNT_ID;
    case 'organization':
      return MANAGEMENT_ACCOUNT_ID;
    default:
      return DEFAULT_ACCOUNT_ID;
  }
}

export interface ScenarioOptions {
  readonly seed: number;
  readonly startMs: number;
  /** ExternalId the organization's member roles require. */
  readonly externalId?: string;
  /** Member accounts of the organization scenario (default 200). */
  readonly members?: number;
}

export function defineScenario(
  name: ScenarioName,
  world: World,
  catalog: Catalog,
  options: ScenarioOptions,
): ScenarioDefinition {
  switch (name) {
    case 'default':
      return defineDefaultScenario(world, catalog, options.seed, options.startMs, options.externalId);
    case 'large':
      return defineLargeScenario(world, catalog, options.seed, options.startMs);
    case 'organization':
      return defineOrganizationScenario(world, catalog, options.seed, options.startMs, options.externalId, options.members);
    case 'empty':
      return { regions: [], live: [] };
  }
}
