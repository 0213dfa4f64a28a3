/**
 * The series store (lib/data/series-store.ts) answers exactly as the series views do — after
 * random inserts, late updates (old days), key changes, deletes and a rebuild — while reading
 * only the rows that changed; and the regression and incident scans find the same things
 * through it as through a full scan.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findInsights } from "../../lib/insights/find-insights";
import { windowSpan } from "../../lib/insights/scan-series";
import { windowMemoStats } from "../../lib/data/window-memo";
import type { KeyFilter, Span } from "../../lib/insights/source";
import { publicClient } from "../../lib/data/pocketbase";
import { pocketbaseSource } from "../../lib/data/queries/insights-source";
import { rangeAll, rangeAllFromSums } from "../../lib/data/queries/rollup-range";
import { SeriesStore, seriesStore, STORE_HOURS } from "../../lib/data/series-store";
import { customRange, presetRange, type Range, withRepo } from "../../lib/range";
import { scanPlan } from "../../lib/insights/scan-plan";
import { ROLLUPS, type SeriesRollup } from "../../lib/rollups/spec";
import { rebuildSql } from "../../lib/rollups/sql";
import { addDays, addHours, bucketStart, nextBucket, utcDay, utcHour } from "../../lib/time";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { rng } from "../support/random";
import { expectRollupsExact } from "../support/rollups";

const now = new Date();
const today = utcDay(now);
const hour = utcHour(now);
const ROLLUPS_READ: SeriesRollup[] = ["stats_app", "stats_code", "stats_daily", "stats_app_failure"];
const STATUSES = ["installing", "sucess", "failed", "failed", "unknown", "success", "aborted"];

describe("series store", () => {
  let pb: TestPocketBase;
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 11, days: 40, runsPerDay: 1500, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  const spans = (): Span[] => [
    { from: addDays(today, -29), to: today, grain: "day" },
    { from: addDays(today, -89), to: today, grain: "day" },
    { from: addDays(today, -20), to: addDays(today, -14), grain: "day" },
    { from: today, to: today, grain: "day" },
    { from: addDays(today, -3), to: addDays(today, 2), grain: "day" },
    // Hours (the 24-hour views and the scans' last three days): the hourly store, led by the daily change numbers.
    { from: addHours(hour, -23), to: hour, grain: "hour" },
    { from: addHours(hour, -47), to: addHours(hour, -24), grain: "hour" },
    { from: addHours(hour, -60), to: addHours(hour, 3), grain: "hour" },
  ];
  const filters: (KeyFilter | undefined)[] = [undefined, { nsapp: ["docker", "jellyfin", "homeassistant", "no-such-app"] }, { exit_code: [1, 100, 255] }];

  const store = (rollup: SeriesRollup, grain: Span["grain"] = "day") => seriesStore(publicClient(), rollup, grain);

  /** Every rollup, span, threshold and filter: the store's answers equal PocketBase's (read after them). */
  async function expectSameAsView(): Promise<void> {
    const client = publicClient();
    const viewSource = pocketbaseSource(client, "official", { store: false });
    const storeSource = pocketbaseSource(client, "official");
    for (const rollup of ROLLUPS_READ) {
      for (const span of spans()) {
        expect(SeriesStore.serves(span, new Date())).toBe(true);
        const st = store(rollup, span.grain);
        await st.series(span, 0, undefined, new Date()); // loads what it does not hold yet
        expect(st.covers(span)).toBe(true);
        for (const min of [0, 1, 3]) {
          for (const filter of filters) {
            if (filter?.exit_code && rollup !== "stats_code") continue;
            if (filter?.nsapp && (rollup === "stats_code" || rollup === "stats_daily")) continue;
            const viewed = await viewSource.series(rollup, span, min, filter);
            const label = `${rollup} ${span.from}…${span.to} min ${min} ${JSON.stringify(filter)}`;
            expect(await st.series(span, min, { ...filter, repo: ["official"] }, new Date()), label).toEqual(viewed);
            // What the scans read (every key from the store, one app's from the view).
            expect(await storeSource.series(rollup, span, min, filter), label).toEqual(await viewSource.series(rollup, span, min, filter));
          }
        }
        // Every key's totals (the apps table's, the overview's, …) from the store: the range sums', row for row.
        for (const repo of ["official", "all"] as const) {
          const stored = await rangeAll(client, rollup, { ...span, repo }, { sort: "-runs" });
          expect(stored, `${rollup} ${repo} sums ${span.from}…${span.to}`).toEqual(await rangeAllFromSums(client, rollup, { ...span, repo }, "-runs"));
        }
      }
    }
  }

  /** Loads the stores a scan of the range reads (a process warms them in the background; the test waits). */
  async function loadFor(range: Range): Promise<void> {
    const plan = scanPlan(range, now);
    for (const rollup of ["stats_app", "stats_code", "stats_daily"] as const) {
      await store(rollup).series({ from: plan.from, to: plan.to, grain: "day" }, 0, undefined, new Date());
      if (plan.hourly) {
        const span = { ...plan.hourly, grain: "hour" as const };
        await store(rollup, "hour").series(span, 0, undefined, new Date());
        expect(store(rollup, "hour").covers(span), `${rollup} ${span.from}…${span.to}`).toBe(true);
      }
    }
  }

  it("serves recent days and the hours the hourly rollups keep, and leaves older spans to the views", () => {
    expect(SeriesStore.serves({ from: addDays(today, -200), to: today, grain: "day" }, now)).toBe(true);
    expect(SeriesStore.serves({ from: addDays(today, -400), to: today, grain: "day" }, now)).toBe(false);
    expect(SeriesStore.serves({ from: addHours(hour, -23), to: hour, grain: "hour" }, now)).toBe(true);
    expect(SeriesStore.serves({ from: addHours(hour, -STORE_HOURS), to: hour, grain: "hour" }, now)).toBe(true);
    // Hours the hourly rollups may have pruned: their views answer.
    expect(SeriesStore.serves({ from: addHours(hour, -STORE_HOURS - 1), to: hour, grain: "hour" }, now)).toBe(false);
    // PocketBase answers these with nothing (no calendar row): left to it.
    expect(SeriesStore.serves({ from: addDays(today, -5), to: "2041-01-01", grain: "day" }, now)).toBe(false);
    expect(SeriesStore.serves({ from: "2026-02-30", to: today, grain: "day" }, now)).toBe(false);
    expect(SeriesStore.serves({ from: today, to: addDays(today, -1), grain: "day" }, now)).toBe(false);
  });

  it("answers as the series views on the seeded data", async () => {
    await expectSameAsView();
    expect(store("stats_app").stats.viewReads).toBeGreaterThan(0);
  });

  it("answers calls made together after one refresh, and a call made after a write after another", async () => {
    const span: Span = { from: addDays(today, -29), to: today, grain: "day" };
    const st = store("stats_app");
    await st.sums(span, new Date());
    const before = st.stats.refreshes;
    const together = await Promise.all(Array.from({ length: 8 }, () => st.sums(span, new Date())));
    expect(st.stats.refreshes - before, "one refresh for calls made together").toBe(1);
    for (const answer of together) expect(answer).toEqual(together[0]);
    pb.db
      .prepare("INSERT INTO _dev_telemetry_data (id, random_id, type, nsapp, status, created, updated) VALUES ('sstogether00001', 'ss-together', 'lxc', 'docker', 'failed', ?, ?)")
      .run(`${today} 00:00:01.000Z`, `${today} 00:00:01.000Z`);
    const after = await st.sums(span, new Date());
    expect(st.stats.refreshes - before).toBe(2);
    // The run names no repository: it counts as official, and in "all"; the other selections' rows stay.
    const docker = (rows: typeof after, repo: string) => rows.filter((r) => r.key.nsapp === "docker" && r.key.type === "lxc" && r.key.repo === repo).map((r) => r.counts[1]);
    for (const repo of ["official", "all"]) expect(docker(after, repo), repo).toEqual(docker(together[0]!, repo).map((n) => (n ?? 0) + 1));
    for (const repo of ["dev", "fork"]) expect(docker(after, repo), repo).toEqual(docker(together[0]!, repo));
  });

  it("after random inserts, late updates, key changes and deletes, answers as the views, reading only changed rows", async () => {
    const r = rng(2027);
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, type, nsapp, status, os_type, os_version, exit_code, created, updated)
       VALUES (?, ?, ?, ?, ?, 'debian', '12', ?, ?, ?)`,
    );
    const ids = () => (pb.db.prepare("SELECT id FROM _dev_telemetry_data ORDER BY random() LIMIT 40").all() as { id: string }[]).map((x) => x.id);
    const apps = ["docker", "jellyfin", "homeassistant", "pihole", "brand-new-app"];
    await loadFor(presetRange("7d", now)); // the scans below read nothing the stores do not hold
    for (let round = 0; round < 4; round++) {
      const viewReads = store("stats_app").stats.viewReads;
      const changed = store("stats_app").stats.changedRows;
      const hourlyViewReads = store("stats_app", "hour").stats.viewReads;
      const hourlyChanged = store("stats_app", "hour").stats.changedRows;
      pb.db.transaction(() => {
        for (let i = 0; i < 30; i++) {
          // Today, recent days and days far back in the held span (a run reported late).
          const day = addDays(today, -r.pick([0, 0, 0, 1, 1, 2, 5, 17, 33, 39]));
          const created = `${day} ${String(r.int(24)).padStart(2, "0")}:${String(r.int(60)).padStart(2, "0")}:00.000Z`;
          insert.run(
            `ss${round}x${String(i).padStart(10, "0")}`,
            `ss-${round}-${i}`,
            r.pick(["lxc", "vm"]),
            r.pick(apps),
            r.pick(STATUSES),
            r.pick([0, 1, 100, 255]),
            created,
            created,
          );
        }
      })();
      const some = ids();
      const update = pb.db.prepare("UPDATE _dev_telemetry_data SET status = ?, exit_code = ? WHERE id = ?");
      const move = pb.db.prepare("UPDATE _dev_telemetry_data SET nsapp = ? WHERE id = ?");
      const remove = pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE id = ?");
      pb.db.transaction(() => {
        some.slice(0, 20).forEach((id) => update.run(r.pick(STATUSES), r.pick([0, 1, 100]), id));
        some.slice(20, 30).forEach((id) => move.run(r.pick(apps), id));
        some.slice(30).forEach((id) => remove.run(id));
      })();
      await expectSameAsView();
      // The scans through the stores (and the totals they keep between scans) find what a full scan finds.
      const range = presetRange("7d", now);
      await loadFor(range);
      const client = publicClient();
      expect(await findInsights(pocketbaseSource(client, "official"), range, now), `round ${round}`).toEqual(
        await findInsights(pocketbaseSource(client, "official", { store: false }), range, now),
      );
      // The held spans were read once; the rounds read changed rows only.
      expect(store("stats_app").stats.viewReads, `round ${round}`).toBe(viewReads);
      expect(store("stats_app").stats.changedRows).toBeGreaterThan(changed);
      expect(store("stats_app", "hour").stats.viewReads, `round ${round}, hours`).toBe(hourlyViewReads);
      expect(store("stats_app", "hour").stats.changedRows).toBeGreaterThan(hourlyChanged);
    }
    expectRollupsExact(
      pb.db,
      ROLLUPS.filter((s) => s.series),
    );
  });

  it("finds the same regressions and incidents through the store as through a full scan", async () => {
    const client = publicClient();
    for (const range of [presetRange("30d", now), presetRange("7d", now), customRange(addDays(today, -20), addDays(today, -6))]) {
      await loadFor(range);
      // Every selection in turn: a run changes its own selection's key and "all"'s at the same
      // tick, so what the scans keep between calls must tell the selections apart.
      for (const repo of ["official", "all", "dev"] as const) {
        const full = await findInsights(pocketbaseSource(client, repo, { store: false }), withRepo(range, repo), now);
        expect(await findInsights(pocketbaseSource(client, repo), withRepo(range, repo), now), `${range.from} ${repo}`).toEqual(full);
      }
    }
  });

  it("describes regressions as a full scan does while runs in their windows change only their environment", async () => {
    const client = publicClient();
    const range = presetRange("30d", now);
    const described = (await findInsights(pocketbaseSource(client, "official", { store: false }), range, now)).regressions.filter((x) => x.described && !x.incident);
    expect(described.length).toBeGreaterThan(0);
    await loadFor(range);
    await findInsights(pocketbaseSource(client, "official"), range, now); // the windows' totals kept
    const hits = windowMemoStats.hits;
    expect(await findInsights(pocketbaseSource(client, "official"), range, now)).toEqual(await findInsights(pocketbaseSource(client, "official", { store: false }), range, now));
    expect(windowMemoStats.hits, "an unchanged window is not read again").toBeGreaterThan(hits);
    for (const [i, reg] of described.slice(0, 3).entries()) {
      // Runs of the app inside its window change OS, PVE, method, exit code or failing command only (no count of stats_app changes).
      const span = windowSpan(reg);
      const ids = pb.db
        .prepare("SELECT id FROM _dev_telemetry_data WHERE nsapp = ? AND created >= ? AND created < ? AND status = 'failed' ORDER BY random() LIMIT 5")
        .all(reg.nsapp, bucketStart(span.from), bucketStart(nextBucket(span.to))) as { id: string }[];
      expect(ids.length, reg.nsapp).toBeGreaterThan(0);
      const change = [
        "UPDATE _dev_telemetry_data SET os_type = 'alpine', os_version = '3.22' WHERE id = ?",
        "UPDATE _dev_telemetry_data SET pve_version = '7.4.3', method = 'advanced' WHERE id = ?",
        "UPDATE _dev_telemetry_data SET exit_code = 137, fail_line = 3, fail_command = 'apt-get install -y foo' WHERE id = ?",
      ][i % 3]!;
      for (const { id } of ids) pb.db.prepare(change).run(id);
      const full = await findInsights(pocketbaseSource(client, "official", { store: false }), range, now);
      expect(await findInsights(pocketbaseSource(client, "official"), range, now), `${reg.nsapp}: ${change}`).toEqual(full);
    }
  });

  it("keeps a past window's totals of some codes over every app while runs arrive outside it, and reads them again after a change inside", async () => {
    const client = publicClient();
    const filter: KeyFilter = { exit_code: [1, 100, 255] };
    await loadFor(presetRange("30d", now));
    const windows: Span[] = [
      { from: addDays(today, -20), to: addDays(today, -14), grain: "day" },
      { from: addHours(hour, -40), to: addHours(hour, -30), grain: "hour" },
    ];
    for (const [i, span] of windows.entries()) {
      const kept = () => pocketbaseSource(client, "official").totals("stats_app_code", span, filter);
      const full = () => pocketbaseSource(client, "official", { store: false }).totals("stats_app_code", span, filter);
      await kept();
      const hits = windowMemoStats.hits;
      // A failure with one of the codes now, outside the window: the window's rows did not change.
      pb.db
        .prepare("INSERT INTO _dev_telemetry_data (id, random_id, type, nsapp, status, exit_code, created, updated) VALUES (?, ?, 'lxc', 'docker', 'failed', 100, ?, ?)")
        .run(`sswindow${i}000001`, `ss-window-${i}`, new Date().toISOString().replace("T", " "), new Date().toISOString().replace("T", " "));
      expect(await kept(), `${span.from}…${span.to}`).toEqual(await full());
      expect(windowMemoStats.hits, "runs outside the window leave it kept").toBe(hits + 1);
      // A run inside the window, of whichever app, fails with another of the codes: read again.
      const inside = pb.db
        .prepare("SELECT id FROM _dev_telemetry_data WHERE status = 'failed' AND exit_code NOT IN (1, 100, 255) AND created >= ? AND created < ? LIMIT 1")
        .get(bucketStart(span.from), bucketStart(nextBucket(span.to))) as { id: string };
      pb.db.prepare("UPDATE _dev_telemetry_data SET exit_code = 255 WHERE id = ?").run(inside.id);
      const misses = windowMemoStats.misses;
      expect(await kept(), `${span.from}…${span.to}`).toEqual(await full());
      expect(windowMemoStats.misses, "a change inside the window is read").toBe(misses + 1);
    }
  });

  it("starts over when a rollup is rebuilt (rows the rebuild dropped do not linger)", async () => {
    // Deletes leave zero rows behind; the rebuild drops them, so the view no longer lists them.
    pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE id IN (SELECT id FROM _dev_telemetry_data WHERE nsapp = 'brand-new-app')").run();
    await expectSameAsView();
    const restarts = store("stats_app").stats.restarts;
    pb.db.transaction(() => {
      for (const spec of ROLLUPS.filter((s) => s.name === "stats_app" || s.name === "stats_app_hourly")) for (const sql of rebuildSql(spec)) pb.db.prepare(sql).run();
    })();
    await expectSameAsView();
    expect(store("stats_app").stats.restarts).toBe(restarts + 1);
  });
});
