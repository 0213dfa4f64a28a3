/**
 * The benchmark's table of the views today's runs brought (issue 15): install time (every app
 * from the range sums, beside the percentile view it replaced; one app from the view), install time by factor, scripts in testing, hardware and platform, failing commands —
 * each through the data layer against the benchmark's PocketBase, first call then p50/p95. Run
 * at 1 M and at 10 M, the ratio of the two p95s says whether a view stays flat as the runs grow
 * (issue 15: ≤ 1.5×). Per-app views read docker, the busiest app of the generated data.
 */
import { queryAllDurations, queryAllDurationsFromView, queryAppDurations } from "../../lib/data/queries/durations";
import { queryAppDurationFactors } from "../../lib/data/queries/duration-factors";
import { queryFailingCommands } from "../../lib/data/queries/failing-commands";
import { queryAppHardware, queryHardware } from "../../lib/data/queries/hardware";
import { queryTestingScripts } from "../../lib/data/queries/testing";
import { presetRange, withRepo } from "../../lib/range";
import { label, queryTimingLines } from "./insights-bench";

const APP = "docker";

export async function viewQueryLines(end: Date, iterations: number, log: (msg: string) => void): Promise<string[]> {
  const ranges = [presetRange("30d", end), presetRange("90d", end), presetRange("24h", end)];
  const cases: [string, () => Promise<unknown>][] = ranges.flatMap((r): [string, () => Promise<unknown>][] => [
    [`install time ${label(r)}: p50/p90 per app (official; /apps' column, /api/v1/durations)`, () => queryAllDurations(r)],
    [`install time ${label(r)}: p50/p90 per app (official), percentile view`, () => queryAllDurationsFromView(r)],
    [`install time ${label(r)}: p50/p90 per app, every repository`, () => queryAllDurations(withRepo(r, "all"))],
    [`install time ${label(r)}: ${APP}`, () => queryAppDurations(APP, r)],
    [`install time by factor ${label(r)}: ${APP} (cores, RAM, method, OS; rank-sum tests)`, () => queryAppDurationFactors(APP, r)],
    [`scripts in testing ${label(r)}`, () => queryTestingScripts(r)],
    [`hardware and platform ${label(r)}: all apps`, () => queryHardware(r, null)],
    [`hardware and platform ${label(r)}: ${APP}`, () => queryAppHardware(APP, r)],
    [`failing commands ${label(r)}: ${APP}`, () => queryFailingCommands(APP, r)],
  ]);
  return queryTimingLines("view (issue 15)", cases, iterations, log);
}
