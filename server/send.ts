/**
 * Writes an answer from memory (a cache entry, or one made here): its ETag and a 304 when the
 * client has it already, its Age when it comes from the cache, gzip when the client accepts it
 * (made once per entry), and X-Cache saying where it came from — HIT (fresh), STALE (expired,
 * answered while a refresh renders or when no fresh one can be made), COALESCED (shared a
 * render in flight) or MISS.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { type Entry, gzipped } from "./response-cache";

/** `age`: seconds since the entry was rendered, for answers from the cache. */
export function send(req: IncomingMessage, res: ServerResponse, entry: Entry, cacheStatus: string, age?: number): void {
  const headers: OutgoingHttpHeaders = { ...entry.headers, "x-cache": cacheStatus };
  if (entry.etag) headers.etag = entry.etag;
  if (age !== undefined) headers.age = String(age);
  const inm = req.headers["if-none-match"];
  if (entry.etag && entry.status === 200 && inm?.split(",").some((t) => t.trim() === entry.etag || t.trim() === "*")) {
    const keep = ["cache-control", "etag", "last-modified", "vary", "x-cache", "age", "content-security-policy", "access-control-allow-origin"];
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

function withVary(vary: OutgoingHttpHeaders[string], token: string): string {
  const tokens = String(vary ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return tokens.some((t) => t.toLowerCase() === token.toLowerCase()) ? tokens.join(", ") : [...tokens, token].join(", ");
}
