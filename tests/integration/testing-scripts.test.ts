/**
 * Scripts in testing (issue 15): the development repository's apps with their finished runs,
 * failure rate and interval equal SQL over the raw rows; the promotion verdict follows the rule
 * (re-derived here from SQL: the official median app failure rate among apps with enough runs);
 * and the demo's seeded truths are found — mqtt ready, mastodon not, and the slow app (at a
 * volume where its median is well measured).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAppDurations } from "../../lib/data/queries/durations";
import { queryTestingScripts } from "../../lib/data/queries/testing";
import { customRange } from "../../lib/range";
import { wilson } from "../../lib/stats";
import { SLOW_APP, TESTING_APPS } from "../../scripts/lib/demo-model";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

const SUCCESS = "status IN ('sucess','success','done')";

describe("scripts in testing", () => {
  let pb: TestPocketBase;
  // A fixed end: the same runs every time (the truths are about this data, not a lucky draw).
  const now = new Date("2026-11-30T12:00:00Z");
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 21, days: 25, runsPerDay: 2000, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  function counts(range: { from: string; to: string }, where: string, olderProtocol = false) {
    return pb.db
      .prepare(
        `SELECT nsapp, SUM(${SUCCESS}) AS success, SUM(status = 'failed') AS failed FROM _dev_telemetry_data
         WHERE (execution_id != '' OR ${olderProtocol ? "1" : "0"}) AND substr(created, 1, 10) BETWEEN ? AND ? AND ${where} GROUP BY nsapp HAVING SUM(${SUCCESS}) + SUM(status = 'failed') > 0 ORDER BY nsapp`,
      )
      .all(range.from, range.to) as { nsapp: string; success: number; failed: number }[];
  }

  it("equals SQL over the raw rows and follows the promotion rule; finds the ready and the not-ready script", async () => {
    const range = customRange("2026-11-01", "2026-11-30");
    const view = await queryTestingScripts(range);
    const rates = counts(range, "repo_source IN ('ProxmoxVE', '')", true)
      .filter((a) => a.success + a.failed >= 100)
      .map((a) => a.failed / (a.success + a.failed))
      .sort((a, b) => a - b);
    const m = rates.length >> 1;
    const median = rates.length % 2 ? rates[m]! : (rates[m - 1]! + rates[m]!) / 2;
    expect(view.officialMedian).toBeCloseTo(median, 12);
    const dev = counts(range, "repo_source = 'ProxmoxVED'");
    expect(view.scripts.map((s) => s.nsapp).sort()).toEqual(dev.map((d) => d.nsapp).sort());
    for (const d of dev) {
      const s = view.scripts.find((x) => x.nsapp === d.nsapp)!;
      const w = wilson(d.failed, d.success + d.failed)!;
      expect({ success: s.success, failed: s.failed, low: s.failureLow, high: s.failureHigh }, d.nsapp).toEqual({ success: d.success, failed: d.failed, low: w.low, high: w.high });
      const verdict = d.success + d.failed < 30 ? "too few runs" : w.high <= median + 0.02 ? "ready" : "not ready";
      expect(s.verdict, d.nsapp).toBe(verdict);
    }
    expect(view.scripts.find((s) => s.nsapp === TESTING_APPS.ready)?.verdict).toBe("ready");
    expect(view.scripts.find((s) => s.nsapp === TESTING_APPS.notReady)?.verdict).toBe("not ready");
    // The official figures do not count them: every run of the two is a development run.
    const official = counts(range, "repo_source IN ('ProxmoxVE', '')").map((a) => a.nsapp);
    expect(official).not.toContain(TESTING_APPS.ready);
  });

  it("counts each script's distinct sessions as SQL does, through retries, moves between repositories, updates and deletes", async () => {
    const range = customRange("2026-11-01", "2026-11-30");
    const truth = () =>
      new Map(
        (
          pb.db
            .prepare(
              `SELECT nsapp, COUNT(DISTINCT random_id) AS n FROM _dev_telemetry_data WHERE repo_source = 'ProxmoxVED' AND (${SUCCESS} OR status = 'failed')
               AND substr(created, 1, 10) BETWEEN ? AND ? GROUP BY nsapp`,
            )
            .all(range.from, range.to) as { nsapp: string; n: number }[]
        ).map((r) => [r.nsapp, r.n]),
      );
    const expectExact = async (label: string) => {
      const view = await queryTestingScripts(range);
      const want = truth();
      expect(new Map(view.scripts.map((s) => [s.nsapp, s.sessions])), label).toEqual(new Map(view.scripts.map((s) => [s.nsapp, want.get(s.nsapp) ?? 0])));
      expect(
        [...want.keys()].every((nsapp) => view.scripts.some((s) => s.nsapp === nsapp)),
        label,
      ).toBe(true);
      return view;
    };
    await expectExact("as generated");

    const ready = TESTING_APPS.ready;
    const run = pb.db
      // A failure where the month has one (the ready script fails rarely: some seeds give it none).
      .prepare(
        "SELECT * FROM _dev_telemetry_data WHERE nsapp = ? AND repo_source = 'ProxmoxVED' AND status IN ('failed', 'success') AND substr(created, 1, 10) BETWEEN ? AND ? ORDER BY status = 'failed' DESC, id LIMIT 1",
      )
      .get(ready, range.from, range.to) as Record<string, unknown> & { id: string; random_id: string; created: string };
    const before = (await queryTestingScripts(range)).scripts.find((s) => s.nsapp === ready)!;
    // A retry from the recovery menu: a second run of the same session, a day later — a run more, no session more.
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, execution_id, type, nsapp, status, repo_source, created, updated) VALUES (?, ?, ?, 'lxc', ?, ?, 'ProxmoxVED', ?, ?)`,
    );
    const later = (day: string) => `${day} 10:00:00.000Z`;
    insert.run("sessretry000001", run.random_id, "sess-retry-1", ready, "success", later("2026-11-20"), later("2026-11-20"));
    let view = await expectExact("after a retry");
    let now = view.scripts.find((s) => s.nsapp === ready)!;
    expect([now.success + now.failed, now.sessions]).toEqual([before.success + before.failed + 1, before.sessions]);
    // Runs are more than sessions somewhere, so a count of runs would not pass for one of sessions.
    expect(view.scripts.some((s) => s.sessions < s.success + s.failed)).toBe(true);

    // A new session that only starts (installing), then finishes: counted once it is decided.
    insert.run("sessnew00000001", "sess-new-1", "sess-new-1", ready, "installing", later("2026-11-21"), later("2026-11-21"));
    now = (await expectExact("a session still installing")).scripts.find((s) => s.nsapp === ready)!;
    expect(now.sessions).toBe(before.sessions);
    pb.db.prepare("UPDATE _dev_telemetry_data SET status = 'failed', exit_code = 1 WHERE id = ?").run("sessnew00000001");
    now = (await expectExact("the new session failed")).scripts.find((s) => s.nsapp === ready)!;
    expect(now.sessions).toBe(before.sessions + 1);

    // Moved to the official repository, to another app, out of the range; deleted.
    const move = pb.db.prepare("UPDATE _dev_telemetry_data SET repo_source = ? WHERE id = ?");
    move.run("ProxmoxVE", "sessnew00000001");
    await expectExact("a session moved to the official repository");
    move.run("ProxmoxVED", "sessnew00000001");
    pb.db.prepare("UPDATE _dev_telemetry_data SET nsapp = ? WHERE id = ?").run(TESTING_APPS.notReady, "sessnew00000001");
    await expectExact("a session moved to another app");
    pb.db.prepare("UPDATE _dev_telemetry_data SET created = ? WHERE id = ?").run("2026-10-15 10:00:00.000Z", run.id);
    await expectExact("the first run of a retried session moved out of the range");
    pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE id IN (?, ?)").run("sessretry000001", "sessnew00000001");
    view = await expectExact("deleted");
  });

  it("finds the demo's slow app: its p50 near the seeded median, and no other app's as long", async () => {
    const range = customRange("2026-11-01", "2026-11-30");
    const slow = await queryAppDurations(SLOW_APP.nsapp, range);
    // ~150 timed successes of a log-normal (σ 0.7), runs still installing at the end left out: within a quarter of the seeded median.
    expect(slow.success.n).toBeGreaterThan(100);
    expect(Math.abs(slow.success.p50! / 60 - SLOW_APP.medianMinutes) / SLOW_APP.medianMinutes).toBeLessThan(0.25);
    // The sorted list's order is tested against SQL in durations.test.ts; here the data's truth.
    const others = pb.db
      .prepare(
        `SELECT nsapp, COUNT(*) AS n FROM _dev_telemetry_data WHERE execution_id != '' AND ${SUCCESS} AND repo_source IN ('ProxmoxVE', '')
         AND substr(created, 1, 10) BETWEEN ? AND ? AND nsapp != ? GROUP BY nsapp HAVING n >= 20`,
      )
      .all(range.from, range.to, SLOW_APP.nsapp) as { nsapp: string }[];
    let longest = 0;
    for (const o of others) longest = Math.max(longest, (await queryAppDurations(o.nsapp, range)).success.p50 ?? 0);
    expect(others.length).toBeGreaterThan(50);
    expect(longest).toBeLessThan(slow.success.p50!);
  });
});
