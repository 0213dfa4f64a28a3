/**
 * The HTTP layer in front of Next.js's request handler (README "Architecture", docs/PRODUCTION.md):
 *
 *   request ─▶ CORS preflight? ─▶ static file? ───────────────────────────────▶ Next.js (streamed)
 *                               └▶ response cache: fresh, stale, or render in flight ─▶ from memory
 *                               └▶ rate limit (429) ─▶ render slot or queue (else 503 / stale copy)
 *                                    ─▶ render once (render.ts: status from what the render
 *                                       learned) ─▶ security headers, ETag ─▶ store
 *
 * Client-side navigations (RSC requests) stream straight through: they are per-visitor and
 * never shared-cached, but they are rate limited and admitted like any render.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { SecurityConfig } from "../lib/config";
import { CORS_HEADERS, linksToOrigin, routeKind, securityHeaders, type RouteKind } from "../lib/http/security-headers";
import { parseViewState, viewHref } from "../lib/params";
import { pageViewForPath } from "../lib/views";
import { type Admission, type Release, RenderBusy } from "./admission";
import { clientAddress, isHttps } from "./client";
import type { RateLimiter } from "./rate-limit";
import { type RenderRequest, type Renderer, TIMED_OUT_MESSAGE } from "./render";
import { cacheKey, type Entry, type ResponseCache, type Stale } from "./response-cache";
import { send } from "./send";

export interface FrontConfig {
  /** Proxies in front whose X-Forwarded-* headers are trusted (TRUST_PROXY). */
  hops: number;
  security: SecurityConfig;
  /** Paths served from public/ and app/ metadata files. */
  publicFiles: ReadonlySet<string>;
  /** Hashes of static inline scripts per route kind (theme script, widget height reporter). */
  inlineScripts: Partial<Record<RouteKind, string[]>>;
  /** Longest a request waits for its render, queue included: then 503 (or a stale copy). */
  renderTimeoutMs: number;
}

const CANONICAL_CACHE_CONTROL = "public, max-age=3600, s-maxage=86400";

/** Why a render was abandoned: the client that asked for it went away. */
class ClientLeft extends Error {}
/** Request headers a shared render must not depend on: one client's conditions and ranges. */
const PER_CLIENT = ["accept-encoding", "if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range", "range"];

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

