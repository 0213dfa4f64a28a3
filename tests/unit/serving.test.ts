import { describe, expect, it } from "vitest";
import { parseEmbedOrigins } from "../../lib/config";
import { isFeedPath, linksToOrigin, routeKind, securityHeaders } from "../../lib/http/security-headers";
import { pageViewForPath } from "../../lib/views";
import { canonicalPage } from "../../server/front";
import { clientAddress, trustedHops } from "../../server/client";
import { RateLimiter } from "../../server/rate-limit";
import { cacheKey, dataAge, ResponseCache, sharedMaxAge } from "../../server/response-cache";
import { DataCache, LIVE } from "../../lib/data/cache";
import type { IncomingMessage } from "node:http";

const req = (remote: string, xff?: string) => ({ socket: { remoteAddress: remote }, headers: xff ? { "x-forwarded-for": xff } : {} }) as unknown as IncomingMessage;

describe("rate limiter", () => {
  it("lets a client spend its burst, then refuses with the seconds until its next token, and refills", () => {
    let t = 0;
    const rl = new RateLimiter({ perMinute: 60, burst: 3, concurrent: 0 }, () => t);
    expect([rl.take("a"), rl.take("a"), rl.take("a")]).toEqual([null, null, null]);
    expect(rl.take("a")).toBe(1);
    expect(rl.take("b")).toBe(null); // other clients are not affected
    t += 1000;
    expect(rl.take("a")).toBe(null);
    expect(rl.take("a")).toBe(1);
  });
  it("bounds the renders one client has in flight", () => {
    const rl = new RateLimiter({ perMinute: 600, burst: 100, concurrent: 2 });
    expect([rl.enter("a"), rl.enter("a"), rl.enter("a"), rl.enter("b")]).toEqual([true, true, false, true]);
    rl.leave("a");
    expect(rl.enter("a")).toBe(true);
  });
  it("is off with perMinute 0", () => {
    const rl = new RateLimiter({ perMinute: 0, burst: 1, concurrent: 1 });
    for (let i = 0; i < 100; i++) expect(rl.take("a")).toBe(null);
  });
  it("stays bounded in memory with many clients", () => {
    const rl = new RateLimiter({ perMinute: 60, burst: 5, concurrent: 0 }, () => 0, 100);
    for (let i = 0; i < 1000; i++) rl.take(`c${i}`);
    expect((rl as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
  });
});

describe("client address", () => {
  it("uses the socket unless proxies are trusted; then the address the nearest trusted proxy saw", () => {
    expect(clientAddress(req("10.0.0.1", "1.1.1.1, 2.2.2.2"), 0)).toBe("10.0.0.1");
    expect(clientAddress(req("10.0.0.1", "6.6.6.6, 1.1.1.1"), 1)).toBe("1.1.1.1");
    expect(clientAddress(req("10.0.0.1", "6.6.6.6, 1.1.1.1, 10.0.0.9"), 2)).toBe("1.1.1.1");
    expect(clientAddress(req("10.0.0.1"), 1)).toBe("10.0.0.1");
    expect([trustedHops(undefined), trustedHops("1"), trustedHops("true"), trustedHops("x"), trustedHops("0")]).toEqual([0, 1, 1, 0, 0]);
  });
});

describe("response cache keys and lifetimes", () => {
  it("maps parameters in another order to one key and ignores Next's _rsc buster", () => {
    expect(cacheKey("/apps", new URLSearchParams("type=vm&range=7d"))).toBe(cacheKey("/apps", new URLSearchParams("range=7d&type=vm&_rsc=abc")));
    expect(cacheKey("/apps", new URLSearchParams(""))).toBe("/apps");
  });
  it("keeps an answer only until its data is s-maxage old (Last-Modified: when its figures were read)", async () => {
    let t = Date.parse("2026-11-22T10:00:00Z");
    const cache = new ResponseCache(1 << 20, 1 << 20, () => t);
    const answer = (readSecondsAgo: number) => async () => ({
      status: 200,
      headers: { "cache-control": "public, max-age=0, s-maxage=60", "last-modified": new Date(t - readSecondsAgo * 1000).toUTCString() },
      body: Buffer.from("x"),
    });
    expect(dataAge({ "last-modified": new Date(t - 45_000).toUTCString() }, t)).toBe(45);
    expect(dataAge({}, t)).toBe(0);
    await cache.render("/fresh", answer(0));
    await cache.render("/older", answer(45));
    await cache.render("/too-old", answer(61));
    t += 16_000;
    expect([cache.get("/fresh"), cache.get("/older"), cache.get("/too-old")].map((e) => e !== undefined)).toEqual([true, false, false]);
    t += 44_000;
    expect(cache.get("/fresh")).toBeUndefined();
  });
  it("stores only what a shared cache may store", () => {
    expect(sharedMaxAge({ "cache-control": "public, max-age=0, s-maxage=30, stale-while-revalidate=300" })).toBe(30);
    expect(sharedMaxAge({ "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate" })).toBe(0);
    expect(sharedMaxAge({ "cache-control": "no-store" })).toBe(0);
    expect(sharedMaxAge({})).toBe(0);
  });
});

describe("security headers", () => {
  const config = { embedOrigins: ["*"], hstsMaxAge: 100 };
  it("forbids framing of pages and the API, allows widgets and badges to be framed by the configured origins", () => {
    expect(securityHeaders("page", config, { nonce: "n" })["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(securityHeaders("page", config, { nonce: "n" })["x-frame-options"]).toBe("DENY");
    expect(securityHeaders("api", config)["content-security-policy"]).toContain("frame-ancestors 'none'");
    const embed = securityHeaders("embed", { embedOrigins: ["https://a.example", "https://b.example"], hstsMaxAge: 0 });
    expect(embed["content-security-policy"]).toContain("frame-ancestors 'self' https://a.example https://b.example");
    expect(embed["x-frame-options"]).toBeUndefined();
    expect(securityHeaders("badge", config)["content-security-policy"]).toContain("frame-ancestors *");
  });
  it("puts the nonce and static script hashes in the page CSP, HSTS only over HTTPS", () => {
    const h = securityHeaders("page", config, { nonce: "abc", inlineScripts: ["'sha256-x'"], https: true });
    expect(h["content-security-policy"]).toContain("script-src 'self' 'nonce-abc' 'sha256-x' 'strict-dynamic'");
    expect(h["strict-transport-security"]).toBe("max-age=100; includeSubDomains");
    expect(securityHeaders("page", config, { nonce: "abc" })["strict-transport-security"]).toBeUndefined();
  });
  it("reads EMBED_ALLOWED_ORIGINS strictly", () => {
    expect(parseEmbedOrigins(undefined).origins).toEqual(["*"]);
    expect(parseEmbedOrigins("https://a.example/, http://localhost:8080")).toEqual({ origins: ["https://a.example", "http://localhost:8080"], invalid: [] });
    expect(parseEmbedOrigins("https://ok.example javascript:alert(1) 'none'").invalid).toEqual(["javascript:alert(1)", "'none'"]);
  });
  it("classifies routes", () => {
    const files = new Set(["/embed.js"]);
    expect(["/", "/apps/docker", "/embed", "/embed.js", "/embed/summary", "/badge/docker.svg", "/api/v1/apps", "/_next/static/x.js"].map((p) => routeKind(p, files))).toEqual([
      "page",
      "page",
      "page",
      "static",
      "embed",
      "badge",
      "api",
      "static",
    ]);
  });
  it("serves the Atom feeds like API answers, and never takes an app's feed for its page", () => {
    expect(["/feed.xml", "/apps/docker/feed.xml", "/apps/a%20b/feed.xml", "/apps/feed.xml", "/feed.xml/x", "/apps/docker/feed.xml/x"].map((p) => routeKind(p))).toEqual([
      "api",
      "api",
      "api",
      "page",
      "page",
      "page",
    ]);
    expect(isFeedPath("/apps/docker/feed.xml")).toBe(true);
    expect(securityHeaders(routeKind("/feed.xml"), { embedOrigins: ["*"], hstsMaxAge: 0 })["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(pageViewForPath("/apps/docker/feed.xml")).toBeNull();
    expect(pageViewForPath("/feed.xml")).toBeNull();
    expect(canonicalPage(new URL("http://x/apps/docker/feed.xml?range=30d"))).toBeNull();
  });
  it("serves charts and preview images like badges, robots.txt and the sitemap like the API; answers with absolute links are kept per host", () => {
    expect(["/chart/docker.svg", "/og/apps/docker.png", "/og/site.png", "/robots.txt", "/sitemap.xml", "/apps/robots.txt"].map((p) => routeKind(p))).toEqual([
      "badge",
      "badge",
      "badge",
      "api",
      "api",
      "page",
    ]);
    expect(
      ["/", "/apps/docker", "/feed.xml", "/robots.txt", "/sitemap.xml", "/api/v1/apps", "/badge/docker.svg", "/og/site.png"].map((p) => linksToOrigin(p, routeKind(p))),
    ).toEqual([true, true, true, true, true, false, false, false]);
  });
});

describe("data cache freshness", () => {
  it("serves figures while refreshing them only until they are a minute old, then waits for new ones", async () => {
    let t = 0;
    let loads = 0;
    const cache = new DataCache(
      () => null,
      100,
      () => t,
    );
    const load = async () => ++loads;
    expect((await cache.get("k", load, LIVE)).ok).toBe(true);
    t = 45_000; // stale: served as it is, refreshed in the background
    const stale = await cache.get("k", load, LIVE);
    expect(stale.ok && stale.value).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(2);
    t = 45_000 + 61_000; // a quiet minute later: too old to serve, the caller waits
    const fresh = await cache.get("k", load, LIVE);
    expect(fresh.ok && [fresh.value, fresh.fetchedAt]).toEqual([3, t]);
    expect(LIVE.staleMs).toBe(60_000);
  });
});
