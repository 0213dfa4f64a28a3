/**
 * Install time by factor (lib/duration-factors.ts) for one app over a range and repository
 * selection: the app's range sums of `stats_app_duration_res` (cores, RAM) and
 * `stats_app_duration_env` (method, OS), of the selection's sources and timed successful runs;
 * each factor's histogram summed per value over the other columns — exact.
 * The rollups have no hourly siblings: a 24-hour range reads its two calendar days (UTC).
 */
import "server-only";
import { addRun, coresValue, type DurationFactor, type DurationFactors, durationFactors, type FactorHistograms, methodValue, osValue, ramValue } from "../../duration-factors";
import type { Range } from "../../range";
import { repoSources } from "../../repo";
import { publicClient } from "../pocketbase";
import { rangeAll } from "./rollup-range";

/** The days a range covers: itself, or a 24-hour range's two calendar days. */
export function factorDays(range: Pick<Range, "from" | "to" | "grain" | "repo">): { from: string; to: string; grain: "day"; repo: Range["repo"] } {
  return { from: range.from.slice(0, 10), to: range.to.slice(0, 10), grain: "day", repo: range.repo };
}

export async function queryAppDurationFactors(nsapp: string, range: Range): Promise<DurationFactors & { days: { from: string; to: string } }> {
  const pb = publicClient();
  const days = factorDays(range);
  // The app's keys from its range sums; the selection's sources and timed successful runs picked here.
  const sources = repoSources(range.repo);
  const timed = <R extends { repo_source: string; duration: number; success: number }>(rows: R[]) =>
    rows.filter((r) => r.duration >= 0 && r.success > 0 && (sources === null || sources.includes(r.repo_source)));
  const [res, env] = await Promise.all([rangeAll(pb, "stats_app_duration_res", days, { app: nsapp }), rangeAll(pb, "stats_app_duration_env", days, { app: nsapp })]);
  const h: FactorHistograms = new Map();
  const add = (factor: DurationFactor, value: string, bucket: number, runs: number) => addRun(h, factor, value, bucket, runs);
  for (const r of timed(res)) {
    add("cores", coresValue(r.core_count), r.duration, r.success);
    add("ram", ramValue(r.ram_size), r.duration, r.success);
  }
  for (const r of timed(env)) {
    add("method", methodValue(r.method), r.duration, r.success);
    add("os", osValue(r.os_type, r.os_version), r.duration, r.success);
  }
  return { ...durationFactors(nsapp, h), days: { from: days.from, to: days.to } };
}
