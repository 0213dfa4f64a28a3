/**
 * Security headers of every response, by route kind (pure: the HTTP server in server/ applies
 * them, tests read them). Runtime configuration, read when the server starts — never baked in
 * at build time.
 *
 *  - pages: a strict CSP with a per-request nonce (Next.js reads it from the request's CSP
 *    header and puts it on its own inline scripts) plus hashes of our static inline scripts;
 *    `frame-ancestors 'none'` and X-Frame-Options DENY: the dashboard itself is not framed.
 *  - widgets (/embed/*) and badges (/badge/*): framed by EMBED_ALLOWED_ORIGINS (default any
 *    origin: the data is public), no X-Frame-Options; widgets run no script but the height
 *    reporter, allowed by its hash.
 *  - everything else (API, Atom feeds, files): `default-src 'none'`, not framed.
 * Plus nosniff, Referrer-Policy, Permissions-Policy on all, and HSTS over HTTPS.
 */
import { createHash } from "node:crypto";
import type { SecurityConfig } from "../config";

export type RouteKind = "page" | "embed" | "badge" | "api" | "static";

/** `'sha256-…'` of an inline script's exact text, for script-src. */
export function scriptHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;
}

/** The Atom feeds: /feed.xml and /apps/<nsapp>/feed.xml. */
export function isFeedPath(pathname: string): boolean {
  return pathname === "/feed.xml" || /^\/apps\/[^/]+\/feed\.xml$/.test(pathname);
}

/** robots.txt and sitemap.xml: documents for crawlers, answered like the API. */
export function isCrawlerFile(pathname: string): boolean {
  return pathname === "/robots.txt" || pathname === "/sitemap.xml";
}

/**
 * Answers with absolute URLs of this site, which follow the Host header when PUBLIC_URL is
 * unset (lib/http/origin.ts): pages (canonical link, Open Graph), feeds, robots.txt, the sitemap.
 * The response cache keeps them per host.
 */
export function linksToOrigin(pathname: string, kind: RouteKind): boolean {
  return kind === "page" || isFeedPath(pathname) || isCrawlerFile(pathname);
}

/** `publicFiles`: paths served from public/ and app/ metadata files ("/embed.js", "/icon.svg"). */
export function routeKind(pathname: string, publicFiles: ReadonlySet<string> = new Set()): RouteKind {
  if (pathname.startsWith("/embed/")) return "embed";
  // Images for other sites: badges, README charts, pages' preview images.
  if (pathname.startsWith("/badge/") || pathname.startsWith("/chart/") || pathname.startsWith("/og/")) return "badge";
  // Feeds are data documents like API answers: no scripts, no styles, not framed, any origin may read them.
  if (pathname.startsWith("/api/") || isFeedPath(pathname) || isCrawlerFile(pathname)) return "api";
  if (pathname.startsWith("/_next/") || publicFiles.has(pathname)) return "static";
  return "page";
}

const PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";

/** Any origin, or the configured ones — and always this site (the /embed builder previews widgets). */
function frameAncestors(config: SecurityConfig): string {
  return config.embedOrigins.includes("*") ? "*" : ["'self'", ...config.embedOrigins].join(" ");
}

/**
 * The headers for a response. `nonce`: the page's per-request nonce; `inlineScripts`: hashes
 * (scriptHash) of static inline scripts the route may run (the theme script on pages, the
 * height reporter on widgets).
 */
export function securityHeaders(kind: RouteKind, config: SecurityConfig, opts: { nonce?: string; inlineScripts?: string[]; https?: boolean } = {}): Record<string, string> {
  const headers: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS,
  };
  if (opts.https && config.hstsMaxAge > 0) headers["strict-transport-security"] = `max-age=${config.hstsMaxAge}; includeSubDomains`;
  const hashes = (opts.inlineScripts ?? []).join(" ");
  if (kind === "page") {
    headers["content-security-policy"] = [
      "default-src 'self'",
      `script-src 'self' 'nonce-${opts.nonce ?? ""}' ${hashes} 'strict-dynamic'`.replace(/ +/g, " "),
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "frame-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join("; ");
    headers["x-frame-options"] = "DENY";
    headers["cross-origin-opener-policy"] = "same-origin";
  } else if (kind === "embed" || kind === "badge") {
    headers["content-security-policy"] = [
      "default-src 'none'",
      `script-src ${hashes || "'none'"}`,
      "style-src 'unsafe-inline'",
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
      `frame-ancestors ${frameAncestors(config)}`,
    ].join("; ");
  } else if (kind === "api") {
    headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'";
    headers["x-frame-options"] = "DENY";
  }
  return headers;
}

/** CORS for the public read-only API (and badges/widgets, fetched from other sites). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "ETag, Retry-After",
  "access-control-max-age": "86400",
};
