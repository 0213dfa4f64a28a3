/**
 * Compression in server/front.ts, over real sockets: Next.js renders uncompressed (the server
 * compresses the finished answer itself), and every client that asks for gzip gets gzip — the
 * one whose request rendered the view too (it used to get the raw body: a cache miss through a
 * CDN, and every request with the response cache off, travelled uncompressed).
 */
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ResponseCache } from "../../server/response-cache";
import { get, type Handle, startFront } from "../support/front-server";

const BODY = JSON.stringify({ data: "x".repeat(4000) });

describe("compression", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function start(cache: ResponseCache | null, seen: (string | undefined)[]): Promise<number> {
    const handle: Handle = async (req, res) => {
      seen.push(req.headers["accept-encoding"]);
      res.writeHead(200, { "content-type": "application/json", "cache-control": "public, s-maxage=60" });
      res.end(BODY);
    };
    const started = await startFront(handle, cache);
    server = started.server;
    return started.port;
  }

  it("gzips the rendering request's answer and the cached ones; Next.js never compresses", async () => {
    const seen: (string | undefined)[] = [];
    const port = await start(new ResponseCache(), seen);
    const miss = await get(port, "/api/v1/summary", { "accept-encoding": "gzip, br" });
    expect([miss.cache, miss.encoding, miss.body]).toEqual(["MISS", "gzip", BODY]);
    const hit = await get(port, "/api/v1/summary", { "accept-encoding": "gzip" });
    expect([hit.cache, hit.encoding, hit.body]).toEqual(["HIT", "gzip", BODY]);
    const plain = await get(port, "/api/v1/summary");
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
    expect(await get(port, "/api/v1/summary")).toMatchObject({ encoding: undefined, body: BODY });
    expect(seen).toEqual([undefined, undefined, undefined]);
  });
});
