/**
 * One app over a range: totals, outcomes per day (per hour for 24 h), exit codes, OS versions,
 * PVE versions, install methods and resource choices against the script defaults — all from
 * rollups. Its list of runs (raw records) is in runs.ts.
 */
import "server-only";
import { publicClient } from "../pocketbase";
import { toSeries, type SeriesPoint } from "../../buckets";
import { methodLabel, osLabel, pveLabel } from "../../labels";
import type { Range } from "../../range";
import { APPS, type AppRow } from "../../reference/apps";
import { wilson } from "../../stats";
import { applyAbortRule } from "./exit-codes";
import { appSeriesRows, rangeAll, type RangeRow, type StoredCounts } from "./rollup-range";

export interface PointCounts extends StoredCounts, SeriesPoint {}

export interface Breakdown {
  key: string;
  runs: number;
  failed: number;
  success: number;
  failureRate: number | null;
  failureLow: number | null;
  failureHigh: number | null;
}

export interface ResourceChoice {
  /** below / at / above the script default, or "no default" */
  relation: "below" | "default" | "above" | "no default";
  runs: number;
  failed: number;
  success: number;
  failureRate: number | null;
}

/** Runs by how a resource compared with the script's default (does below-default RAM fail more?). */
export interface ResourceComparison {
  resource: "RAM" | "Cores" | "Disk";
  unit: string;
  default: number | null;
  choices: ResourceChoice[];
}

export interface AppDetail {
  nsapp: string;
  catalogue: AppRow[];
  totals: StoredCounts & { runs: number };
  /** One point per bucket of the range, zeros included. */
  series: PointCounts[];
  /** Exit codes, user aborts per the one rule (applyAbortRule in exit-codes.ts). */
  codes: RangeRow<"stats_app_code">[];
  os: Breakdown[];
  pve: Breakdown[];
  methods: Breakdown[];
  resources: ResourceComparison[];
}

/** Sums range-view rows by a key into rows with rates (rates recomputed from the sums). */
export function sumBy<R extends { runs: number; failed: number; success: number }>(rows: R[], key: (r: R) => string): Breakdown[] {
  const acc = new Map<string, { runs: number; failed: number; success: number }>();
  for (const r of rows) {
    const a = acc.get(key(r)) ?? { runs: 0, failed: 0, success: 0 };
    a.runs += r.runs;
    a.failed += r.failed;
    a.success += r.success;
    acc.set(key(r), a);
  }
  return [...acc]
    .map(([k, a]) => {
      const w = wilson(a.failed, a.failed + a.success);
      return { key: k, ...a, failureRate: w?.rate ?? null, failureLow: w?.low ?? null, failureHigh: w?.high ?? null };
    })
    .sort((x, y) => y.runs - x.runs || x.key.localeCompare(y.key));
}

const RESOURCES = [
  { resource: "RAM", unit: "MB", column: "ram_size", defaultOf: (a: AppRow) => a.ramMb },
  { resource: "Cores", unit: "cores", column: "core_count", defaultOf: (a: AppRow) => a.cpu },
  { resource: "Disk", unit: "GB", column: "disk_size", defaultOf: (a: AppRow) => a.diskGb },
] as const;

function relation(value: number, def: number | null): ResourceChoice["relation"] {
  if (def === null || !value) return "no default";
  return value < def ? "below" : value > def ? "above" : "default";
}

type ResourceRow = RangeRow<"stats_app_resources">;

function compareResources(rows: ResourceRow[], catalogue: AppRow[]): ResourceComparison[] {
  return RESOURCES.map(({ resource, unit, column, defaultOf }) => {
    const def = catalogue.map(defaultOf).find((d) => d !== null) ?? null;
    const choices = sumBy(rows, (r) => relation(r[column], def)).map((b) => ({
      relation: b.key as ResourceChoice["relation"],
      runs: b.runs,
      failed: b.failed,
      success: b.success,
      failureRate: b.failureRate,
    }));
    return { resource, unit, default: def, choices };
  });
}

const STORED = ["success", "failed", "aborted", "unknown", "installing"] as const;

/** Totals and the series of one app (stored outcomes per point of the range). */
export async function queryAppSummary(nsapp: string, range: Range, now = new Date()): Promise<Pick<AppDetail, "nsapp" | "catalogue" | "totals" | "series">> {
  const pb = publicClient();
  const [summary, seriesRows] = await Promise.all([rangeAll(pb, "stats_app", range, { app: nsapp }), appSeriesRows(pb, "stats_app", range, nsapp)]);
  const totals = { success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0, runs: 0 };
  for (const r of summary) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
  const series = toSeries(
    range,
    now,
    seriesRows,
    (p): PointCounts => ({ ...p, success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0 }),
    (d, r) => {
      for (const k of STORED) d[k] += r[k];
    },
  );
  return { nsapp, catalogue: APPS.filter((a) => a.nsapp === nsapp), totals, series };
}

/** Exit codes of the app's failed (and with `aborts`, aborted) runs, most failures first; user aborts by the one rule (applyAbortRule). */
export async function queryAppCodes(nsapp: string, range: Range, aborts: boolean): Promise<RangeRow<"stats_app_code">[]> {
  const rows = await rangeAll(publicClient(), "stats_app_code", range, { app: nsapp, sort: "-failed,-aborted,exit_code" });
  return applyAbortRule(
    rows.filter((r) => r.failed > 0 || r.aborted > 0),
    aborts,
  );
}

/** OS versions, PVE versions and install methods of the app's runs (labels from lib/labels.ts). */
export async function queryAppEnvironment(nsapp: string, range: Range): Promise<Pick<AppDetail, "os" | "pve" | "methods">> {
  const pb = publicClient();
  const [os, env] = await Promise.all([rangeAll(pb, "stats_app_os", range, { app: nsapp }), rangeAll(pb, "stats_app_env", range, { app: nsapp })]);
  return {
    os: sumBy(os, (r) => osLabel(r.os_type, r.os_version)),
    pve: sumBy(env, (r) => pveLabel(r.pve_version)),
    methods: sumBy(env, (r) => methodLabel(r.method)),
  };
}

/** Resource choices against the script defaults. */
export async function queryAppResources(nsapp: string, range: Range): Promise<ResourceComparison[]> {
  const rows = await rangeAll(publicClient(), "stats_app_resources", range, { app: nsapp });
  return compareResources(
    rows,
    APPS.filter((a) => a.nsapp === nsapp),
  );
}

/** Everything about one app (the API's answer; `aborts` as on /errors); pages load the parts separately. */
export async function queryAppDetail(nsapp: string, range: Range, aborts: boolean): Promise<AppDetail> {
  const [summary, codes, env, resources] = await Promise.all([
    queryAppSummary(nsapp, range),
    queryAppCodes(nsapp, range, aborts),
    queryAppEnvironment(nsapp, range),
    queryAppResources(nsapp, range),
  ]);
  return { ...summary, codes, ...env, resources };
}
