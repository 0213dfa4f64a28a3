/**
 * The site's public origin, for the absolute URLs that feeds, page metadata (canonical link,
 * Open Graph), robots.txt and the sitemap need: PUBLIC_URL when set (the reliable way: a Host
 * header is whatever the client sent), else the request's Host header, with https when — behind
 * a trusted proxy (TRUST_PROXY) — the proxy says so. The HTTP server keys its response cache by
 * host for every answer that contains the origin (server/front.ts), so a forged Host never
 * reaches other readers. The server speaks plain HTTP (TLS ends at a proxy), so without a
 * trusted proxy the scheme is http. Pure.
 */

/** Minimal header access, satisfied by the Fetch API's Headers and Next.js's headers(). */
interface HeaderSource {
  get(name: string): string | null;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * TRUST_PROXY: how many reverse proxies in front append to X-Forwarded-For and may be believed
 * about X-Forwarded-Proto ("true" is one; anything unparsable is none).
 */
export function trustedHops(raw: string | undefined): number {
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return 0;
  if (raw === "true") return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 10 ? n : 0;
}

/** PUBLIC_URL's origin ("https://stats.example.org"), or null when unset or not an http(s) URL. */
export function configuredOrigin(raw: string | undefined): string | null {
  if (!raw?.trim()) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origin from request headers; `fallbackHost` when the Host header is missing or not a
 * host name (it never reaches a URL then).
 */
export function originFromHeaders(headers: HeaderSource, fallbackHost: string, env: Record<string, string | undefined> = process.env): string {
  const configured = configuredOrigin(env.PUBLIC_URL);
  if (configured) return configured;
  const host = headers.get("host") ?? "";
  if (!HOST.test(host)) return `http://${fallbackHost}`;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  // Not the request URL's scheme: Next.js takes it from X-Forwarded-Proto, whoever sent it.
  const https = trustedHops(env.TRUST_PROXY) > 0 && proto === "https";
  return `${https ? "https" : "http"}://${host.toLowerCase()}`;
}

/** The origin of a route handler's request. */
export function publicOrigin(request: Request, env: Record<string, string | undefined> = process.env): string {
  return originFromHeaders(request.headers, new URL(request.url).host, env);
}
