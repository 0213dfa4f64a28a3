/**
 * Empty answers of the range views are not throttled (pocketbase/pb_hooks/rollup_sums.pb.js):
 * PocketBase sleeps a random 0–500 ms before an empty filtered list once a client had three in
 * three seconds, and says so in its debug log. Many empty lists at once from one client — a range
 * view's and, as the control that shows the log is read, the raw runs' (whose rule hides records,
 * so the throttle stays) — leave debug entries for the raw runs only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

const THROTTLED = "Randomized throttle because of too many failed searches";

describe("empty lists", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase();
    const res = await api(pb.url, "/api/settings", { method: "PATCH", token: pb.superuserToken, body: { logs: { maxDays: 1, minLevel: -4 } } });
    expect(res.status).toBe(200);
  });
  afterAll(async () => pb?.stop());

  const collectionId = async (name: string) => (await api(pb.url, `/api/collections/${name}`, { token: pb.superuserToken })).body.id as string;
  /** Collection ids of the throttle's debug entries so far. */
  const throttled = async () => {
    const res = await api(pb.url, `/api/logs?perPage=500&filter=${encodeURIComponent(`message = "${THROTTLED}"`)}`, { token: pb.superuserToken });
    return new Set((res.body.items as { data: { collectionId?: string } }[]).map((l) => l.data.collectionId));
  };

  it("answers a range view's empty lists at once, and keeps the throttle on the raw runs", { timeout: 120_000 }, async () => {
    const view = `/api/collections/stats_app_range/records?from=2026-01-01&to=2026-01-31&filter=${encodeURIComponent('nsapp = "no-such-app"')}`;
    const raw = `${RECORDS}?filter=${encodeURIComponent('nsapp = "no-such-app"')}`;
    for (const path of [view, raw]) {
      const answers = await Promise.all(Array.from({ length: 8 }, () => api(pb.url, path)));
      expect(answers.map((a) => [a.status, (a.body.items as unknown[]).length])).toEqual(Array(8).fill([200, 0]));
    }
    const [viewId, rawId] = await Promise.all([collectionId("stats_app_range"), collectionId("_dev_telemetry_data")]);
    // PocketBase writes its log in batches: wait for the control's entries (a hang guard, not a timing).
    let ids = await throttled();
    while (!ids.has(rawId)) {
      await new Promise((r) => setTimeout(r, 500));
      ids = await throttled();
    }
    expect(ids.has(viewId)).toBe(false);
  });
});
