/**
 * The weekly digest's counts (lib/data/queries/digest.ts) equal SQL over the raw records for a
 * calendar week and the week before, with runs on either side of the weeks' edges (Sunday
 * 23:59:59.999 and Monday 00:00 UTC) in the week they started in.
 */
import { runsOf } from "../support/runs-of";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryWeekCounts } from "../../lib/data/queries/digest";
import { addDays } from "../../lib/time";
import { lastCompleteWeek, shiftWeek, type Week } from "../../lib/week";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

const EDGE = "digest-edge";

describe("weekly digest counts", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const week = lastCompleteWeek(now);
  const before = shiftWeek(week.monday, -1);

  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 7, days: 21, runsPerDay: 300, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
    // Through SQL, so the triggers keep the rollups (a past `created` cannot be POSTed).
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, type, ct_type, nsapp, status, exit_code, created, updated) VALUES (?, ?, 'lxc', 1, ?, ?, ?, ?, ?)`,
    );
    const edges: [string, string][] = [
      [`${addDays(before.monday, -1)} 23:59:59.999Z`, "failed"], // the Sunday before both weeks: in neither
      [`${before.sunday} 23:59:59.999Z`, "failed"], // last instant of the week before
      [`${week.monday} 00:00:00.000Z`, "sucess"], // first instant of the week
      [`${week.sunday} 23:59:59.999Z`, "failed"], // last instant of the week
      [`${addDays(week.sunday, 1)} 00:00:00.000Z`, "sucess"], // the week after
      [`${week.sunday} 12:00:00.000Z`, "aborted"], // a run, but no verdict
    ];
    for (const [i, [created, status]] of edges.entries())
      insert.run(`edge${String(i).padStart(11, "0")}`, `edge-${i}`, EDGE, status, status === "failed" ? 100 : 0, created, created);
  });
  afterAll(async () => pb?.stop());

  function sqlWeek(w: Week) {
    const rows = pb.db
      .prepare(
        `SELECT nsapp, COUNT(*) AS runs, SUM(status='failed') AS failed, SUM(status IN ('sucess','success','done','failed')) AS decided
         FROM ${runsOf()} WHERE substr(created,1,10) BETWEEN ? AND ? GROUP BY nsapp`,
      )
      .all(w.monday, w.sunday) as { nsapp: string; runs: number; failed: number; decided: number }[];
    return new Map(rows.map((r) => [r.nsapp, { runs: r.runs, failed: r.failed, decided: r.decided }]));
  }

  it("counts every app's runs, failures and decided runs in the week and the week before exactly as SQL does", async () => {
    const got = await queryWeekCounts(week.monday, "official");
    const current = sqlWeek(week);
    const previous = sqlWeek(before);
    expect(got.length).toBeGreaterThan(50);
    const zero = { runs: 0, failed: 0, decided: 0 };
    expect(new Map(got.map((a) => [a.nsapp, a.current]))).toEqual(new Map(got.map((a) => [a.nsapp, current.get(a.nsapp) ?? zero])));
    expect(new Map(got.map((a) => [a.nsapp, a.previous]))).toEqual(new Map(got.map((a) => [a.nsapp, previous.get(a.nsapp) ?? zero])));
    expect(new Set(got.map((a) => a.nsapp))).toEqual(new Set([...current.keys(), ...previous.keys()]));
  });

  it("puts a run at the weeks' edges in the week its start falls in", async () => {
    const edge = (await queryWeekCounts(week.monday, "official")).find((a) => a.nsapp === EDGE);
    expect(edge).toEqual({ nsapp: EDGE, current: { runs: 3, failed: 1, decided: 2 }, previous: { runs: 1, failed: 1, decided: 1 } });
  });
});
