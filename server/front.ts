/**
 * The HTTP layer in front of Next.js's request handler (README "Architecture", docs/PRODUCTION.md):
 *
 *   request ─▶ CORS preflight? ─▶ static file? ─────────────────────────▶ Next.js (streamed)
 *                               └▶ response cache hit / render in flight ─▶ answer from memory
 *                               └▶ rate limit (429) ─▶ render once, held back (capture.ts)
 *                                    ─▶ status from what the render learned (503 when data was
 *                                       missing), Cache-Control, security headers, ETag ─▶ store
 *
 * Client-side navigations (RSC requests) stream straight through: they are per-visitor and
 * never shared-cached, but they are rate limited like any render.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { CORS_HEADERS, linksToOrigin, routeKind, securityHeaders, type RouteKind, type SecurityConfig } from "../lib/http/security-headers";
import { parseViewState, viewHref } from "../lib/params";
import { newRequestContext, requestContextStorage, type RequestContext } from "../lib/request-context";
import { pageViewForPath } from "../lib/views";
import { capture, swallowLateWrites, type Captured } from "./capture";
import { clientAddress, isHttps } from "./client";
import type { RateLimiter } from "./rate-limit";
import { cacheKey, gzipped, type Entry, type ResponseCache } from "./response-cache";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface FrontConfig {
  /** Proxies in front whose X-Forwarded-* headers are trusted (TRUST_PROXY). */
  hops: number;
  security: SecurityConfig;
  /** Paths served from public/ and app/ metadata files. */
  publicFiles: ReadonlySet<string>;
  /** Hashes of static inline scripts per route kind (theme script, widget height reporter). */
  inlineScripts: Partial<Record<RouteKind, string[]>>;
  renderTimeoutMs: number;
}

/** Pages: shared caches keep them 30 s, serve them stale while refreshing, and on origin errors for a day. */
export const PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400";
/** Pages and answers built from the last good copy while the source fails: kept briefly, retried soon. */
export const STALE_CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30, stale-if-error=86400";
const NOT_FOUND_CACHE_CONTROL = "public, max-age=0, s-maxage=60";
const CANONICAL_CACHE_CONTROL = "public, max-age=3600, s-maxage=86400";

/**
 * The canonical URL of a page view when the request spells it differently (parameters in
 * another order, defaults written out, parameters the page does not read), so every view has
 * one URL and one shared-cache entry. Null when the URL is canonical — or has invalid values,
 * which the page names in a note instead.
 */
export function canonicalPage(url: URL, now = new Date()): string | null {
  const page = pageViewForPath(url.pathname);
  if (!page) return null;
  const { state, notes } = parseViewState(url.searchParams, now, page.view);
  if (notes.length) return null;
  const target = viewHref(page.view, url.pathname, state);
  const current = `${url.pathname}${url.search ? `?${new URLSearchParams(url.search).toString()}` : ""}`;
  return target === current ? null : target;
}

