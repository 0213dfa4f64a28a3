/**
 * The sitemap's active set (lib/data/queries/sitemap.ts) equals SQL over the raw records: every app
 * with a run in the last 90 days with its last day, every exit code with a failed or aborted
 * run with its last day — also after deletes leave an app's newest rollup rows at zero, and
 * after an app's every run in the window is deleted. A page's own question (is this app, this
 * code active?) gets the set's answer for every app and code ever seen, and for unknown ones.
 */
import { runsOf } from "../support/runs-of";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryActiveSet, queryAppActive, queryCodeActive } from "../../lib/data/queries/sitemap";
import { presetRange } from "../../lib/range";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

const T = "_dev_telemetry_data";
/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();
const DAY = "substr(created,1,10)";

describe("the sitemap's apps and exit codes", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const range = presetRange("90d", now);

  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 19, days: 120, runsPerDay: 150, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  function truth() {
    const apps = pb.db.prepare(`SELECT nsapp, MAX(${DAY}) AS day FROM ${RUNS} WHERE ${DAY} BETWEEN ? AND ? GROUP BY nsapp`).all(range.from, range.to) as {
      nsapp: string;
      day: string;
    }[];
    const codes = pb.db
      .prepare(`SELECT COALESCE(exit_code, 0) AS code, MAX(${DAY}) AS day FROM ${RUNS} WHERE ${DAY} BETWEEN ? AND ? AND status IN ('failed', 'aborted') GROUP BY 1`)
      .all(range.from, range.to) as { code: number; day: string }[];
    const last = pb.db.prepare(`SELECT MAX(${DAY}) AS day FROM ${RUNS} WHERE ${DAY} BETWEEN ? AND ?`).get(range.from, range.to) as { day: string | null };
    return { apps: new Map(apps.map((a) => [a.nsapp, a.day])), codes: new Map(codes.map((c) => [c.code, c.day])), lastDay: last.day };
  }

  /** queryAppActive / queryCodeActive agree with the set for every app and code in the data, and a few that are not. */
  async function expectOneByOne(want: ReturnType<typeof truth>) {
    const apps = (pb.db.prepare(`SELECT DISTINCT nsapp FROM ${T}`).all() as { nsapp: string }[]).map((a) => a.nsapp);
    const codes = (pb.db.prepare(`SELECT DISTINCT COALESCE(exit_code, 0) AS code FROM ${T}`).all() as { code: number }[]).map((c) => c.code);
    // One at a time: the data layer's gate refuses hundreds of waiting requests (lib/data/gate.ts).
    const gotApps: [string, boolean][] = [];
    for (const a of [...apps, "no-such-app", 'a"b\\c%_']) gotApps.push([a, await queryAppActive(a, range)]);
    const gotCodes: [number, boolean][] = [];
    for (const c of [...codes, 99_999, -1]) gotCodes.push([c, await queryCodeActive(c, range)]);
    expect(
      gotApps
        .filter(([, on]) => on)
        .map(([a]) => a)
        .sort(),
    ).toEqual([...want.apps.keys()].sort());
    expect(
      gotCodes
        .filter(([, on]) => on)
        .map(([c]) => c)
        .sort((a, b) => a - b),
    ).toEqual([...want.codes.keys()].sort((a, b) => a - b));
  }

  it("lists every app and exit code active in 90 days with its last day, not those only seen before", async () => {
    const want = truth();
    const got = await queryActiveSet(range);
    expect(got).toEqual(want);
    const before = pb.db
      .prepare(`SELECT COUNT(DISTINCT nsapp) AS n FROM ${RUNS} WHERE ${DAY} < ? AND nsapp NOT IN (SELECT nsapp FROM ${RUNS} WHERE ${DAY} >= ?)`)
      .get(range.from, range.from) as {
      n: number;
    };
    expect(want.apps.size).toBeGreaterThan(100);
    await expectOneByOne(want);
    console.log(`${want.apps.size} apps, ${want.codes.size} exit codes active; ${before.n} apps seen only before the window`);
  });

  it("stays exact after deletes: an app's newest day emptied, an app's window emptied", async () => {
    const newest = pb.db.prepare(`SELECT nsapp, MAX(${DAY}) AS day FROM ${RUNS} WHERE ${DAY} >= ? GROUP BY nsapp ORDER BY COUNT(*) DESC LIMIT 2`).all(range.from) as {
      nsapp: string;
      day: string;
    }[];
    const [busy, other] = newest as [{ nsapp: string; day: string }, { nsapp: string; day: string }];
    // Deleted through SQL: the triggers keep the rollups exact and leave the emptied rows at zero.
    pb.db.prepare(`DELETE FROM ${T} WHERE nsapp = ? AND ${DAY} = ?`).run(busy.nsapp, busy.day);
    pb.db.prepare(`DELETE FROM ${T} WHERE nsapp = ? AND ${DAY} >= ?`).run(other.nsapp, range.from);
    const want = truth();
    expect(want.apps.get(busy.nsapp)! < busy.day, "the busy app still ran before its emptied day").toBe(true);
    expect(want.apps.has(other.nsapp)).toBe(false);
    expect(await queryActiveSet(range)).toEqual(want);
    await expectOneByOne(want);
  });
});
