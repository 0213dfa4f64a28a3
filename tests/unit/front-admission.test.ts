/**
 * Admission control for renders in server/front.ts, over real sockets: a bound on renders in
 * flight and a short queue; past it an immediate 503 with Retry-After, or the stale copy where
 * one exists; cache hits, stale copies and 304s never wait behind renders; identical requests
 * share one render and count once. The stand-in for Next.js holds each render until the test
 * lets it finish, so "the queue is full" is a state the test controls, not a timing.
 */
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Admission, RenderBusy } from "../../server/admission";
import { RateLimiter } from "../../server/rate-limit";
import { ResponseCache } from "../../server/response-cache";
import { type Answer, get, type Handle, startFront } from "../support/front-server";

const PAGE_CC = "public, max-age=0, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400";

/** A stand-in for Next.js: answers `/held/…` only when released; counts renders per path. */
function heldRenders() {
  const renders = new Map<string, number>();
  const waiting: (() => void)[] = [];
  let status = 200;
  const handle: Handle = async (req, res) => {
    const path = req.url ?? "/";
    const n = (renders.get(path) ?? 0) + 1;
    renders.set(path, n);
    if (path.includes("held")) await new Promise<void>((r) => waiting.push(r));
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": PAGE_CC });
    res.end(`${path} render ${n}`);
  };
  return {
    handle,
    renders,
    /** Renders started and waiting to be released. */
    held: () => waiting.length,
    releaseAll: () => waiting.splice(0).forEach((r) => r()),
    failWith: (s: number) => (status = s),
  };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe("admission control for renders", () => {
  let server: Server | null = null;
  afterEach(
    () =>
      new Promise<void>((done) => {
        server?.closeAllConnections(); // a failed test may leave a render held
        server ? server.close(() => done()) : done();
      }),
  );

  async function start(h: ReturnType<typeof heldRenders>, admission: Admission, cache = new ResponseCache()) {
    // The per-client limit is generous here: what refuses is the global bound.
    const front = await startFront(h.handle, cache, { admission, limiter: new RateLimiter({ perMinute: 6000, burst: 1000, concurrent: 100 }) });
    server = front.server;
    return front.port;
  }

  it("answers cache hits and 304s while the renders and the queue are full, and refuses the next render at once with 503 + Retry-After", async () => {
    const h = heldRenders();
    const port = await start(h, new Admission({ limit: 1, queue: 1, maxWaitMs: 60_000 }));
    const cached = await get(port, "/apps");
    expect(cached.cache).toBe("MISS");

    const rendering = get(port, "/apps/held-1");
    const queued = get(port, "/apps/held-2");
    await until(() => h.held() === 1); // one render in flight, one waiting for its slot
    await new Promise((r) => setTimeout(r, 30));
    expect(h.held()).toBe(1);

    const hit = await get(port, "/apps");
    expect([hit.status, hit.cache, hit.body]).toEqual([200, "HIT", "/apps render 1"]);
    const notModified = await get(port, "/apps", { "if-none-match": String(cached.headers.etag) });
    expect([notModified.status, notModified.cache]).toEqual([304, "HIT"]);

    const refused = await get(port, "/apps/held-3");
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.headers["cache-control"]).toBe("no-store");
    expect(refused.body).toContain("busy");
    expect(h.renders.has("/apps/held-3")).toBe(false);

    h.releaseAll();
    await until(() => h.held() === 1); // the queued render got the slot
    h.releaseAll();
    expect((await rendering).status).toBe(200);
    expect((await queued).body).toBe("/apps/held-2 render 1");
  });

  it("counts identical requests once: they share the render in flight instead of taking slots or places in the queue", async () => {
    const h = heldRenders();
    const port = await start(h, new Admission({ limit: 1, queue: 0, maxWaitMs: 60_000 }));
    const first = get(port, "/apps/held");
    await until(() => h.held() === 1);
    const same = Array.from({ length: 5 }, () => get(port, "/apps/held"));
    await new Promise((r) => setTimeout(r, 30));
    expect((await get(port, "/apps/held-other")).status).toBe(503); // the one slot is taken
    h.releaseAll();
    const answers: Answer[] = await Promise.all([first, ...same]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.cache === "COALESCED")).toHaveLength(5);
    expect(h.renders.get("/apps/held")).toBe(1);
  });

  it("gives up a queued render after the longest wait: 503 + Retry-After, not a hanging request", async () => {
    const h = heldRenders();
    const port = await start(h, new Admission({ limit: 1, queue: 4, maxWaitMs: 100 }));
    const rendering = get(port, "/apps/held-1");
    await until(() => h.held() === 1);
    const queued = await get(port, "/api/v1/apps?q=held");
    expect(queued.status).toBe(503);
    expect(queued.headers["retry-after"]).toBe("1");
    expect(JSON.parse(queued.body)).toEqual({ error: expect.stringContaining("busy") });
    h.releaseAll();
    expect((await rendering).status).toBe(200);
  });

  it("cuts off a streamed navigation (RSC) stuck past the render deadline, and frees its slot", async () => {
    const h = heldRenders();
    const front = await startFront(h.handle, new ResponseCache(), {
      admission: new Admission({ limit: 1, queue: 0, maxWaitMs: 60_000 }),
      limiter: new RateLimiter({ perMinute: 6000, burst: 1000, concurrent: 100 }),
      renderTimeoutMs: 300,
    });
    server = front.server;
    const stuck = get(front.port, "/apps/held", { rsc: "1" }).then(
      () => "answered",
      () => "cut off",
    );
    await until(() => h.held() === 1);
    expect(await stuck).toBe("cut off");
    // The slot is free again: the next render is admitted, not refused as busy.
    expect((await get(front.port, "/apps")).status).toBe(200);
    h.releaseAll();
  });

  it("answers an expired page stale at once while one refresh renders in the background", async () => {
    let now = 1_000_000;
    const h = heldRenders();
    const port = await start(h, new Admission({ limit: 2, queue: 0, maxWaitMs: 60_000 }), new ResponseCache(undefined, undefined, () => now));
    const path = "/apps/held";
    const firstRender = get(port, path);
    await until(() => h.held() === 1);
    h.releaseAll();
    expect((await firstRender).body).toBe(`${path} render 1`);

    now += 31_000; // past s-maxage, within stale-while-revalidate
    const stale = await get(port, path);
    expect([stale.status, stale.cache, stale.body, stale.headers.age]).toEqual([200, "STALE", `${path} render 1`, "31"]);
    await until(() => h.held() === 1); // the refresh
    const meanwhile = await get(port, path);
    expect([meanwhile.cache, meanwhile.body]).toEqual(["STALE", `${path} render 1`]);
    expect(h.renders.get(path)).toBe(2); // one refresh, not one per request
    h.releaseAll();
    let next: Answer | undefined;
    for (let i = 0; i < 100 && next?.cache !== "HIT"; i++) next = await get(port, path);
    expect([next?.cache, next?.body]).toEqual(["HIT", `${path} render 2`]);
  });

  it("answers a copy while it refreshes only until its figures are a minute old (Last-Modified), then renders", async () => {
    let now = Date.parse("2026-11-22T10:00:00Z");
    const renders = new Map<string, number>();
    const handle: Handle = async (req, res) => {
      const n = (renders.get(req.url ?? "") ?? 0) + 1;
      renders.set(req.url ?? "", n);
      // Figures read 20 s before the render: kept fresh 10 s more (s-maxage 30).
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": PAGE_CC, "last-modified": new Date(now - 20_000).toUTCString() });
      res.end(`${req.url} render ${n}`);
    };
    const front = await startFront(handle, new ResponseCache(undefined, undefined, () => now), {
      admission: new Admission({ limit: 2, queue: 2, maxWaitMs: 60_000 }),
      limiter: new RateLimiter({ perMinute: 6000, burst: 1000, concurrent: 100 }),
    });
    server = front.server;
    await get(front.port, "/a");
    await get(front.port, "/b");
    now += 15_000; // figures 35 s old: the copy, while one refresh renders
    expect((await get(front.port, "/a")).cache).toBe("STALE");
    now += 30_000; // figures 65 s old: past the freshness bound, a fresh render (within stale-while-revalidate all the same)
    const b = await get(front.port, "/b");
    expect([b.cache, b.body]).toEqual(["MISS", "/b render 2"]);
  });

  it("answers the stale copy instead of 503 when the server is too busy to render, or the render fails", async () => {
    let now = 1_000_000;
    const h = heldRenders();
    const port = await start(h, new Admission({ limit: 1, queue: 0, maxWaitMs: 60_000 }), new ResponseCache(undefined, undefined, () => now));
    expect((await get(port, "/apps")).body).toBe("/apps render 1");

    now += 3_600_000; // an hour: past stale-while-revalidate, within stale-if-error
    const busy = get(port, "/apps/held");
    await until(() => h.held() === 1); // the only slot is taken
    const answer = await get(port, "/apps");
    expect([answer.status, answer.cache, answer.body, answer.headers.age]).toEqual([200, "STALE", "/apps render 1", "3600"]);
    expect(h.renders.get("/apps")).toBe(1);
    h.releaseAll();
    await busy;

    h.failWith(503); // the data source is down: the render says so
    const failed = await get(port, "/apps");
    expect([failed.status, failed.cache, failed.body]).toEqual([200, "STALE", "/apps render 1"]);
    expect(h.renders.get("/apps")).toBe(2);
    // A view never rendered before has no copy: the render's own 503.
    expect((await get(port, "/apps/new")).status).toBe(503);
  });
});

