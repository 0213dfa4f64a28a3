/**
 * What the sitemap lists, from the rollups: every app and every exit code active in a range
 * (runs of the app; failed or aborted runs with the code — what /errors/<code> shows), each
 * with the last day it had them (`lastmod`), and the last day with any run.
 *
 *  - Apps: a daily rollup's newest row per key is the one with `valid_until` = OPEN_END
 *    (docs/ROLLUPS.md), so one list returns each key's last day — about one row per app. A
 *    newest row emptied by deletes (rows stay at zero) is looked up again among the key's rows
 *    with counts; the set of apps itself comes from the range view, exact like every figure.
 *  - Exit codes: the per-day rows of `stats_code` with failures or aborts in the range (a few
 *    thousand at most: codes × days).
 *
 * Whether one app or code is in the set (its page's `index`/`noindex`) is asked of that app or
 * code alone, by the same test: the set's reads are ~150 ms of PocketBase's work at 1 M runs
 * (four pages of codes × days) and, cached a minute, were waited for by the first page after
 * every quiet minute. tests/integration/sitemap.test.ts holds both answers equal.
 */
import "server-only";
import type PocketBase from "pocketbase";
import { listAll, publicClient } from "../pocketbase";
import type { Range } from "../../range";
import { OPEN_END } from "../../rollups/spec";
import { rangeAll, repoKeyPart, type StoredCounts } from "./rollup-range";

export interface ActiveSet {
  /** nsapp → last day ("YYYY-MM-DD") with a run of it, for apps with runs in the range. */
  apps: Map<string, string>;
  /** exit code → last day with a failed or aborted run with it, for codes with such runs in the range. */
  codes: Map<number, string>;
  /** The last day with any run in the range, or null when there was none. */
  lastDay: string | null;
}

const ANY_RUN = "(success > 0 || failed > 0 || aborted > 0 || unknown > 0 || installing > 0)";
type AppRow = { nsapp: string; type: string; bucket: string } & StoredCounts;

const hasRuns = (r: StoredCounts) => r.success + r.failed + r.aborted + r.unknown + r.installing > 0;
const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Each (nsapp, type)'s last day with a run, for keys with rows since `from`. */
async function lastAppDays(pb: PocketBase, range: Range): Promise<Map<string, string>> {
  const repo = repoKeyPart("stats_app", range)!;
  const newest = await listAll<AppRow>(pb, "stats_app", {
    filter: pb.filter(`valid_until = {:open} && bucket >= {:from} && ${repo.expr}`, { ...repo.params, open: OPEN_END, from: range.from }),
  });
  const days = new Map<string, string>();
  for (const r of newest) {
    let day: string | undefined = r.bucket;
    if (!hasRuns(r)) {
      // Rare (deletes): one at a time, so a mass delete cannot flood the source gate.
      const res = await pb.collection("stats_app").getList<AppRow>(1, 1, {
        filter: pb.filter(`nsapp = {:nsapp} && type = {:type} && ${repo.expr} && bucket >= {:from} && ${ANY_RUN}`, {
          ...repo.params,
          nsapp: r.nsapp,
          type: r.type,
          from: range.from,
        }),
        sort: "-bucket",
        skipTotal: true,
      });
      day = res.items[0]?.bucket;
    }
    if (day !== undefined && day <= range.to) days.set(`${r.nsapp}\n${r.type}`, day);
  }
  return days;
}

async function activeApps(pb: PocketBase, range: Range): Promise<{ apps: Map<string, string>; lastDay: string | null }> {
  const [keys, days] = await Promise.all([rangeAll(pb, "stats_app", range), lastAppDays(pb, range)]);
  const apps = new Map<string, string>();
  let lastDay: string | null = null;
  for (const k of keys) {
    const day = days.get(`${k.nsapp}\n${k.type}`);
    // Only a range ending before today can miss a key's last day (its newest row lies after the range).
    const shown = day ?? range.to;
    lastDay = later(lastDay ?? undefined, shown);
    apps.set(String(k.nsapp), later(apps.get(String(k.nsapp)), shown));
  }
  return { apps, lastDay };
}

/** `stats_code` days of the range with a failed or aborted run (of one code, when given): the set's test and a page's alike. */
function failedCodeDays(pb: PocketBase, range: Range, code?: number): string {
  const repo = repoKeyPart("stats_code", range)!;
  const one = code === undefined ? "" : "exit_code = {:code} && ";
  return pb.filter(`${one}bucket >= {:from} && bucket <= {:to} && ${repo.expr} && (failed > 0 || aborted > 0)`, { ...repo.params, code, from: range.from, to: range.to });
}

async function activeCodes(pb: PocketBase, range: Range): Promise<Map<number, string>> {
  const rows = await listAll<{ exit_code: number; bucket: string }>(pb, "stats_code", { filter: failedCodeDays(pb, range) });
  const codes = new Map<number, string>();
  for (const r of rows) codes.set(Number(r.exit_code), later(codes.get(Number(r.exit_code)), r.bucket));
  return codes;
}

/** Whether `nsapp` is in queryActiveSet(range).apps: its keys' range sums, through the same reader. */
export async function queryAppActive(nsapp: string, range: Range): Promise<boolean> {
  return (await rangeAll(publicClient(), "stats_app", range, { app: nsapp })).length > 0;
}

/** Whether `code` is in queryActiveSet(range).codes: one of its days in the range with a failed or aborted run. */
export async function queryCodeActive(code: number, range: Range): Promise<boolean> {
  const pb = publicClient();
  const res = await pb.collection("stats_code").getList(1, 1, { filter: failedCodeDays(pb, range, code), fields: "bucket", skipTotal: true });
  return res.items.length > 0;
}

/** Apps and exit codes with runs in a range of days, with their last days. */
export async function queryActiveSet(range: Range): Promise<ActiveSet> {
  const pb = publicClient();
  const [{ apps, lastDay }, codes] = await Promise.all([activeApps(pb, range), activeCodes(pb, range)]);
  return { apps, codes, lastDay };
}
