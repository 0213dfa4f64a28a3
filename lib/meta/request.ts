/**
 * What a page's generateMetadata needs about its request: the view it shows (the one parser),
 * its canonical URL, whether the URL is a permutation (any query string), and the origin for
 * absolute URLs (lib/http/origin.ts: PUBLIC_URL or the Host header — the response cache keys
 * pages by host, server/front.ts).
 */
import "server-only";
import { headers } from "next/headers";
import { originFromHeaders } from "../http/origin";
import { readViewState } from "../data";
import { viewHref, type RawParams, type ViewState } from "../params";
import type { View } from "../views";
import { isPermutation, pageMetadata, SITE_NAME } from "./page";
import type { Metadata } from "next";

export interface MetaContext {
  now: Date;
  state: ViewState;
  origin: string;
  /** The canonical path and query of the view shown. */
  canonical: string;
  /** The URL has a query string: not indexed (lib/meta/page.ts). */
  permutation: boolean;
}

export async function metaContext(view: View, path: string, params: RawParams): Promise<MetaContext> {
  const now = new Date();
  const { state } = await readViewState(params, now, view);
  const origin = originFromHeaders(await headers(), "localhost");
  return { now, state, origin, canonical: viewHref(view, path, state), permutation: isPermutation(params) };
}

/**
 * A page of text without figures of its own (/methodology, /api, /embed): canonical at its
 * path, the site's preview image, indexed unless asked with a query string.
 */
export async function textPageMetadata(path: string, title: string, description: string, params: RawParams): Promise<Metadata> {
  const origin = originFromHeaders(await headers(), "localhost");
  return pageMetadata(origin, {
    title,
    description,
    canonical: path,
    image: "/og/site.png",
    imageAlt: `${SITE_NAME}: runs per day by outcome, last 30 days`,
    index: !isPermutation(params),
  });
}