export function createFront(handle: Handler, config: FrontConfig, limiter: RateLimiter, cache: ResponseCache | null) {
  return async function front(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A path with a malformed escape ("/apps/%E0%A4%A") would make Next.js's decoding of route
    // parameters throw (a bare 500): escaped once more, routes see the literal text (a 404).
    if (malformedPath(req.url ?? "/")) req.url = (req.url ?? "/").replace(/^([^?]*)/, (p) => p.replace(/%/g, "%25"));
    req.url = csvSuffix(req.url ?? "/");
    const url = new URL(req.url ?? "/", "http://localhost");
    const kind = routeKind(url.pathname, config.publicFiles);
    const https = isHttps(req, config.hops);
    const cors = kind === "api" || kind === "badge";
    const method = req.method ?? "GET";

    if (method === "OPTIONS" && cors) {
      res.writeHead(204, { ...securityHeaders(kind, config.security, { https }), ...CORS_HEADERS }).end();
      return;
    }
    const rsc = req.headers.rsc === "1" || url.searchParams.has("_rsc");
    if (kind === "static" || (method !== "GET" && method !== "HEAD") || rsc) {
      const client = kind === "static" ? null : admit(req, res, kind, https);
      if (client === false) return;
      const nonce = kind === "page" ? newNonce() : undefined;
      const headers = securityHeaders(kind, config.security, { https, nonce, inlineScripts: config.inlineScripts[kind] });
      if (nonce) req.headers["content-security-policy"] = headers["content-security-policy"];
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (cors) for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      if (client !== null) res.once("close", () => limiter.leave(client));
      await handle(req, res);
      return;
    }

    const canonical = kind === "page" && url.search ? canonicalPage(url) : null;
    if (canonical) {
      const headers = {
        ...securityHeaders("api", config.security, { https }),
        location: canonical,
        "cache-control": CANONICAL_CACHE_CONTROL,
        "content-type": "text/plain; charset=utf-8",
      };
      return send(req, res, { status: 308, headers, body: Buffer.from(`See ${canonical}`), etag: "", expiresAt: 0 }, "MISS");
    }
    // Pages, feeds, robots.txt and the sitemap link to the Host they were asked under (without
    // PUBLIC_URL): one entry per host and scheme, so a forged Host header is only ever answered
    // to the client that sent it.
    const key = cacheKey(url.pathname, url.searchParams) + (linksToOrigin(url.pathname, kind) ? ` host=${(req.headers.host ?? "").toLowerCase()}${https ? " https" : ""}` : "");
    for (;;) {
      const hit = cache?.get(key);
      if (hit) return send(req, res, hit, "HIT");
      const running = cache?.inFlight(key);
      if (!running) break;
      try {
        return send(req, res, await running, "COALESCED");
      } catch {
        // The leading request's client went away and Next.js dropped its render. Look again:
        // the first waiter to get here renders for the others, who wait on it instead of each
        // starting a render (and being refused one) at the same moment.
        if (req.destroyed) return;
      }
    }
    const client = admit(req, res, kind, https);
    if (client === false) return;
    const render = () => renderOnce(req, res, kind, https);
    try {
      const entry = cache ? await cache.render(key, render) : { ...(await render()), etag: "", expiresAt: 0 };
      send(req, res, entry, "MISS");
    } catch (err) {
      if (res.writableEnded || res.destroyed) return;
      console.error("[server] render failed", err);
      send(req, res, plain(503, "The page could not be built in time; please retry.", kind, https, 5), "MISS");
      swallowLateWrites(res);
    } finally {
      limiter.leave(client);
    }
  };

  /**
   * Lets an uncached render start for the request's client, or answers 429 (over its rate, or
   * with too many renders in flight) and returns false. The caller must `leave` the client.
   */
  function admit(req: IncomingMessage, res: ServerResponse, kind: RouteKind, https: boolean): string | false {
    const client = clientAddress(req, config.hops);
    const wait = limiter.take(client);
    if (wait === null && limiter.enter(client)) return client;
    const message = wait === null ? "Too many requests from your address at once; retry in 1 s." : `Too many requests from your address; retry in ${wait} s.`;
    send(req, res, plain(429, message, kind, https, wait ?? 1), "MISS");
    return false;
  }

  async function renderOnce(req: IncomingMessage, res: ServerResponse, kind: RouteKind, https: boolean): Promise<Captured> {
    const nonce = kind === "page" ? newNonce() : undefined;
    const security = securityHeaders(kind, config.security, { https, nonce, inlineScripts: config.inlineScripts[kind] });
    if (nonce) req.headers["content-security-policy"] = security["content-security-policy"];
    // Next.js must not compress: we compress the finished answer ourselves, for this client too.
    const acceptEncoding = req.headers["accept-encoding"];
    delete req.headers["accept-encoding"];
    if (req.method === "HEAD") req.method = "GET";
    // The answer is cached for every client, so it must not depend on this one's User-Agent:
    // next.config.ts puts metadata in <head> for all (htmlLimitedBots), but Next.js streams it
    // into <body> for a request without the header.
    req.headers["user-agent"] ||= "-";
    const ctx = newRequestContext();
    const timeout = AbortSignal.timeout(config.renderTimeoutMs);
    try {
      const captured = await requestContextStorage().run(ctx, () => capture(req, res, handle, timeout));
      return finish(captured, kind, ctx, security, kind === "api" || kind === "badge");
    } finally {
      if (acceptEncoding !== undefined) req.headers["accept-encoding"] = acceptEncoding;
    }
  }

  function plain(status: number, message: string, kind: RouteKind, https: boolean, retryAfter: number): Entry {
    const json = kind === "api" || kind === "badge";
    const body = Buffer.from(json ? JSON.stringify({ error: message }) : message);
    const headers: OutgoingHttpHeaders = {
      ...securityHeaders(kind === "page" ? "api" : kind, config.security, { https }),
      ...(kind === "api" || kind === "badge" ? CORS_HEADERS : {}),
      "content-type": json ? "application/json" : "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "retry-after": String(retryAfter),
    };
    return { status, headers, body, etag: "", expiresAt: 0 };
  }
}

