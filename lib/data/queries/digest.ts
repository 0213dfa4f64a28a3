/**
 * The weekly digest's counts: every app's runs, failures and decided runs in a calendar week
 * and in the week before, from the apps rollup's range view (two reads; an app listed under
 * two install types is one app). Uncached, like every lib/data/queries function.
 */
import "server-only";
import type { AppWeekCounts, WeekCounts } from "../../insights/digest";
import { publicClient } from "../pocketbase";
import { FIRST_DAY, previousRange, type Range, withRepo } from "../../range";
import type { Repo } from "../../repo";
import { weekRange } from "../../week";
import { rangeAll, type RangeRow } from "./rollup-range";

function perApp(rows: readonly RangeRow<"stats_app">[]): Map<string, WeekCounts> {
  const out = new Map<string, WeekCounts>();
  for (const r of rows) {
    const nsapp = r.nsapp;
    const c = out.get(nsapp) ?? { runs: 0, failed: 0, decided: 0 };
    c.runs += r.runs;
    c.failed += r.failed;
    c.decided += r.success + r.failed;
    out.set(nsapp, c);
  }
  return out;
}

/** Every app with runs in the week starting `monday` or in the week before, sorted by name. */
export async function queryWeekCounts(monday: string, repo: Repo): Promise<AppWeekCounts[]> {
  const pb = publicClient();
  const week = withRepo(weekRange(monday), repo);
  const before: Range = previousRange(week);
  // The calendar starts on a Wednesday: the first week's "week before" is its last two days.
  if (before.from < FIRST_DAY) before.from = FIRST_DAY;
  const [current, previous] = (await Promise.all([rangeAll(pb, "stats_app", week), rangeAll(pb, "stats_app", before)])).map(perApp) as [
    Map<string, WeekCounts>,
    Map<string, WeekCounts>,
  ];
  const zero: WeekCounts = { runs: 0, failed: 0, decided: 0 };
  return [...new Set([...current.keys(), ...previous.keys()])]
    .sort((a, b) => a.localeCompare(b))
    .map((nsapp) => ({ nsapp, current: current.get(nsapp) ?? zero, previous: previous.get(nsapp) ?? zero }));
}
