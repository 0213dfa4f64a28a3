/**
 * The site's public origin, for the absolute URLs that feeds, page metadata (canonical link,
 * Open Graph), robots.txt and the sitemap need: PUBLIC_URL when set (the reliable way: a Host
 * header is whatever the client sent), else the request's Host header, with https when — behind
 * a trusted proxy (TRUST_PROXY) — the proxy says so. The HTTP server keys its response cache by
 * host for every answer that contains the origin (server/front.ts), so a forged Host never
 * reaches other readers. The server speaks plain HTTP (TLS ends at a proxy), so without a
 * trusted proxy the scheme is http. Pure.
 */
import { type Env, originConfig } from "../config";

/** Minimal header access, satisfied by the Fetch API's Headers and Next.js's headers(). */
interface HeaderSource {
  get(name: string): string | null;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin from request headers; `fallbackHost` when the Host header is missing or not a
 * host name (it never reaches a URL then).
 */
export function originFromHeaders(headers: HeaderSource, fallbackHost: string, env?: Env): string {
  const { publicOrigin, hops } = originConfig(env);
  if (publicOrigin) return publicOrigin;
  const host = headers.get("host") ?? "";
  if (!HOST.test(host)) return `http://${fallbackHost}`;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  // Not the request URL's scheme: Next.js takes it from X-Forwarded-Proto, whoever sent it.
  const https = hops > 0 && proto === "https";
  return `${https ? "https" : "http"}://${host.toLowerCase()}`;
}

/** The origin of a route handler's request; `env`: the environment to read (tests), the process's by default. */
export function publicOrigin(request: Request, env?: Env): string {
  return originFromHeaders(request.headers, new URL(request.url).host, env);
}
