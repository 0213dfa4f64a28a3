/**
 * Install time per app over a range, for a repository selection: n, p50 and p90 of successful
 * runs and of failures, from the rollup's range sums (every app's, or one app's keys alone),
 * folded into histograms here (queryAllDurations says why). The percentile view of
 * `stats_app_duration` (lib/rollups/percentile-sql.ts) answers the same, one record per app: the
 * benchmark's comparison.
 */
import "server-only";
import type PocketBase from "pocketbase";
import { type AppDurations, type DurationSummary, NO_DURATION, summarize } from "../../durations";
import { listAll, publicClient } from "../pocketbase";
import type { Range } from "../../range";
import { repoSources } from "../../repo";
import { addDays } from "../../time";
import { rollupTable } from "../../rollups/spec";
import { type FilterPart, rangeSums } from "./rollup-range";

interface PctRecord {
  nsapp: string;
  success_n: number;
  success_p50: number;
  success_p90: number;
  failed_n: number;
  failed_p50: number;
  failed_p90: number;
}

function viewName(range: Pick<Range, "grain">): string {
  return `${rollupTable("stats_app_duration", range.grain)}_pct`;
}

// PocketBase serialises NULL numbers as 0: without runs the percentiles are unknown, not 0 s.
function toDurations(r: PctRecord): AppDurations {
  const side = (n: number, p50: number, p90: number): DurationSummary => (n > 0 ? { n, p50, p90 } : { n: 0, p50: null, p90: null });
  return { nsapp: r.nsapp, success: side(r.success_n, r.success_p50, r.success_p90), failed: side(r.failed_n, r.failed_p50, r.failed_p90) };
}

function options(pb: PocketBase, range: Pick<Range, "from" | "to" | "repo">, filter?: FilterPart, sort?: string) {
  const parts = ["repo = {:repo}", "(success_n > 0 || failed_n > 0)", ...(filter ? [`(${filter.expr})`] : [])];
  return { filter: pb.filter(parts.join(" && "), { ...filter?.params, repo: range.repo }), sort, query: { from: range.from, to: range.to } };
}

/** Successful and failed runs per duration bucket (lib/durations.ts histograms). */
type Hists = { success: Map<number, number>; failed: Map<number, number> };
const newHists = (): Hists => ({ success: new Map(), failed: new Map() });

/** A duration key's bucket when its runs count for the selection (timed, of one of its sources), else null. */
function timedBucket(sources: ReadonlySet<string> | null, source: unknown, bucket: unknown): number | null {
  const duration = Number(bucket);
  return duration <= NO_DURATION || (sources !== null && !sources.has(String(source ?? ""))) ? null : duration;
}

/** Adds a key's successes and failures to the histograms, in its duration bucket. */
function addCounts(h: Hists, duration: number, success: number, failed: number): void {
  for (const [side, n] of [
    [h.success, success],
    [h.failed, failed],
  ] as const) {
    if (n !== 0) side.set(duration, (side.get(duration) ?? 0) + n);
  }
}

/** The repository selection's stored sources as a set; null: every source. */
function sourceSet(repo: Range["repo"]): ReadonlySet<string> | null {
  const sources = repoSources(repo);
  return sources === null ? null : new Set(sources);
}

/** One app's install time (zeros when it has no run with a duration in the range): its keys' range sums, folded. */
export async function queryAppDurations(nsapp: string, range: Range): Promise<AppDurations> {
  return (await durationsFromSums(range, nsapp))[0] ?? { nsapp, success: summarize(new Map()), failed: summarize(new Map()) };
}

/**
 * One app's install time over consecutive ranges of days (a trend's points: each starts the day
 * after the one before ends), from one read: the app's running totals at the day before the
 * first and at each range's last day (the hook's `steps`, lib/rollups/sums-sql.ts appStepsSql),
 * each range's counts the difference of two — what queryAppDurations reads for each range.
 * Ranges that are not consecutive days are read one by one.
 */
