import { respondRobots } from "@/lib/meta/crawl";

/** GET /robots.txt — canonical pages open, permutations (query strings) closed; the sitemap's URL (lib/meta/sitemap.ts). */
export function GET(request: Request) {
  return respondRobots(request);
}