export function createFront(renderer: Renderer, config: FrontConfig, limiter: RateLimiter, cache: ResponseCache | null, admission: Admission) {
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
    if (kind === "static" || (method !== "GET" && method !== "HEAD") || rsc) return stream(req, res, kind, https);

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
    let stale: Stale | undefined;
    for (;;) {
      const hit = cache?.get(key);
      if (hit) return fromCache(req, res, hit, "HIT");
      stale = cache?.stale(key);
      if (stale?.revalidate) {
        refresh(key, req, kind, https);
        return fromCache(req, res, stale.entry, "STALE");
      }
      const running = cache?.inFlight(key);
      if (!running) break;
      // A copy to answer never waits behind a render.
      if (stale) return fromCache(req, res, stale.entry, "STALE");
      try {
        return answer(req, res, key, await running, "COALESCED");
      } catch (err) {
        if (req.destroyed) return;
        // The leading request's client went away and its render was dropped. Look again:
        // the first waiter to get here renders for the others, who wait on it instead of each
        // starting a render (and being refused one) at the same moment.
        if (err instanceof ClientLeft) continue;
        return failed(req, res, key, kind, https, err);
      }
    }
    // Past stale-while-revalidate, a copy kept for errors is answered only when no fresh one
    // can be made — also when this client may not start a render (no 429 for what costs nothing).
    const client = admit(req, res, kind, https, stale);
    if (client === false) return;
    const signal = deadline(res);
    const queued = admission.enter(signal);
    if (!queued) {
      limiter.leave(client);
      return failed(req, res, key, kind, https, new RenderBusy("render queue full"));
    }
    const render = renderFor(req, kind, https, queued, signal);
    try {
      const entry = cache ? await cache.render(key, render) : { ...(await render()), etag: "", expiresAt: 0 };
      answer(req, res, key, entry, "MISS");
    } catch (err) {
      if (!expected(err)) console.error("[server] render failed", err); // once, not once per waiter
      if (!res.writableEnded && !res.destroyed) failed(req, res, key, kind, https, err);
    } finally {
      limiter.leave(client);
    }
  };

  /** Next.js's answer streamed through: static files at once, anything else admitted like a render. */
  async function stream(req: IncomingMessage, res: ServerResponse, kind: RouteKind, https: boolean): Promise<void> {
    if (kind !== "static") {
      const client = admit(req, res, kind, https);
      if (client === false) return;
      const release = await slot(req, res, kind, https, deadline(res));
      if (!release) return limiter.leave(client);
      res.once("close", () => {
        release();
        limiter.leave(client);
      });
    }
    const nonce = kind === "page" ? newNonce() : undefined;
    const headers = securityHeaders(kind, config.security, { https, nonce, inlineScripts: config.inlineScripts[kind] });
    if (nonce) req.headers["content-security-policy"] = headers["content-security-policy"];
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (kind === "api" || kind === "badge") for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    // The same deadline as a rendered answer: a navigation stuck behind a slow source is cut
    // off (503 when nothing was sent yet), so it neither hangs nor holds its slot for good.
    await renderer.pass(req, res, kind === "static" ? undefined : AbortSignal.timeout(config.renderTimeoutMs));
  }

  /**
   * Lets an uncached render start for the request's client, or answers 429 (over its rate, or
   * with too many renders in flight) — or `stale`, where there is one — and returns false. The
   * caller must `leave` the client.
   */
  function admit(req: IncomingMessage, res: ServerResponse, kind: RouteKind, https: boolean, stale?: Stale): string | false {
    const client = clientAddress(req, config.hops);
    const wait = limiter.take(client);
    if (wait === null && limiter.enter(client)) return client;
    const message = wait === null ? "Too many requests from your address at once; retry in 1 s." : `Too many requests from your address; retry in ${wait} s.`;
    if (stale) fromCache(req, res, stale.entry, "STALE");
    else send(req, res, plain(429, message, kind, https, wait ?? 1), "MISS");
    return false;
  }

  /** Aborts when the client leaves before its answer (ClientLeft), or when the render deadline passes. */
  function deadline(res: ServerResponse): AbortSignal {
    const left = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) left.abort(new ClientLeft("the client went away"));
    });
    return AbortSignal.any([left.signal, AbortSignal.timeout(config.renderTimeoutMs)]);
  }

  /** A render slot for a streamed request, after a wait in the queue; null once answered 503 (busy, or gone). */
  async function slot(req: IncomingMessage, res: ServerResponse, kind: RouteKind, https: boolean, signal: AbortSignal): Promise<Release | null> {
    const queued = admission.enter(signal);
    try {
      if (queued) return await queued;
    } catch {
      // left the queue: the client went away or the deadline passed
    }
    if (!res.destroyed) send(req, res, plain(503, BUSY, kind, https, 1), "MISS");
    return null;
  }

  /** The render of `req` once `queued` grants a slot, with the route's security headers. */
  function renderFor(req: IncomingMessage, kind: RouteKind, https: boolean, queued: Promise<Release>, signal: AbortSignal) {
    const nonce = kind === "page" ? newNonce() : undefined;
    const security = securityHeaders(kind, config.security, { https, nonce, inlineScripts: config.inlineScripts[kind] });
    const headers = { ...req.headers };
    for (const h of PER_CLIENT) delete headers[h]; // we compress the finished answer ourselves
    if (nonce) headers["content-security-policy"] = security["content-security-policy"];
    // The answer is cached for every client, so it must not depend on this one's User-Agent:
    // next.config.ts puts metadata in <head> for all (htmlLimitedBots), but Next.js streams it
    // into <body> for a request without the header.
    headers["user-agent"] ||= "-";
    const request: RenderRequest = { url: req.url ?? "/", headers };
    const cors = kind === "api" || kind === "badge" ? CORS_HEADERS : {};
    return async () => {
      const release = await queued;
      try {
        const c = await renderer.render(request, kind, signal);
        return { ...c, headers: { ...c.headers, ...security, ...cors } };
      } catch (err) {
        throw signal.aborted ? signal.reason : err; // why it was abandoned, whichever way the renderer reports it
      } finally {
        release();
      }
    };
  }

  /**
   * Refreshes a stale entry in the background if a render slot is free or the queue has room.
   * It costs the client whose request found the copy stale a token, as the render it replaces
   * would have (else cache hits could start renders for free); with none left, no refresh.
   */
  function refresh(key: string, req: IncomingMessage, kind: RouteKind, https: boolean): void {
    if (!cache || cache.inFlight(key) || limiter.take(clientAddress(req, config.hops)) !== null) return;
    const signal = AbortSignal.timeout(config.renderTimeoutMs);
    const queued = admission.enter(signal);
    if (!queued) return; // busy: the stale copy is answered until a render fits
    cache.render(key, renderFor(req, kind, https, queued, signal)).catch((err: unknown) => {
      if (!expected(err)) console.error("[server] refresh failed", err);
    });
  }

  /** A rendered answer; an error (5xx) gives way to a stale copy where one exists. */
  function answer(req: IncomingMessage, res: ServerResponse, key: string, entry: Entry, cacheStatus: string): void {
    const stale = entry.status >= 500 ? cache?.stale(key) : undefined;
    if (stale) fromCache(req, res, stale.entry, "STALE");
    else send(req, res, entry, cacheStatus);
  }

  /** An entry kept in the cache, with its Age. */
  function fromCache(req: IncomingMessage, res: ServerResponse, entry: Entry, cacheStatus: "HIT" | "STALE"): void {
    send(req, res, entry, cacheStatus, cache?.age(entry));
  }

  /**
   * No fresh answer: the queue was full or too slow (RenderBusy), the deadline passed, or the
   * render failed. A stale copy where one exists, else 503 with Retry-After.
   */
  function failed(req: IncomingMessage, res: ServerResponse, key: string, kind: RouteKind, https: boolean, err: unknown): void {
    const stale = cache?.stale(key);
    if (stale) fromCache(req, res, stale.entry, "STALE");
    else send(req, res, err instanceof RenderBusy ? plain(503, BUSY, kind, https, 1) : plain(503, TIMED_OUT_MESSAGE, kind, https, 5), "MISS");
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

const BUSY = "The server is busy building other pages; please retry in a moment.";

/** Abandoned renders that are part of normal operation, not worth a log line. */
function expected(err: unknown): boolean {
  return err instanceof RenderBusy || err instanceof ClientLeft;
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