/** Status and caching from what the render learned; the security headers of the route. */
function finish(c: Captured, kind: RouteKind, ctx: RequestContext, security: Record<string, string>, cors: boolean): Captured {
  const headers: OutgoingHttpHeaders = { ...c.headers };
  for (const h of ["content-length", "transfer-encoding", "etag", "x-powered-by", "date", "connection", "keep-alive"]) delete headers[h];
  let status = c.status;
  if (status === 200 && ctx.notFound)
    status = 404; // an unknown app or code, with the page's own help
  else if (status === 200 && ctx.unavailable !== null) status = 503; // a section had no data at all
  if (status >= 500) {
    headers["cache-control"] = "no-store";
    headers["retry-after"] ??= String(ctx.unavailable ?? 5);
  } else if (status === 200 && ctx.staleSince !== null) {
    headers["cache-control"] = STALE_CACHE_CONTROL;
  } else if (kind === "page") {
    headers["cache-control"] = status === 200 ? PAGE_CACHE_CONTROL : status === 404 ? NOT_FOUND_CACHE_CONTROL : "no-store";
  }
  // When its oldest figure was read from PocketBase: a client (through any cache) sees the data's
  // age, and the response cache keeps the answer only until that reaches s-maxage.
  if (ctx.dataAsOf !== null && status < 500) headers["last-modified"] = new Date(ctx.dataAsOf).toUTCString();
  Object.assign(headers, security, cors ? CORS_HEADERS : {});
  return { status, headers, body: c.body };
}

function withVary(vary: OutgoingHttpHeaders[string], token: string): string {
  const tokens = String(vary ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return tokens.some((t) => t.toLowerCase() === token.toLowerCase()) ? tokens.join(", ") : [...tokens, token].join(", ");
}

/**
 * `/api/v1/<endpoint>.csv` is `/api/v1/<endpoint>?format=csv`: one answer and one cache key.
 * Rewritten here, before Next.js sees it: a rewrite in Next.js's proxy (middleware) was taken
 * for an external URL (its own host name differs from the request's) and sent over HTTP back
 * through this server — a second hop, a second cache entry, and an internal URL in a header.
 */
function csvSuffix(raw: string): string {
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  if (!path.startsWith("/api/v1/") || !path.endsWith(".csv")) return raw;
  const params = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
  params.set("format", "csv");
  return `${path.slice(0, -".csv".length)}?${params}`;
}

function malformedPath(raw: string): boolean {
  try {
    decodeURIComponent(raw.split("?")[0] ?? "");
    return false;
  } catch {
    return true;
  }
}

function newNonce(): string {
  return randomBytes(16).toString("base64");
}

function send(req: IncomingMessage, res: ServerResponse, entry: Entry, cacheStatus: string): void {
  const headers: OutgoingHttpHeaders = { ...entry.headers, "x-cache": cacheStatus };
  if (entry.etag) headers.etag = entry.etag;
  const inm = req.headers["if-none-match"];
  if (entry.etag && entry.status === 200 && inm?.split(",").some((t) => t.trim() === entry.etag || t.trim() === "*")) {
    const keep = ["cache-control", "etag", "last-modified", "vary", "x-cache", "content-security-policy", "access-control-allow-origin"];
    res.writeHead(304, Object.fromEntries(Object.entries(headers).filter(([k]) => keep.includes(k)))).end();
    return;
  }
  let body = entry.body;
  const gz = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? "")) ? gzipped(entry) : null;
  if (gz) {
    body = gz;
    headers["content-encoding"] = "gzip";
  }
  if (entry.body.length >= 1024) headers.vary = withVary(headers.vary, "Accept-Encoding");
  headers["content-length"] = String(body.length);
  res.writeHead(entry.status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
