/**
 * Compression in server/front.ts, over real sockets: Next.js renders uncompressed (the server
 * compresses the finished answer itself), and every client that asks for gzip gets gzip — the
 * one whose request rendered the view too (it used to get the raw body: a cache miss through a
 * CDN, and every request with the response cache off, travelled uncompressed).
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createFront } from "../../server/front";
import { RateLimiter } from "../../server/rate-limit";
import { ResponseCache } from "../../server/response-cache";

const BODY = JSON.stringify({ data: "x".repeat(4000) });

function get(port: number, path: string, headers: Record<string, string>): Promise<{ encoding: string | undefined; cache: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, host: "127.0.0.1", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers["content-encoding"];
        resolve({ encoding, cache: String(res.headers["x-cache"]), body: (encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("compression", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function start(cache: ResponseCache | null, seen: (string | undefined)[]): Promise<number> {
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.headers["accept-encoding"]);
      res.writeHead(200, { "content-type": "application/json", "cache-control": "public, s-maxage=60" });
      res.end(BODY);
    };
    const front = createFront(
      handle,
      { hops: 0, security: { embedOrigins: ["*"], hstsMaxAge: 0 }, publicFiles: new Set(), inlineScripts: {}, renderTimeoutMs: 10_000 },
      new RateLimiter({ perMinute: 600, burst: 100, concurrent: 4 }),
      cache,
    );
    server = createServer((req, res) => void front(req, res));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    return (server.address() as AddressInfo).port;
  }

  it("gzips the rendering request's answer and the cached ones; Next.js never compresses", async () => {
    const seen: (string | undefined)[] = [];
    const port = await start(new ResponseCache(), seen);
    const miss = await get(port, "/api/v1/summary", { "accept-encoding": "gzip, br" });
    expect([miss.cache, miss.encoding, miss.body]).toEqual(["MISS", "gzip", BODY]);
    const hit = await get(port, "/api/v1/summary", { "accept-encoding": "gzip" });
    expect([hit.cache, hit.encoding, hit.body]).toEqual(["HIT", "gzip", BODY]);
    const plain = await get(port, "/api/v1/summary", {});
    expect([plain.cache, plain.encoding, plain.body]).toEqual(["HIT", undefined, BODY]);
    expect(seen).toEqual([undefined]);
  });

  it("gzips every answer with the response cache off", async () => {
    const seen: (string | undefined)[] = [];
    const port = await start(null, seen);
    for (let i = 0; i < 2; i++) {
      const r = await get(port, "/api/v1/summary", { "accept-encoding": "gzip" });
      expect([r.encoding, r.body]).toEqual(["gzip", BODY]);
    }
    expect(await get(port, "/api/v1/summary", {})).toMatchObject({ encoding: undefined, body: BODY });
    expect(seen).toEqual([undefined, undefined, undefined]);
  });
});