export async function queryAppDurationSteps(nsapp: string, ranges: readonly Range[]): Promise<AppDurations[]> {
  const first = ranges[0];
  const consecutive = ranges.every((r, i) => r.grain === "day" && r.repo === first?.repo && r.from <= r.to && (i === 0 || r.from === addDays(ranges[i - 1]!.to, 1)));
  if (!first || !consecutive || ranges.length > STEPS_MAX) return Promise.all(ranges.map((r) => queryAppDurations(nsapp, r)));
  const days = [addDays(first.from, -1), ...ranges.map((r) => r.to)];
  const sources = sourceSet(first.repo);
  const hists = ranges.map(newHists);
  // [nsapp, repo_source, duration, [[i, cum success, cum failed, …], …]] (lib/rollups/spec.ts), nulls before the key's first row
  const rows = await publicClient().send<[string, string, number, (number | null)[][]][]>("/api/rollups/stats_app_duration/steps", { query: { days: days.join(","), nsapp } });
  for (const [, source, bucket, steps] of rows) {
    const duration = timedBucket(sources, source, bucket);
    if (duration === null) continue;
    const cum: number[][] = [];
    for (const [i, ...counts] of steps) cum[Number(i)] = counts.map((n) => Number(n ?? 0));
    const at = (j: number, c: number) => cum[j]?.[c] ?? 0;
    for (const [j, h] of hists.entries()) addCounts(h, duration, at(j + 1, 0) - at(j, 0), at(j + 1, 1) - at(j, 1));
  }
  return hists.map((h) => ({ nsapp, success: summarize(h.success), failed: summarize(h.failed) }));
}
/** The most ranges read in one request of steps (the hook takes 64 days). */
const STEPS_MAX = 63;

/** Above this many names one read of every app is cheaper than a read per app. */
const PER_APP_MAX = 30;
/** Reads per app in flight at once (the source gate queues the rest; lib/data/gate.ts). */
const PER_APP_PARALLEL = 4;

/**
 * Install time of the apps named (the rows of a page of the apps table; null: every app), by
 * app. A few named apps are read one request each (each app's keys: two index seeks per key).
 */
export async function queryDurationsOf(nsapps: readonly string[] | null, range: Range): Promise<Map<string, AppDurations>> {
  const out = new Map<string, AppDurations>();
  const names = nsapps === null ? null : [...new Set(nsapps)];
  if (names === null || names.length > PER_APP_MAX) {
    const wanted = names === null ? null : new Set(names);
    for (const d of await queryAllDurations(range)) if (!wanted || wanted.has(d.nsapp)) out.set(d.nsapp, d);
    return out;
  }
  for (let i = 0; i < names.length; i += PER_APP_PARALLEL) {
    const found = await Promise.all(names.slice(i, i + PER_APP_PARALLEL).map((nsapp) => durationsFromSums(range, nsapp)));
    for (const d of found.flat()) out.set(d.nsapp, d);
  }
  return out;
}

/**
 * Every app with a timed run in the range, for a repository selection: one read of the duration
 * rollup's range sums (every app × repository × duration bucket, ~38,000 keys at 1 M runs),
 * folded into each app's histograms here. The percentile view (queryAllDurationsFromView)
 * answers the same but picks the percentiles with window functions inside PocketBase: 0.7 s at
 * 1 M runs against 0.3 s for this (docs/ROLLUPS.md "Install time of every app"). Percentiles by
 * lib/durations.ts, the view's nearest rank.
 */
export async function queryAllDurations(range: Range): Promise<AppDurations[]> {
  return durationsFromSums(range);
}

/** Every app's install time from the range sums (of `app` only when given: its keys alone), apps without a timed run left out. */
async function durationsFromSums(range: Range, app?: string): Promise<AppDurations[]> {
  const sources = sourceSet(range.repo);
  const apps = new Map<string, Hists>();
  for (const row of await rangeSums(publicClient(), "stats_app_duration", range, app)) {
    // [nsapp, repo_source, duration, success, failed, aborted, unknown, installing] (lib/rollups/spec.ts)
    const [nsapp, source, bucket, success, failed] = row;
    const duration = timedBucket(sources, source, bucket);
    if (duration === null) continue;
    const name = String(nsapp ?? "");
    const hist = apps.get(name) ?? newHists();
    apps.set(name, hist);
    addCounts(hist, duration, Number(success), Number(failed));
  }
  return [...apps].flatMap(([nsapp, h]) => {
    const d = { nsapp, success: summarize(h.success), failed: summarize(h.failed) };
    return d.success.n > 0 || d.failed.n > 0 ? [d] : [];
  });
}

/** The same from the percentile view (the benchmark's comparison; one record per app). */
export async function queryAllDurationsFromView(range: Range): Promise<AppDurations[]> {
  const pb = publicClient();
  return (await listAll<PctRecord>(pb, viewName(range), options(pb, range))).map(toDurations);
}
