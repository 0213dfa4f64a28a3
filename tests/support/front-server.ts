/**
 * server/front.ts around a stand-in for Next.js's handler (rendered in this process, as with
 * RENDER_WORKERS=0), on a real socket: for tests of the HTTP layer (compression, rewrites,
 * coalescing, admission) that need no Next.js build.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { Admission } from "../../server/admission";
import { createFront } from "../../server/front";
import { RateLimiter } from "../../server/rate-limit";
import { localRenderer } from "../../server/render";
import type { ResponseCache } from "../../server/response-cache";

export type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface FrontOptions {
  limiter?: RateLimiter;
  hops?: number;
  /** Renders in flight and queued (default: no bound). */
  admission?: Admission;
  renderTimeoutMs?: number;
}

export async function startFront(handle: Handle, cache: ResponseCache | null, opts: FrontOptions = {}): Promise<{ port: number; server: Server }> {
  const front = createFront(
    localRenderer(handle),
    { hops: opts.hops ?? 0, security: { embedOrigins: ["*"], hstsMaxAge: 0 }, publicFiles: new Set(), inlineScripts: {}, renderTimeoutMs: opts.renderTimeoutMs ?? 10_000 },
    opts.limiter ?? new RateLimiter({ perMinute: 600, burst: 100, concurrent: 4 }),
    cache,
    opts.admission ?? new Admission({ limit: 0, queue: 0, maxWaitMs: 0 }),
  );
  const server = createServer((req, res) => void front(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, server };
}

export interface Answer {
  status: number;
  encoding: string | undefined;
  cache: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body, gunzipped when it came gzipped. */
  body: string;
}

export function get(port: number, path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, host: "127.0.0.1", headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers["content-encoding"];
        resolve({
          status: res.statusCode ?? 0,
          encoding,
          cache: String(res.headers["x-cache"]),
          headers: res.headers,
          body: (encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8"),
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}
