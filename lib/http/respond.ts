/**
 * The one way every public answer that is not a page is made — the API and its CSV, widgets,
 * badges, README charts, preview images, feeds, robots.txt and the sitemap: its status, its
 * Content-Type and its cache headers, and what happens when the statistics source fails.
 * (Pages are answered by Next.js; the HTTP server sets their headers, server/front.ts.)
 *
 * - A figure answer (and a 400 or 404 about the request) is shared-cacheable: a CDN keeps it a
 *   minute, then revalidates, serves it stale for 5 minutes meanwhile and for a day on origin
 *   errors (`SHARED`); crawler files an hour (`CRAWLER`).
 * - The source failing (lib/data/explain-error.ts classifies it) is a 503 that no cache keeps,
 *   with Retry-After: the source's own estimate, or a fixed one where shared caches and
 *   embedding sites meet it (widgets, badges, charts, previews: `EMBED_RETRY_AFTER`).
 * - Anything else is a bug: rethrown (Next.js logs it and answers 500), or, where the answer has
 *   a shape a client expects (the API's JSON, a widget's card), logged and answered 500 in it.
 */
import "server-only";
import type { SourceFailure } from "../data/cache";
import { classifySourceError } from "../data";

export const CACHE = {
  /** Figures: a minute fresh in shared caches, stale while revalidating 5 minutes, on origin errors a day. */
  SHARED: "public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400",
  /** robots.txt and the sitemap: a crawler reads them rarely and a day is their unit. */
  CRAWLER: "public, max-age=3600, s-maxage=3600, stale-while-revalidate=86400, stale-if-error=86400",
  NONE: "no-store",
} as const;

/** Seconds an embedding site's visitor (or a CDN) should wait after a 503 from a widget, badge, chart or preview. */
export const EMBED_RETRY_AFTER = 30;

export const TYPES = {
  json: "application/json",
  csv: "text/csv; charset=utf-8",
  html: "text/html; charset=utf-8",
  svg: "image/svg+xml; charset=utf-8",
  text: "text/plain; charset=utf-8",
  xml: "application/xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
} as const;

export interface Reply {
  body: BodyInit | null;
  type: string;
  /** 200 by default. */
  status?: number;
  /** Cache-Control; CACHE.SHARED by default. */
  cache?: string;
  headers?: Record<string, string>;
}

/** A Response from a reply: its status, Content-Type, Cache-Control and any further headers. */
export function reply(r: Reply): Response {
  return new Response(r.body, { status: r.status ?? 200, headers: { "content-type": r.type, "cache-control": r.cache ?? CACHE.SHARED, ...r.headers } });
}

export interface Unavailable {
  /** The 503's body and type, from the failure (its public message and the source's retry estimate). */
  reply: (failure: SourceFailure) => Omit<Reply, "status" | "cache">;
  /** Retry-After: the source's estimate ("source") or a fixed number of seconds. */
  retryAfter: "source" | number;
  /** Logged with the failure's message (the public one; details were logged where classified). */
  log?: string;
}

/**
 * Runs `make`; when the statistics source fails, answers `unavailable`'s 503 (no-store,
 * Retry-After). Other errors go to `bug` (logged, answered 500 with no-store) or, without it,
 * are rethrown.
 */
export async function respond(make: () => Promise<Response>, unavailable: Unavailable, bug?: () => Omit<Reply, "status" | "cache">): Promise<Response> {
  try {
    return await make();
  } catch (err) {
    const failure = classifySourceError(err);
    if (failure === null) {
      if (!bug) throw err;
      console.error(err);
      return reply({ ...bug(), status: 500, cache: CACHE.NONE });
    }
    if (unavailable.log) console.error(`${unavailable.log}: ${failure.message}`);
    const r = unavailable.reply(failure);
    const retryAfter = unavailable.retryAfter === "source" ? failure.retryAfter : unavailable.retryAfter;
    return reply({ ...r, status: 503, cache: CACHE.NONE, headers: { ...r.headers, "retry-after": String(retryAfter) } });
  }
}
