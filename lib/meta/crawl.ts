/**
 * GET /robots.txt and /sitemap.xml (lib/meta/sitemap.ts) with the public origin
 * (lib/http/origin.ts; the server caches them per host). A crawler reads them rarely and a day
 * is their unit, so shared caches keep them an hour and serve them stale for a day. The
 * sitemap answers 503 with Retry-After when PocketBase cannot be read (a crawler retries later).
 */
import "server-only";
import { publicOrigin } from "../http/origin";
import { CACHE, reply, respond, TYPES } from "../http/respond";
import { valueOrThrow } from "../data";
import { loadActive } from "./active";
import { robotsTxt, sitemapEntries, sitemapXml } from "./sitemap";

export function respondRobots(request: Request): Response {
  return reply({ body: robotsTxt(publicOrigin(request)), type: TYPES.text, cache: CACHE.CRAWLER });
}

export async function respondSitemap(request: Request): Promise<Response> {
  const now = new Date();
  return respond(
    async () => {
      const active = valueOrThrow(await loadActive(now));
      return reply({ body: sitemapXml(publicOrigin(request), sitemapEntries(active, now)), type: TYPES.xml, cache: CACHE.CRAWLER });
    },
    { reply: (failure) => ({ body: failure.message, type: TYPES.text }), retryAfter: "source" },
  );
}
