/**
 * The response cache's coalescing in server/front.ts, over real sockets: requests for a view
 * being rendered wait for that one render; when the leading request's client hangs up (and
 * Next.js drops its render), one waiter renders for the others — nobody is refused with 429
 * because many started a render at the same moment (the load test's single client saw that).
 */
import type { Server, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../../server/rate-limit";
import { ResponseCache } from "../../server/response-cache";
import { get as fetchAnswer, type Handle, startFront } from "../support/front-server";

/** Counts the requests that found a render in flight and joined it. */
class CountingCache extends ResponseCache {
  joined = 0;
  override inFlight(key: string) {
    const running = super.inFlight(key);
    if (running) this.joined++;
    return running;
  }
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

const get = (port: number, path: string, client: string, signal?: AbortSignal) => fetchAnswer(port, path, { "x-forwarded-for": client }, signal);

describe("coalesced renders", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it("survive the leading client hanging up: one waiter renders for the rest, none is refused", async () => {
    let renders = 0;
    const started: (() => void)[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // Like Next.js: the render is dropped when its client goes away, and answers once the gate opens.
    const handle: Handle = async (_req, res: ServerResponse) => {
      renders++;
      started.shift()?.();
      let closed = false;
      res.once("close", () => (closed = true));
      await gate;
      if (closed) return;
      res.writeHead(200, { "content-type": "application/json", "cache-control": "public, s-maxage=60" });
      res.end(`{"render":${renders}}`);
    };
    // One token and one render in flight per client: a second render for a client at once is a 429.
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, concurrent: 1 });
    const cache = new CountingCache();
    const front = await startFront(handle, cache, { limiter, hops: 1 });
    server = front.server;
    const port = front.port;

    const leaderStarted = new Promise<void>((r) => started.push(r));
    const hangUp = new AbortController();
    const leader = get(port, "/api/v1/summary", "203.0.113.1", hangUp.signal).catch((err: Error) => err);
    await leaderStarted;
    const waiters = Array.from({ length: 5 }, () => get(port, "/api/v1/summary", "203.0.113.2"));
    await until(() => cache.joined === 5); // the waiters are queued on the leader's render
    const secondStarted = new Promise<void>((r) => started.push(r));
    hangUp.abort();
    await secondStarted; // one waiter took over
    release();

    expect(await leader).toBeInstanceOf(Error);
    const answers = await Promise.all(waiters);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set(['{"render":2}']));
    expect(renders).toBe(2);
    expect(answers.filter((a) => a.cache === "COALESCED")).toHaveLength(4);
  });
});