describe("stale copies and the per-client limit", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it("a refresh costs the asking client a token (none left: no refresh), and a client over its limit gets the stale copy, not 429", async () => {
    let now = 1_000_000;
    const h = heldRenders();
    const front = await startFront(h.handle, new ResponseCache(undefined, undefined, () => now), {
      admission: new Admission({ limit: 4, queue: 4, maxWaitMs: 60_000 }),
      limiter: new RateLimiter({ perMinute: 1, burst: 1, concurrent: 4 }),
    });
    server = front.server;
    expect((await get(front.port, "/apps")).status).toBe(200); // the client's one token

    now += 31_000;
    const stale = await get(front.port, "/apps");
    expect([stale.status, stale.cache]).toEqual([200, "STALE"]);
    await new Promise((r) => setTimeout(r, 30));
    expect(h.renders.get("/apps")).toBe(1); // no token, no refresh

    now += 3_600_000; // only kept for errors now: this client may not render, so it gets the copy
    const kept = await get(front.port, "/apps");
    expect([kept.status, kept.cache, kept.body]).toEqual([200, "STALE", "/apps render 1"]);
    expect((await get(front.port, "/apps/other")).status).toBe(429); // nothing to fall back on
    expect(h.renders.get("/apps")).toBe(1);
  });
});

