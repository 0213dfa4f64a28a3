/**
 * Window searches (changepoint.ts) kept between scans. A search is a pure function of its
 * input, and on a refresh most inputs are what they were: an app's series and an exit code's
 * (or category's) carry the versions of the store rows they were made from (scan-series.ts,
 * find-incidents.ts), and the buckets the codes are searched over are named by a digest
 * (SHA-256) of their names and decided runs. Bounded: past `max` entries the oldest are dropped
 * first. A kept answer is frozen (callers share it).
 */
import { createHash } from "node:crypto";

export class SearchMemo {
  private readonly kept = new Map<string, unknown>();
  /** Searches saved and made (the tests look). */
  readonly stats = { hits: 0, misses: 0 };
  constructor(private readonly max = 20_000) {}

  /** The answer kept under `id`, else `search()`'s, kept. */
  get<T>(id: string, search: () => T): T {
    if (this.kept.has(id)) {
      this.stats.hits++;
      return this.kept.get(id) as T;
    }
    this.stats.misses++;
    const answer = search();
    if (answer !== null && typeof answer === "object") Object.freeze(answer);
    this.kept.set(id, answer);
    dropOldest(this.kept, this.max);
    return answer;
  }
}

/** A digest (SHA-256) of a value as JSON: a short id for a large input. */
export function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64");
}

/**
 * One answer per slot, the latest version's: a new version replaces the old, so memory stays
 * with the slots in use however often their versions change (an app's series changes with each
 * of its runs). Bounded: past `max` slots the least recently used are dropped first.
 */
export class LatestMemo<T> {
  private readonly kept = new Map<string, { version: string; value: T }>();
  constructor(private readonly max = 20_000) {}

  get(slot: string, version: string, build: () => T): T {
    const kept = this.kept.get(slot);
    this.kept.delete(slot); // re-inserted below: the Map's order is the order of use
    const value = kept?.version === version ? kept.value : build();
    this.kept.set(slot, { version, value });
    dropOldest(this.kept, this.max);
    return value;
  }
}

/** Drops a Map's first entries (the oldest inserted) until at most `max` are left. */
export function dropOldest(map: Map<unknown, unknown>, max: number): void {
  for (const old of map.keys()) {
    if (map.size <= max) break;
    map.delete(old);
  }
}
