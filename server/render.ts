/**
 * What the HTTP layer asks of Next.js, and the one place that turns a render into an answer:
 * Next.js's handler runs on a request of its own (not the client's socket), its response is
 * held back (capture.ts), and its status and Cache-Control follow from what the render learned
 * (503 when data was missing, 404 for an unknown app, a short lifetime for stale figures).
 *
 * Two renderers implement it: `localRenderer` runs Next.js in this process (the render
 * processes, and the whole server with RENDER_WORKERS=0); `RenderPool` (render-pool.ts) sends
 * the same request to one of the render processes, which answer with `localRenderer`.
 */
import { IncomingMessage, type IncomingHttpHeaders, type OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Socket } from "node:net";
import type { RouteKind } from "../lib/http/security-headers";
import { newRequestContext, requestContextStorage, type RequestContext } from "../lib/request-context";
import { capture, type Captured } from "./capture";

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A GET to render: the client's URL and headers, prepared by the HTTP layer (no Accept-Encoding, the CSP with its nonce). */
export interface RenderRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Renderer {
  /**
   * The whole answer, with status and caching from what the render learned (security headers
   * are the HTTP layer's). Rejects when `signal` aborts (client gone, deadline) or the render fails.
   */
  render(request: RenderRequest, kind: RouteKind, signal: AbortSignal): Promise<Captured>;
  /**
   * Streams Next.js's answer straight to the client: static files, client-side navigations,
   * other methods. When `signal` aborts (the render deadline) before the answer ended, it is
   * cut off: a 503 when nothing was sent yet, else the connection is closed.
   */
  pass(req: IncomingMessage, res: ServerResponse, signal?: AbortSignal): Promise<void>;
}

/** The answer (503) to a render not finished by RENDER_TIMEOUT_MS. */
export const TIMED_OUT_MESSAGE = "The page could not be built in time; please retry.";

/** Pages: shared caches keep them 30 s, serve them stale while refreshing, and on origin errors for a day. */
export const PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400";
/** Pages and answers built from the last good copy while the source fails: kept briefly, retried soon. */
export const STALE_CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30, stale-if-error=86400";
const NOT_FOUND_CACHE_CONTROL = "public, max-age=0, s-maxage=60";

export function localRenderer(handle: Handler): Renderer {
  return {
    async render(request, kind, signal) {
      const { req, res } = exchange(request);
      // Next.js drops a render whose response closes before it ended: so does an abort here.
      const onAbort = () => res.destroy();
      signal.addEventListener("abort", onAbort, { once: true });
      const ctx = newRequestContext();
      try {
        const captured = await requestContextStorage().run(ctx, () => capture(req, res, handle, signal));
        return finish(captured, kind, ctx);
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },
    pass(req, res, signal) {
      // Next.js writes this response itself: the only safe cut is to close it (it then drops the render).
      const onAbort = () => res.destroy();
      signal?.addEventListener("abort", onAbort, { once: true });
      res.once("close", () => signal?.removeEventListener("abort", onAbort));
      return handle(req, res);
    },
  };
}

/**
 * A request and response of our own for Next.js, on a socket that never connects: the render
 * does not depend on the client that asked (it may be for many clients, or for none — a
 * refresh of a stale copy), and nothing it writes can reach a socket (capture.ts holds it).
 */
function exchange(r: RenderRequest): { req: IncomingMessage; res: ServerResponse } {
  const socket = new Socket();
  const req = new IncomingMessage(socket);
  req.method = "GET";
  req.url = r.url;
  req.headers = { ...r.headers };
  req.rawHeaders = Object.entries(r.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x) => [k, x]) : v === undefined ? [] : [k, v]));
  req.push(null); // a GET has no body
  const res = new ServerResponse(req);
  res.assignSocket(socket); // so that destroying the response closes it, as a client leaving would
  return { req, res };
}

/** Status and caching from what the render learned. */
function finish(c: Captured, kind: RouteKind, ctx: RequestContext): Captured {
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
  return { status, headers, body: c.body };
}
