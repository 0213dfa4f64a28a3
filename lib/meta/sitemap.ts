/**
 * robots.txt and sitemap.xml. Crawlers may walk every canonical page — the URLs without a
 * query string, which is also what is indexed (lib/meta/page.ts) — and are kept off their
 * permutations (other ranges, filters, sorts, pages: any query string), the costliest renders
 * since none of them is cached for long. The sitemap lists the overview, the lists, every app
 * with runs and every exit code with failed or aborted runs in the last 90 days (ACTIVE_PRESET,
 * lib/meta/active.ts), each exactly once, with `lastmod` = the last day it had them. Pure.
 */
import { escapeXml } from "../feeds/atom";
import type { ActiveSet } from "../data";
import { lastCompleteWeek } from "../week";

export interface SitemapEntry {
  /** Path of a canonical page ("/apps/jellyfin"). */
  path: string;
  /** "YYYY-MM-DD" (W3C datetime, a day), when known. */
  lastmod?: string;
}

/** Exit codes are 0–255 (lib/exit-codes.ts); the rollups may hold whatever a script reported. */
const isPageCode = (code: number) => Number.isInteger(code) && code >= 0 && code <= 255;
const latest = (days: Iterable<string>) => [...days].reduce<string | undefined>((a, d) => (a === undefined || d > a ? d : a), undefined);

export function sitemapEntries(active: ActiveSet, now: Date): SitemapEntry[] {
  const day = active.lastDay ?? undefined;
  const lists: SitemapEntry[] = [
    { path: "/", lastmod: day },
    { path: "/apps", lastmod: day },
    { path: "/errors", lastmod: latest(active.codes.values()) },
    { path: "/os", lastmod: day },
    { path: "/regressions", lastmod: day },
    // The digest's default view is the last complete week: it changes when a week ends.
    { path: "/digest", lastmod: lastCompleteWeek(now).sunday },
    { path: "/methodology" },
    { path: "/api" },
    { path: "/embed" },
  ];
  const apps = [...active.apps]
    .filter(([nsapp]) => nsapp !== "" && nsapp.length <= 128)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([nsapp, lastmod]) => ({ path: `/apps/${encodeURIComponent(nsapp)}`, lastmod }));
  const codes = [...active.codes]
    .filter(([code]) => isPageCode(code))
    .sort(([a], [b]) => a - b)
    .map(([code, lastmod]) => ({ path: `/errors/${code}`, lastmod }));
  return [...lists, ...apps, ...codes];
}

export function sitemapXml(origin: string, entries: readonly SitemapEntry[]): string {
  const urls = entries.map((e) => `<url><loc>${escapeXml(`${origin}${e.path}`)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ""}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
}

/** Paths crawlers stay off besides query strings: data answers and images for other sites. */
const CLOSED = ["/api/v1/", "/embed/", "/badge/", "/chart/"];

export function robotsTxt(origin: string): string {
  return [
    "# Proxmox VE script installs. Canonical pages are open; a query string (another range, a",
    "# filter, a sort, a page) is a permutation of one of them and stays closed. The API, widgets,",
    "# badges and charts are data for other sites. Preview images (/og/) stay open for link previews.",
    "User-agent: *",
    "Allow: /og/",
    "Disallow: /*?",
    ...CLOSED.map((p) => `Disallow: ${p}`),
    "",
    `Sitemap: ${origin}/sitemap.xml`,
    "",
  ].join("\n");
}
