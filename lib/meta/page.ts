/**
 * Every page's <head> for search engines and link previews (GitHub, Discord, Slack, forums):
 * title and description from the figures the page shows, a canonical link (the URL the server
 * redirects other spellings to: lib/views.ts + viewHref), Open Graph and Twitter card tags with
 * the page's preview image (/og/…, lib/og), feed discovery links, and `noindex` where a page
 * should not be indexed. Pure: pages pass the origin (lib/meta/request.ts) and their figures.
 *
 * What is indexed (README, "Found and previewed"): the default view of each page — the URL
 * without a query string — unless it is empty. Every query string (another range, filters,
 * sorts, deep pages, a week of the digest) is a permutation of a canonical page: `noindex,
 * follow`, and robots.txt keeps crawlers off it in the first place.
 */
import type { Metadata } from "next";
import { OG_SIZE } from "../og/card";
import type { RawParams } from "../params";

export const SITE_NAME = "Proxmox VE script installs";
export const SITE_DESCRIPTION = "Public install statistics of the Proxmox VE community scripts: runs, success rates and failures per app.";

export interface Feed {
  /** A path of this site ("/apps/jellyfin/feed.xml"). */
  path: string;
  title: string;
}

export interface PageMeta {
  /** The page's own title ("Apps"); the site's name is appended here (also on the overview, where the layout's template does not apply). */
  title: string;
  description: string;
  /** The canonical path and query of the view shown (viewHref). */
  canonical: string;
  /** Path and query of the preview image (/og/…). */
  image: string;
  imageAlt: string;
  feeds?: readonly Feed[];
  /** False for permutations, deep pages and empty results (see above). */
  index: boolean;
}

/** True when the request URL has any query parameter: a permutation of a canonical page. */
export function isPermutation(params: RawParams): boolean {
  const keys = params instanceof URLSearchParams ? [...params.keys()] : Object.keys(params).filter((k) => params[k] !== undefined);
  return keys.length > 0;
}

export function pageMetadata(origin: string, m: PageMeta): Metadata {
  const url = `${origin}${m.canonical}`;
  const image = { url: `${origin}${m.image}`, ...OG_SIZE, alt: m.imageAlt, type: "image/png" };
  const fullTitle = `${m.title} · ${SITE_NAME}`;
  return {
    title: { absolute: fullTitle },
    description: m.description,
    alternates: {
      canonical: url,
      ...(m.feeds?.length ? { types: { "application/atom+xml": m.feeds.map((f) => ({ url: `${origin}${f.path}`, title: f.title })) } } : {}),
    },
    openGraph: { type: "website", siteName: SITE_NAME, title: fullTitle, description: m.description, url, images: [image] },
    twitter: { card: "summary_large_image", title: fullTitle, description: m.description, images: [{ url: image.url, alt: m.imageAlt }] },
    robots: m.index ? { index: true, follow: true } : { index: false, follow: true },
  };
}

/** The site-wide feed, linked from the overview, /regressions and /digest. */
export const SITE_FEED: Feed = { path: "/feed.xml", title: "Regressions, incidents and weekly digests (Atom)" };
