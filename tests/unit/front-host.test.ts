/**
 * Answers that contain the public origin (pages, feeds, robots.txt, the sitemap) are cached per
 * Host and scheme in server/front.ts; others once for every host. A render always sees a
 * User-Agent, so Next.js puts metadata in <head> for the cached answer whoever asked first.
 */
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ResponseCache } from "../../server/response-cache";
import { get, type Handle, startFront } from "../support/front-server";

describe("host-keyed cache entries", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it("keeps a page per host, an image once, and gives every render a User-Agent", async () => {
    const seen: { url: string; host: string; ua: string | undefined }[] = [];
    const handle: Handle = async (req, res) => {
      seen.push({ url: req.url ?? "", host: req.headers.host ?? "", ua: req.headers["user-agent"] });
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "public, s-maxage=60" });
      res.end(`<link rel="canonical" href="http://${req.headers.host}${req.url}">`);
    };
    const started = await startFront(handle, new ResponseCache());
    server = started.server;

    const a = await get(started.port, "/apps/docker", { host: "a.example" });
    const b = await get(started.port, "/apps/docker", { host: "b.example" });
    const again = await get(started.port, "/apps/docker", { host: "A.example" });
    expect([a.cache, b.cache, again.cache]).toEqual(["MISS", "MISS", "HIT"]);
    expect(b.body).toContain("http://b.example/apps/docker");
    expect(again.body).toContain("http://a.example/apps/docker");
    for (const path of ["/sitemap.xml", "/robots.txt", "/feed.xml"]) {
      await get(started.port, path, { host: "a.example" });
      expect((await get(started.port, path, { host: "b.example" })).cache, path).toBe("MISS");
    }
    await get(started.port, "/og/site.png", { host: "a.example" });
    expect((await get(started.port, "/og/site.png", { host: "b.example" })).cache).toBe("HIT");
    // node:http sends no User-Agent unless told: the render still gets one.
    expect(seen[0]!.ua).toBe("-");
    await get(started.port, "/apps/x", { "user-agent": "Discordbot/2.0" });
    expect(seen.at(-1)!.ua).toBe("Discordbot/2.0");
  });
});
