/**
 * What rendering one request learned about its data, read by the HTTP server (server/) after
 * the response is built: when its figures were read (→ Last-Modified, and a response-cache
 * lifetime shortened by their age), whether any figure came from the last good copy because the source
 * failed (→ a shorter shared-cache lifetime) and whether any section had no data at all
 * (→ 503 + Retry-After, so a CDN keeps serving its previous copy instead of this one), and
 * whether the page is about something unknown (→ 404 with the page's own help).
 *
 * One AsyncLocalStorage on globalThis: the server and the Next.js bundle load this module
 * separately, and both must see the same store. Outside the server (tests, scripts) there is
 * no store and the notes are dropped.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  /**
   * When the oldest figure the answer shows was read from the source (ms), or null when it
   * shows none: the JSON envelope's `data_as_of` and the `Last-Modified` header.
   */
  dataAsOf: number | null;
  /** Oldest `fetchedAt` (ms) of data served stale because the source failed; null if none. */
  staleSince: number | null;
  /** Longest Retry-After (s) of data that could not be served at all; null if none. */
  unavailable: number | null;
  /** The page is about something that does not exist (an unknown app): answer 404. */
  notFound: boolean;
}

const KEY = Symbol.for("pve-telemetry.request-context");
type Holder = { [KEY]?: AsyncLocalStorage<RequestContext> };

export function requestContextStorage(): AsyncLocalStorage<RequestContext> {
  const g = globalThis as Holder;
  g[KEY] ??= new AsyncLocalStorage<RequestContext>();
  return g[KEY];
}

export function newRequestContext(): RequestContext {
  return { dataAsOf: null, staleSince: null, unavailable: null, notFound: false };
}

/** A figure of the answer was read from the source at `fetchedAt` (the data cache notes every value it serves). */
export function noteDataTime(fetchedAt: number): void {
  const ctx = requestContextStorage().getStore();
  if (ctx) ctx.dataAsOf = ctx.dataAsOf === null ? fetchedAt : Math.min(ctx.dataAsOf, fetchedAt);
}

/** When the answer's oldest figure was read, as far as known (null outside the server, or with no figures). */
export function dataTime(): number | null {
  return requestContextStorage().getStore()?.dataAsOf ?? null;
}

export function noteStale(fetchedAt: number): void {
  const ctx = requestContextStorage().getStore();
  if (ctx) ctx.staleSince = ctx.staleSince === null ? fetchedAt : Math.min(ctx.staleSince, fetchedAt);
}

export function noteUnavailable(retryAfter: number): void {
  const ctx = requestContextStorage().getStore();
  if (ctx) ctx.unavailable = Math.max(ctx.unavailable ?? 0, retryAfter);
}

/**
 * Marks the answer as 404 while the page still renders its own helpful content (search, near
 * matches) — next/navigation's notFound() can only show the generic not-found page.
 */
export function noteNotFound(): void {
  const ctx = requestContextStorage().getStore();
  if (ctx) ctx.notFound = true;
}
