import type { Clock } from '../clock';
import { RegionState } from './region-state';
import type { ComplianceType, RoleRecord } from './types';

/** A rule's compliance without its individual results (what the aggregator APIs need). */
export interface RuleSummary {
  readonly ruleName: string;
  readonly compliance: ComplianceType;
  readonly nonCompliantCount: number;
}

/**
 * How a region's content comes to be. Large presets describe regions by a cheap plan and build the full
 * state only when someone looks closely; building must be deterministic, so that a region that was
 * never changed can be dropped from memory and rebuilt identically.
 */
export interface RegionSource {
  /** Rule summaries sorted by rule name, available without building the region. */
  readonly plan?: { readonly summaries: () => readonly RuleSummary[]; readonly evaluationCount: number };
  build(state: RegionState): void;
}

class RegionSlot {
  state: RegionState | undefined;
  lastUsed = 0;
  /** Handed out through region(): the holder may mutate it later, so it is never dropped. */
  pinned = false;

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly source: RegionSource | undefined,
  ) {}
}

export interface Organization {
  readonly managementAccountId: string;
  readonly accountIds: readonly string[];
}

export interface WorldOptions {
  clock: Clock;
  seed: number;
  defaultAccountId: string;
  /** How many built, unchanged regions to keep in memory. */
  maxCachedRegions?: number;
}

export class World {
  readonly clock: Clock;
  readonly seed: number;
  readonly defaultAccountId: string;
  organization: Organization | undefined;
  private readonly accounts = new Map<string, Map<string, RegionSlot>>();
  private readonly roles = new Map<string, RoleRecord>();
  private readonly maxCachedRegions: number;
  private useCounter = 0;
  private builtClean = 0;

  constructor(options: WorldOptions) {
    this.clock = options.clock;
    this.seed = options.seed;
    this.defaultAccountId = options.defaultAccountId;
    this.maxCachedRegions = options.maxCachedRegions ?? 64;
    this.addAccount(options.defaultAccountId);
  }

  accountIds(): string[] {
    return [...this.accounts.keys()].sort();
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  addAccount(accountId: string): void {
    if (!/^\d{12}$/.test(accountId)) throw new Error(`account id must be 12 digits, got ${accountId}`);
    if (!this.accounts.has(accountId)) this.accounts.set(accountId, new Map());
  }

  /** Regions in which the account has Config set up. */
  regions(accountId: string): string[] {
    return [...(this.accounts.get(accountId)?.keys() ?? [])].sort();
  }

  hasRegion(accountId: string, region: string): boolean {
    return this.accounts.get(accountId)?.has(region) ?? false;
  }

  /** Declares a region with lazily built content (scenario generation). */
  defineRegion(accountId: string, region: string, source: RegionSource): void {
    this.addAccount(accountId);
    const regions = this.accounts.get(accountId) as Map<string, RegionSlot>;
    regions.set(region, new RegionSlot(accountId, region, source));
  }

  /**
   * The region's state, built on first use. Creates an empty region (and account) if there is none, so
   * tests can arrange exact situations starting from the `empty` scenario. The returned state stays in
   * memory for the simulator's lifetime.
   */
  region(accountId: string, region: string): RegionState {
    this.addAccount(accountId);
    const regions = this.accounts.get(accountId) as Map<string, RegionSlot>;
    let slot = regions.get(region);
    if (!slot) {
      slot = new RegionSlot(accountId, region, undefined);
      regions.set(region, slot);
    }
    slot.pinned = true;
    return this.materialize(slot);
  }

  /** The region's state if the account has Config in that region, else undefined (wire reads). */
  existingRegion(accountId: string, region: string): RegionState | undefined {
    const slot = this.accounts.get(accountId)?.get(region);
    return slot ? this.materialize(slot) : undefined;
  }

  /** A region's rule summaries sorted by rule name, without building the region when a plan exists. */
  ruleSummaries(accountId: string, region: string): readonly RuleSummary[] {
    const slot = this.accounts.get(accountId)?.get(region);
    if (!slot) return [];
    if (!slot.state && slot.source?.plan) return slot.source.plan.summaries();
    return summariesOf(this.materialize(slot));
  }

  /** Evaluation results of one region, counted from its plan when it is not built. */
  regionEvaluationCount(accountId: string, region: string): number {
    const slot = this.accounts.get(accountId)?.get(region);
    if (!slot) return 0;
    if (!slot.state && slot.source?.plan) return slot.source.plan.evaluationCount;
    const state = this.materialize(slot);
    return state.rules().reduce((sum, rule) => sum + (state.evaluationStore(rule.name)?.size ?? 0), 0);
  }

  /** Total evaluation results of the world. */
  evaluationCount(): number {
    let total = 0;
    for (const accountId of this.accounts.keys()) {
      for (const region of this.regions(accountId)) total += this.regionEvaluationCount(accountId, region);
    }
    return total;
  }

  /** How many regions are built right now (memory accounting for the large presets). */
  builtRegionCount(): number {
    let count = 0;
    for (const regions of this.accounts.values())
      for (const slot of regions.values()) if (slot.state) count++;
    return count;
  }

  addRole(role: {
    accountId: string;
    roleName: string;
    externalId?: string;
    maxSessionDurationSeconds?: number;
  }): RoleRecord {
    this.addAccount(role.accountId);
    const record: RoleRecord = {
      accountId: role.accountId,
      roleName: role.roleName,
      maxSessionDurationSeconds: role.maxSessionDurationSeconds ?? 3600,
      ...(role.externalId !== undefined ? { externalId: role.externalId } : {}),
    };
    this.roles.set(`${role.accountId}/${role.roleName}`, record);
    return record;
  }

  role(accountId: string, roleName: string): RoleRecord | undefined {
    return this.roles.get(`${accountId}/${roleName}`);
  }

  private materialize(slot: RegionSlot): RegionState {
    slot.lastUsed = ++this.useCounter;
    if (slot.state) return slot.state;
    const state = new RegionState(slot.accountId, slot.region, this.clock, this.seed);
    if (slot.source) {
      slot.source.build(state);
      state.mutations = 0;
      this.builtClean++;
    }
    slot.state = state;
    if (slot.source && this.builtClean > this.maxCachedRegions) this.evictClean(slot);
    return state;
  }

  /** Drops least recently used built regions that nobody changed; they rebuild identically on demand. */
  private evictClean(keep: RegionSlot): void {
    const clean: RegionSlot[] = [];
    for (const regions of this.accounts.values()) {
      for (const slot of regions.values()) {
        if (slot !== keep && !slot.pinned && slot.state && slot.source && slot.state.mutations === 0)
          clean.push(slot);
      }
    }
    clean.sort((a, b) => a.lastUsed - b.lastUsed);
    const excess = clean.length + 1 - this.maxCachedRegions;
    for (let i = 0; i < excess; i++) (clean[i] as RegionSlot).state = undefined;
    this.builtClean = clean.length + 1 - Math.max(0, excess);
  }
}

function summariesOf(state: RegionState): RuleSummary[] {
  return state
    .rules()
    .map((rule) => {
      return {
        ruleName: rule.name,
        compliance: state.reportedCompliance(rule.name),
        nonCompliantCount: state.complianceCounts(rule.name).NON_COMPLIANT,
      };
    })
    .sort((a, b) => (a.ruleName < b.ruleName ? -1 : a.ruleName > b.ruleName ? 1 : 0));
}
