/**
 * Who a request comes from, for rate limiting: the socket's address, or — only when the
 * operator says the dashboard sits behind that many proxies (TRUST_PROXY=<n>) — the address the
 * nearest trusted proxy saw, which is the n-th X-Forwarded-For entry from the right (each proxy
 * appends the address it received the request from; entries further left are client-supplied
 * and can be forged). Whether the request came in over HTTPS likewise trusts
 * X-Forwarded-Proto only behind a trusted proxy.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

// One definition, shared with the origin of absolute URLs (lib/http/origin.ts).
export { trustedHops } from "../lib/config";

export function clientAddress(req: IncomingMessage, hops: number): string {
  const socket = req.socket.remoteAddress ?? "unknown";
  if (hops === 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const list = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list[list.length - hops] ?? list[0] ?? socket;
}

export function isHttps(req: IncomingMessage, hops: number): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (hops === 0) return false;
  const proto = req.headers["x-forwarded-proto"];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(",")[0]?.trim() === "https";
}
