/**
 * The demo's traffic (scripts/lib/live-traffic.ts): the runs of a stopped demo's downtime are
 * filled in through the triggers, and live runs arrive through POST /telemetry as today's
 * scripts send them — the rollups stay exact either way.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { fillGap, startLiveTraffic } from "../../scripts/lib/live-traffic";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { expectRollupsExact } from "../support/rollups";

const HOUR = 3_600_000;
const newestSql = "SELECT COUNT(*) AS n, MAX(created) AS newest FROM _dev_telemetry_data";

describe("demo traffic", () => {
  let pb: TestPocketBase;
  const stoppedAt = new Date(Date.now() - 30 * HOUR);
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => void insertRows(join(dir, "data.db"), generateRows({ seed: 3, days: 3, runsPerDay: 2000, end: stoppedAt }), { maintainRollups: false }),
    });
  });
  afterAll(async () => pb?.stop());

  it("fills the time a stopped demo missed, at the daily volume, through the triggers", () => {
    const before = pb.db.prepare(newestSql).get() as { n: number; newest: string };
    const added = fillGap(join(pb.dataDir, "data.db"), before.newest, 2000);
    const after = pb.db.prepare(newestSql).get() as { n: number; newest: string };
    expect(after.n - before.n).toBe(added);
    // ~30 hours of a 2,000-a-day rhythm (the generator's hours are uneven).
    expect(added).toBeGreaterThan(1500);
    expect(added).toBeLessThan(4000);
    expect(after.newest > before.newest).toBe(true);
    expect(Date.parse(after.newest.replace(" ", "T"))).toBeLessThanOrEqual(Date.now());
    const future = pb.db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data WHERE updated > ? AND status != 'installing'").get(new Date().toISOString().replace("T", " ")) as {
      n: number;
    };
    expect(future.n).toBe(0);
    // Nothing to fill while the newest run is less than a minute old (at 2,000 a day runs are
    // ~40 s apart, so "right after" must be measured from the newest run, not the clock).
    expect(fillGap(join(pb.dataDir, "data.db"), after.newest, 2000, Date.parse(after.newest.replace(" ", "T")) + 30_000)).toBe(0);
    expectRollupsExact(pb.db);
  });

  it("reports new runs through POST /telemetry as today's scripts do", async () => {
    const before = (pb.db.prepare(newestSql).get() as { n: number }).n;
    // ~23 runs a second: wait until a dozen are stored (a loaded machine answers slower), then stop.
    const stop = startLiveTraffic(pb.url, 2_000_000, () => {});
    const deadline = Date.now() + 45_000;
    const stored = () => (pb.db.prepare(newestSql).get() as { n: number }).n - before;
    while (stored() <= 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stop();
    expect(stored()).toBeGreaterThan(10);
    const live = pb.db.prepare("SELECT status, random_id, execution_id FROM _dev_telemetry_data ORDER BY created DESC LIMIT 5").all() as Record<string, string>[];
    for (const r of live) expect(r).toMatchObject({ random_id: expect.stringMatching(/^[0-9a-f-]{36}$/), execution_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expectRollupsExact(pb.db);
  });
});
