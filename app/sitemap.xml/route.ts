import { respondSitemap } from "@/lib/meta/crawl";

/** GET /sitemap.xml — the canonical pages with their last day of data (lib/meta/sitemap.ts). */
export function GET(request: Request) {
  return respondSitemap(request);
}
