/**
 * `/api/v1/<endpoint>.csv` in server/front.ts: Next.js receives `?format=csv` on the bare
 * endpoint, once — the suffixed and the `format=csv` spelling share one render and one cache
 * entry (a rewrite in Next.js's middleware used to proxy it over HTTP back to this server).
 */
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ResponseCache } from "../../server/response-cache";
import { get, type Handle, startFront } from "../support/front-server";

describe(".csv suffix", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it("reaches Next.js as format=csv on the endpoint, and shares the cache entry with that spelling", async () => {
    const seen: string[] = [];
    const handle: Handle = async (req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8", "cache-control": "public, s-maxage=60" });
      res.end("nsapp,runs\ndocker,1\n");
    };
    const started = await startFront(handle, new ResponseCache());
    server = started.server;

    const suffixed = await get(started.port, "/api/v1/apps.csv?range=7d&q=a%20b");
    expect([suffixed.status, suffixed.cache, suffixed.body]).toEqual([200, "MISS", "nsapp,runs\ndocker,1\n"]);
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]!, "http://x");
    expect(url.pathname).toBe("/api/v1/apps");
    expect(Object.fromEntries(url.searchParams)).toEqual({ range: "7d", q: "a b", format: "csv" });

    const param = await get(started.port, "/api/v1/apps?format=csv&q=a+b&range=7d");
    expect(param.cache).toBe("HIT");
    expect(seen).toHaveLength(1);
    // Elsewhere the suffix is left alone (an app named like a file is a page path, not an export).
    await get(started.port, "/apps/report.csv");
    expect(seen[1]).toBe("/apps/report.csv");
  });
});
