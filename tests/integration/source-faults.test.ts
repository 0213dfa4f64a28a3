/**
 * The dashboard against a real PocketBase that misbehaves: identical requests coalesce into
 * one query, the number in flight stays bounded with a fast refusal beyond the queue, a paused
 * PocketBase (SIGSTOP) times out instead of hanging, a stopped one is answered from the last
 * good copy (stale, with the time it was fetched) or with 503 + Retry-After when nothing is
 * cached, and everything recovers by itself. PocketBase is reached through a proxy that
 * counts what arrives and can hold or drop requests (scripts/lib/fault-proxy.ts).
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { answer } from "../../lib/api";
import { dataCache, fetchOverview } from "../../lib/data";
import { DataCache } from "../../lib/data/cache";
import { publicClient, sourceGate } from "../../lib/data/pocketbase";
import { classifySourceError } from "../../lib/data/explain-error";
import { queryOverview } from "../../lib/data/queries/overview";
import { presetRange } from "../../lib/range";
import { VIEWS } from "../../lib/views";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startFaultProxy, type FaultProxy } from "../../scripts/lib/fault-proxy";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

// Small bounds so the tests can reach them; read by the gate when it is first used.
process.env.POCKETBASE_TIMEOUT_MS = "1500";
process.env.POCKETBASE_MAX_IN_FLIGHT = "2";
process.env.POCKETBASE_MAX_QUEUE = "3";

const now = new Date();
const range = presetRange("30d", now);

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within ${ms} ms`);
}

/** Waits out an open circuit by retrying until the source answers again. */
async function recovered() {
  await until("recovery", async () =>
    queryOverview(range).then(
      () => true,
      () => false,
    ),
  );
}

describe("a misbehaving PocketBase", () => {
  let pb: TestPocketBase;
  let proxy: FaultProxy;
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 5, days: 30, runsPerDay: 200, end: now }), { maintainRollups: false }),
    });
    proxy = await startFaultProxy(pb.url);
    pb.useForDataLayer(proxy.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await pb?.stop();
  });
  beforeEach(async () => {
    proxy.setMode({ kind: "pass" });
    proxy.release();
    await recovered();
    proxy.reset();
  });

  it("loads identical concurrent data requests once (data cache), and shares identical requests in flight (gate)", async () => {
    dataCache().clear();
    await queryOverview(range);
    const one = proxy.forwarded;
    dataCache().clear();
    proxy.reset();
    const results = await Promise.all(Array.from({ length: 20 }, () => fetchOverview(range, null)));
    expect(proxy.forwarded).toBe(one);
    expect(new Set(results.map((r) => JSON.stringify(r.totals))).size).toBe(1);

    // Below the cache: 20 identical requests while the first is still on its way → one query.
    proxy.reset();
    proxy.setMode({ kind: "hold" });
    const pbc = publicClient();
    const same = Promise.all(Array.from({ length: 20 }, () => pbc.collection("stats_daily").getList(1, 5, { sort: "-bucket" })));
    await until("the first request to arrive", async () => proxy.held === 1);
    proxy.release();
    const lists = await same;
    expect(proxy.forwarded).toBe(1);
    expect(new Set(lists.map((l) => JSON.stringify(l.items))).size).toBe(1);
  });

  it("keeps at most POCKETBASE_MAX_IN_FLIGHT requests in flight and refuses beyond the queue at once", async () => {
    proxy.setMode({ kind: "hold" });
    const pbc = publicClient();
    // Eight different one-request questions: 2 in flight, 3 queued, 3 refused without reaching PocketBase.
    const settled = Promise.allSettled(Array.from({ length: 8 }, (_, i) => pbc.collection("stats_app").getList(i + 1, 5)));
    await until("two requests held", async () => proxy.held === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(proxy.held).toBe(2);
    proxy.setMode({ kind: "pass" });
    proxy.release();
    const results = await settled;
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(classifySourceError((r as PromiseRejectedResult).reason)?.message).toMatch(/waiting|busy/);
    expect(proxy.forwarded).toBe(5);
    expect(proxy.maxConcurrent).toBeLessThanOrEqual(2);
  });

  it("times out against a paused PocketBase instead of hanging, then recovers by itself", async () => {
    process.kill(pb.pid(), "SIGSTOP");
    try {
      const err = await queryOverview(range).then(
        () => null,
        (e: unknown) => e,
      );
      const failure = classifySourceError(err);
      expect(failure?.message).toMatch(/did not answer within|not answering/);
      expect(failure?.retryAfter).toBeGreaterThan(0);
      // Once the circuit is open, requests fail at once without reaching PocketBase.
      await until("the circuit to open", async () => sourceGate().stats().circuit === "open");
      proxy.reset();
      await expect(queryOverview(range)).rejects.toThrow();
      expect(proxy.forwarded).toBe(0);
    } finally {
      process.kill(pb.pid(), "SIGCONT");
    }
    await recovered();
  });

  it("serves the last good answer, marked stale, while PocketBase is stopped, and fresh ones after it is back", async () => {
    const cache = new DataCache(classifySourceError, 100);
    const policy = { freshMs: 0, staleMs: 0, errorMs: 3_600_000 };
    const key = "overview-30d";
    const good = await cache.get(key, () => queryOverview(range), policy);
    expect(good.ok && good.problem).toBe(null);
    await pb.kill();
    try {
      const stale = await cache.get(key, () => queryOverview(range), policy);
      expect(stale.ok).toBe(true);
      if (!stale.ok) return;
      expect(stale.problem).toMatch(/not reachable|not answering|did not answer/);
      expect(stale.fetchedAt).toBe(good.ok ? good.fetchedAt : -1);
      expect(stale.value).toEqual(good.ok ? good.value : null);
      // Nothing cached for another question: a failure with Retry-After, never a hang.
      const none = await cache.get("other", () => queryOverview(presetRange("7d", now)), policy);
      expect(none.ok).toBe(false);
      if (!none.ok) expect(none.retryAfter).toBeGreaterThan(0);
    } finally {
      await pb.start();
    }
    await recovered();
    const fresh = await cache.get(key, () => queryOverview(range), policy);
    expect(fresh.ok && fresh.problem).toBe(null);
  });

  it("answers the API with 503, Retry-After and no internal address when nothing is cached and PocketBase is down", async () => {
    dataCache().clear();
    await pb.kill();
    try {
      // As app/api/v1/summary/route.ts answers.
      const res = await answer(new Request("http://dashboard/api/v1/summary?range=7d"), "summary", VIEWS.apiSummary, z.object({ data: z.unknown() }), async (state) => {
        const o = await fetchOverview(state.range, null);
        return { data: o, table: { columns: [], rows: [] } };
      });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = await res.text();
      expect(body).not.toContain("127.0.0.1");
      expect(body).not.toContain(String(new URL(pb.url).port));
    } finally {
      await pb.start();
    }
    await recovered();
  });
});
