/**
 * One app's install runs in a range, newest first, one page — the only list read from raw
 * records (reader account). Optionally one outcome (the app page shows failed runs by
 * default). Never returns `random_id` or the `error` text (see SECURITY.md).
 */
import "server-only";
import { serverConfig } from "../config";
import { outcomeFilter, outcomeOf, type Outcome } from "../outcomes";
import { readerClient } from "../pocketbase";
import { rangeBounds, type Range } from "../range";
import { TELEMETRY } from "../rollups/spec";
import { pbTime } from "../time";

export interface Run {
  created: string;
  outcome: Outcome;
  type: string;
  exit_code: number;
  os_type: string;
  os_version: string;
  pve_version: string;
  method: string;
}

export interface RunPage {
  page: number;
  perPage: number;
  totalItems: number;
  items: Run[];
}

export async function fetchRuns(nsapp: string, range: Range, outcome: Outcome | null, page: number, perPage: number, now = new Date()): Promise<RunPage> {
  const pb = await readerClient();
  const { start, end } = rangeBounds(range);
  const unfinishedAfterMs = serverConfig().unfinishedAfterMs;
  const of = outcome ? outcomeFilter(outcome, pbTime(new Date(now.getTime() - unfinishedAfterMs))) : null;
  const expr = `nsapp = {:nsapp} && created >= {:start} && created < {:end}${of ? ` && ${of.expr}` : ""}`;
  const res = await pb.collection(TELEMETRY).getList<Omit<Run, "outcome"> & { status: string }>(page, perPage, {
    filter: pb.filter(expr, { ...of?.params, nsapp, start, end }),
    sort: "-created",
    fields: "created,status,type,exit_code,os_type,os_version,pve_version,method",
  });
  return {
    page: res.page,
    perPage: res.perPage,
    totalItems: res.totalItems,
    items: res.items.map(({ status, ...r }) => ({ ...r, outcome: outcomeOf(status, r.created, now, unfinishedAfterMs) })),
  };
}
