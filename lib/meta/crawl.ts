/**
 * GET /robots.txt and /sitemap.xml (lib/meta/sitemap.ts) with the public origin
 * (lib/http/origin.ts; the server caches them per host). A crawler reads them rarely and a day
 * is their unit, so shared caches keep them an hour and serve them stale for a day. The
 * sitemap answers 503 with Retry-After when PocketBase cannot be read (a crawler retries later).
 */
import "server-only";
import { publicOrigin } from "../http/origin";
import { classifySourceError } from "../queries/explain-error";
import { valueOrThrow } from "../cached";
import { loadActive } from "./active";
import { robotsTxt, sitemapEntries, sitemapXml } from "./sitemap";

export const CRAWLER_CACHE_CONTROL = "public, max-age=3600, s-maxage=3600, stale-while-revalidate=86400, stale-if-error=86400";

export function respondRobots(request: Request): Response {
  return new Response(robotsTxt(publicOrigin(request)), { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": CRAWLER_CACHE_CONTROL } });
}

export async function respondSitemap(request: Request): Promise<Response> {
  const now = new Date();
  try {
    const active = valueOrThrow(await loadActive(now));
    const xml = sitemapXml(publicOrigin(request), sitemapEntries(active, now));
    return new Response(xml, { headers: { "content-type": "application/xml; charset=utf-8", "cache-control": CRAWLER_CACHE_CONTROL } });
  } catch (err) {
    const failure = classifySourceError(err);
    if (failure === null) throw err;
    return new Response(failure.message, {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "retry-after": String(failure.retryAfter) },
    });
  }
}
