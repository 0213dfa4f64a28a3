/**
 * Hardware and platform (lib/hardware.ts) over a range: per dimension (GPU passthrough, GPU
 * vendor, CPU vendor, architecture, platform) each value's runs, share of the runs, outcomes and
 * failure rate with its Wilson interval and n (decided runs). One app reads `stats_app_hardware`
 * (one key per combination of the five it saw), all apps `stats_hardware`: the range views'
 * totals summed per value — exact, every stored run counted once per dimension, the older
 * protocol's as "not reported".
 */
import "server-only";
import { HARDWARE_DIMENSIONS, type HardwareDimension, NOT_REPORTED } from "../../hardware";
import type { Range } from "../../range";
import type { RunType } from "../../run-type";
import { wilson } from "../../stats";
import { publicClient } from "../pocketbase";
import { rangeAll, type StoredCounts } from "./rollup-range";

export interface HardwareValue extends StoredCounts {
  dimension: HardwareDimension;
  /** Normalised value; "" = not reported (the older protocol, or a run that did not send it). */
  value: string;
  runs: number;
  /** Of all runs in the range (not reported included): a dimension's shares sum to 1. */
  share: number;
  /** success + failed: the n of the failure rate and its interval. */
  decided: number;
  failure_rate: number | null;
  failure_low: number | null;
  failure_high: number | null;
}

export interface HardwareBreakdown {
  /** The app, or null over all apps. */
  nsapp: string | null;
  runs: number;
  /** Per dimension: reported values by runs (most first), "not reported" last. */
  values: HardwareValue[];
}

type Row = StoredCounts & Record<HardwareDimension, string>;
const OUTCOMES = ["success", "failed", "aborted", "unknown", "installing"] as const;

/** Sums rollup rows per (dimension, value); pure (tests feed it rows). */
export function hardwareBreakdown(nsapp: string | null, rows: readonly Row[]): HardwareBreakdown {
  const sums = new Map<string, HardwareValue>();
  let runs = 0;
  for (const r of rows) {
    const n = OUTCOMES.reduce((a, o) => a + r[o], 0);
    runs += n;
    for (const dimension of HARDWARE_DIMENSIONS) {
      const value = r[dimension] ?? NOT_REPORTED;
      const id = `${dimension}\n${value}`;
      const v = sums.get(id) ?? {
        dimension,
        value,
        runs: 0,
        share: 0,
        decided: 0,
        failure_rate: null,
        failure_low: null,
        failure_high: null,
        success: 0,
        failed: 0,
        aborted: 0,
        unknown: 0,
        installing: 0,
      };
      for (const o of OUTCOMES) v[o] += r[o];
      v.runs += n;
      sums.set(id, v);
    }
  }
  const values = [...sums.values()]
    .filter((v) => v.runs > 0)
    .map((v) => {
      const decided = v.success + v.failed;
      const w = wilson(v.failed, decided);
      return { ...v, share: runs ? v.runs / runs : 0, decided, failure_rate: w?.rate ?? null, failure_low: w?.low ?? null, failure_high: w?.high ?? null };
    });
  const order = (v: HardwareValue) => HARDWARE_DIMENSIONS.indexOf(v.dimension);
  values.sort(
    (a, b) => order(a) - order(b) || Number(a.value === NOT_REPORTED) - Number(b.value === NOT_REPORTED) || b.runs - a.runs || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  return { nsapp, runs, values };
}

/** One app's runs by hardware and platform. */
export async function queryAppHardware(nsapp: string, range: Pick<Range, "from" | "to" | "grain" | "repo">): Promise<HardwareBreakdown> {
  const rows = await rangeAll(publicClient(), "stats_app_hardware", range, { app: nsapp });
  return hardwareBreakdown(nsapp, rows);
}

/** Every app's runs by hardware and platform, of one install type or all. */
export async function queryHardware(range: Pick<Range, "from" | "to" | "grain" | "repo">, type: RunType | null): Promise<HardwareBreakdown> {
  const filter = type ? { expr: "type = {:type}", params: { type } } : undefined;
  return hardwareBreakdown(null, await rangeAll(publicClient(), "stats_hardware", range, { filter }));
}
