/**
 * A sorted array with binary search. Pages are served by searching for the cursor key and walking from
 * there, so no request copies a whole collection.
 */
export type Compare<K> = (a: K, b: K) => number;

export class SortedArray<T, K> {
  private readonly items: T[] = [];

  constructor(
    private readonly keyOf: (item: T) => K,
    private readonly compare: Compare<K>,
  ) {}

  get length(): number {
    return this.items.length;
  }

  at(index: number): T | undefined {
    return this.items[index];
  }

  /** Read-only view of the backing array (no copy). */
  view(): readonly T[] {
    return this.items;
  }

  /** Index of the first item whose key is >= key. */
  lowerBound(key: K): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.keyOf(this.items[mid] as T), key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first item whose key is > key. */
  upperBound(key: K): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.keyOf(this.items[mid] as T), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(key: K): T | undefined {
    const i = this.lowerBound(key);
    const item = this.items[i];
    return item !== undefined && this.compare(this.keyOf(item), key) === 0 ? item : undefined;
  }

  /** Inserts or replaces the item with the same key; returns the replaced item. */
  upsert(item: T): T | undefined {
    const key = this.keyOf(item);
    const i = this.lowerBound(key);
    const existing = this.items[i];
    if (existing !== undefined && this.compare(this.keyOf(existing), key) === 0) {
      this.items[i] = item;
      return existing;
    }
    this.items.splice(i, 0, item);
    return undefined;
  }

  remove(key: K): T | undefined {
    const i = this.lowerBound(key);
    const existing = this.items[i];
    if (existing === undefined || this.compare(this.keyOf(existing), key) !== 0) return undefined;
    this.items.splice(i, 1);
    return existing;
  }

  /** Bulk load of items already in key order (scenario generation). */
  loadSorted(items: readonly T[]): void {
    for (let i = 1; i < items.length; i++) {
      if (this.compare(this.keyOf(items[i - 1] as T), this.keyOf(items[i] as T)) >= 0) {
        throw new Error('SortedArray.loadSorted: items are not strictly increasing');
      }
    }
    this.items.length = 0;
    for (const item of items) this.items.push(item);
  }

  clear(): void {
    this.items.length = 0;
  }
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resource keys order by type, then id (code-unit order, like a byte-wise sort). */
export type ResourceKey = readonly [resourceType: string, resourceId: string];

export function compareResourceKeys(a: ResourceKey, b: ResourceKey): number {
  return compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]);
}
