/**
 * The site's public origin, for the absolute links feeds need: PUBLIC_URL when set (the
 * reliable way: a Host header is whatever the client sent), else the request's Host header,
 * with https when the connection or — behind a trusted proxy (TRUST_PROXY) — the proxy says
 * so. The HTTP server keys its response cache by host for feeds (server/front.ts), so a forged
 * Host never reaches other readers. The server speaks plain HTTP (TLS ends at a proxy), so
 * without a trusted proxy the scheme is http. Pure.
 */
import { trustedHops } from "../../server/client";

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

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

export function publicOrigin(request: Request, env: Record<string, string | undefined> = process.env): string {
  const configured = configuredOrigin(env.PUBLIC_URL);
  if (configured) return configured;
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? "";
  if (!HOST.test(host)) return `http://${url.host}`;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  // Not request.url's scheme: Next.js takes it from X-Forwarded-Proto, whoever sent it.
  const https = trustedHops(env.TRUST_PROXY) > 0 && proto === "https";
  return `${https ? "https" : "http"}://${host.toLowerCase()}`;
}
