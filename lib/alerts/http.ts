/**
 * One POST of an alert: to the address the SSRF guard checked (a `lookup` that answers only
 * that address, so the connection goes where the check looked; TLS still verifies the host
 * name), within a deadline, no redirects followed, at most 16 KB of the answer read.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedTarget } from "./ssrf";

export interface PostResult {
  /** HTTP status, or 0 when no answer came (connection error, time-out). */
  status: number;
  /** A short reason: the answer's first bytes, or the network error. Never the URL. */
  detail: string;
  /** Seconds from a Retry-After header (429, 503), if any. */
  retryAfter: number | null;
  ms: number;
}

const MAX_ANSWER = 16 * 1024;

function retryAfterSeconds(res: IncomingMessage): number | null {
  const raw = res.headers["retry-after"];
  if (typeof raw !== "string") return null;
  const n = Number(raw);
  if (Number.isFinite(n) && n >= 0) return n;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, (at - Date.now()) / 1000) : null;
}

export function postJson(target: ResolvedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  const pinned: LookupFunction = (_host, options, callback) => {
    if (typeof options === "object" && options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const request = target.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: number, detail: string, retryAfter: number | null = null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, detail: detail.slice(0, 300), retryAfter, ms: Math.round(performance.now() - started) });
    };
    const req = request(
      target.url,
      {
        method: "POST",
        lookup: pinned,
        headers: { "content-type": "application/json", "user-agent": "pve-telemetry-alerts/1", "content-length": String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < MAX_ANSWER) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8").slice(0, MAX_ANSWER).replace(/\s+/g, " ").trim(), retryAfterSeconds(res)));
        res.on("error", (err) => done(res.statusCode ?? 0, `answer cut off: ${err.message}`));
      },
    );
    const timer = setTimeout(() => {
      done(0, `no answer within ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => done(0, `${err.code ?? "error"}: ${err.message}`.replaceAll(target.url.href, target.url.host)));
    req.end(body);
  });
}
