/**
 * The dashboard's data cache: one answer per distinct data request (function + arguments) per
 * window, shared by every page, API and widget request of the process.
 *
 *  - fresh for `freshMs`: served from memory;
 *  - then, up to `staleMs`: served from memory while one background refresh runs;
 *  - older, or never loaded: the caller waits for the (coalesced) load — so a healthy source's
 *    figures are never served older than `staleMs` (README, "Caching and freshness");
 *  - when the source fails, the last good answer is served for up to `errorMs`, marked stale
 *    with the time it was fetched, and refreshes keep being tried (the gate in lib/data/gate.ts
 *    makes those cheap while the source is down). Only with nothing to fall back on is the
 *    result a failure.
 *
 * Results, not exceptions: callers (page sections, the API) decide how a failure looks.
 * Errors that are not the source's (bugs) are rethrown. Pure Node; no Next.js caching.
 */
import { noteDataTime, noteStale, noteUnavailable } from "../request-context";

export interface CachePolicy {
  freshMs: number;
  staleMs: number;
  errorMs: number;
}

/**
 * Live figures: fresh 30 s; asked for after that, served while a background refresh runs, but
 * never once a minute old (the first request after a quiet minute waits for new figures); the
 * last good copy is kept 24 h for when the source fails.
 */
export const LIVE: CachePolicy = { freshMs: 30_000, staleMs: 60_000, errorMs: 24 * 3_600_000 };
/**
 * Figures of weeks that are over (the digest, the feeds): only late outcomes of the week's
 * last runs still change them, so fresh 10 min, refreshed in the background up to 15 min.
 */
export const SETTLED: CachePolicy = { freshMs: 600_000, staleMs: 900_000, errorMs: 24 * 3_600_000 };

export type DataResult<T> =
  | {
      ok: true;
      value: T;
      /** When the value was loaded (ms since the epoch). */
      fetchedAt: number;
      /** Set when the value is the last good copy because the source failed: what went wrong. */
      problem: string | null;
    }
  | { ok: false; message: string; retryAfter: number };

/** A failure the cache may fall back from: the source's, explained for the public. */
export interface SourceFailure {
  message: string;
  retryAfter: number;
}

interface Entry {
  value: unknown;
  fetchedAt: number;
  problem: string | null;
}

export class DataCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    /** Turns an error into a public explanation, or null for errors that are bugs. */
    private readonly classify: (err: unknown) => SourceFailure | null,
    private readonly maxEntries = 2000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get<T>(key: string, load: () => Promise<T>, policy: CachePolicy = LIVE): Promise<DataResult<T>> {
    let entry = this.touch(key);
    const age = entry ? this.clock() - entry.fetchedAt : Infinity;
    if (entry && age >= policy.freshMs && age < policy.staleMs) {
      void this.refresh(key, load).catch(() => undefined); // background; a bug surfaces on the next waiting load
    }
    let failure: SourceFailure | null = null;
    if (!entry || age >= policy.staleMs) {
      failure = await this.refresh(key, load);
      entry = this.entries.get(key);
    }
    if (entry && this.clock() - entry.fetchedAt < policy.errorMs) {
      noteDataTime(entry.fetchedAt);
      if (entry.problem) noteStale(entry.fetchedAt);
      return { ok: true, value: entry.value as T, fetchedAt: entry.fetchedAt, problem: entry.problem };
    }
    const f = failure ?? { message: "The statistics source is not answering.", retryAfter: 5 };
    noteUnavailable(f.retryAfter);
    return { ok: false, message: f.message, retryAfter: f.retryAfter };
  }

  /** Loads once for all concurrent callers; resolves to the failure, if the source failed. */
  private async refresh<T>(key: string, load: () => Promise<T>): Promise<SourceFailure | null> {
    let running = this.loading.get(key);
    if (!running) {
      running = load()
        .then((value) => this.store(key, { value, fetchedAt: this.clock(), problem: null }))
        .finally(() => this.loading.delete(key));
      this.loading.set(key, running);
    }
    try {
      await running;
      return null;
    } catch (err) {
      const failure = this.classify(err);
      if (!failure) throw err;
      const entry = this.entries.get(key);
      if (entry) entry.problem = failure.message;
      return failure;
    }
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** The entry, moved to the young end of the LRU order. */
  private touch(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}