describe("Admission", () => {
  it("grants slots up to the limit, queues in order up to the queue, refuses past it", async () => {
    const a = new Admission({ limit: 2, queue: 1, maxWaitMs: 60_000 });
    const r1 = await a.enter();
    const r2 = await a.enter();
    const queued = a.enter();
    expect(queued).not.toBeNull();
    expect(a.enter()).toBeNull();
    expect(a.stats()).toMatchObject({ running: 2, waiting: 1 });
    r1?.();
    r1?.(); // twice is harmless
    const r3 = await queued;
    expect(a.stats()).toMatchObject({ running: 2, waiting: 0 });
    r2?.();
    r3?.();
    expect(a.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("lets a queued render leave: its signal's reason when it aborts, RenderBusy after the longest wait", async () => {
    const a = new Admission({ limit: 1, queue: 2, maxWaitMs: 50 });
    const held = await a.enter();
    const left = new AbortController();
    const leaving = a.enter(left.signal);
    left.abort(new Error("client left"));
    await expect(leaving).rejects.toThrow("client left");
    await expect(a.enter()).rejects.toBeInstanceOf(RenderBusy);
    expect(a.stats()).toMatchObject({ running: 1, waiting: 0 });
    held?.();
    expect(a.stats().running).toBe(0);
  });

  it("has no bound with limit 0", async () => {
    const a = new Admission({ limit: 0, queue: 0, maxWaitMs: 0 });
    for (let i = 0; i < 100; i++) expect(a.enter()).not.toBeNull();
  });
});
