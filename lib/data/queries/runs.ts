/**
 * One app's install runs in a range, newest first, one page — the only list read from raw
 * records (reader account). Optionally one outcome (the app page shows failed runs by default).
 *
 * What is public about a run (SECURITY.md, /methodology): its start to the minute, outcome,
 * exit code, OS, PVE version and method. Never its record id, session id (`random_id`),
 * error text or resources.
 *
 * Cost stays flat however deep a visitor pages: the total comes from the rollups (no COUNT over
 * raw rows) and, as every list, it serves its first MAX_LIST_ROWS rows (lib/params.ts: an
 * OFFSET into the app's index beyond that would grow with the page); narrower ranges reach
 * older runs.
 */
import "server-only";
import { serverConfig } from "../../config";
import { methodLabel, osLabels, pveLabel } from "../../labels";
import { outcomeFilter, outcomeOf, type Outcome } from "../../outcomes";
import { pageCount } from "../../params";
import { countRecords, publicClient, readerClient } from "../pocketbase";
import { rangeBounds, type Range } from "../../range";
import { TELEMETRY } from "../../rollups/spec";
import { pbTime } from "../../time";
import { rangeAll, repoSourceFilter } from "./rollup-range";

/** One run as the public sees it; environment values are labels (lib/labels.ts), as in every breakdown. */
export interface Run {
  /** Start, UTC, to the minute: "2026-11-22 13:04". */
  started: string;
  outcome: Outcome;
  type: string;
  exitCode: number;
  osType: string;
  osVersion: string;
  pveVersion: string;
  method: string;
}

/** The raw record's fields a run row reads (snake_case, as PocketBase names them). */
interface RunRecord {
  created: string;
  status: string;
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
  /** Runs of this outcome in the range (all pages). */
  totalItems: number;
  /** Pages that can be fetched (pageCount: the first MAX_LIST_ROWS runs). */
  pages: number;
  items: Run[];
}

/** Runs of an outcome in the range, from the rollups (running/unfinished split by one small COUNT). */
async function total(nsapp: string, range: Range, outcome: Outcome | null, cutoff: string): Promise<number> {
  const rows = await rangeAll(publicClient(), "stats_app", range, { app: nsapp });
  const sum = (k: "runs" | "success" | "failed" | "aborted" | "unknown" | "installing") => rows.reduce((n, r) => n + r[k], 0);
  if (outcome === null) return sum("runs");
  if (outcome !== "running" && outcome !== "unfinished") return sum(outcome);
  const pb = await readerClient();
  const { start, end } = rangeBounds(range);
  const from = start > cutoff ? start : cutoff;
  const repo = repoSourceFilter(range.repo);
  const running =
    from >= end
      ? 0
      : await countRecords(
          pb,
          TELEMETRY,
          pb.filter(`nsapp = {:nsapp} && status = {:s} && created >= {:from} && created < {:end}${repo ? ` && ${repo.expr}` : ""}`, {
            ...repo?.params,
            nsapp,
            s: "installing",
            from,
            end,
          }),
        );
  return outcome === "running" ? running : sum("installing") - running;
}

export async function queryRuns(nsapp: string, range: Range, outcome: Outcome | null, page: number, perPage: number, now = new Date()): Promise<RunPage> {
  const cutoff = pbTime(new Date(now.getTime() - serverConfig().unfinishedAfterMs));
  const list = async () => {
    const pb = await readerClient();
    const { start, end } = rangeBounds(range);
    const of = outcome ? outcomeFilter(outcome, cutoff) : null;
    const repo = repoSourceFilter(range.repo);
    const expr = `nsapp = {:nsapp} && created >= {:start} && created < {:end}${of ? ` && ${of.expr}` : ""}${repo ? ` && ${repo.expr}` : ""}`;
    return pb.collection(TELEMETRY).getList<RunRecord>(page, perPage, {
      filter: pb.filter(expr, { ...of?.params, ...repo?.params, nsapp, start, end }),
      sort: "-created",
      fields: "created,status,type,exit_code,os_type,os_version,pve_version,method",
      skipTotal: true,
    });
  };
  // The first page is read beside the total (an app page shows it: one wait, not two); a deeper
  // one only once the total says it exists (a page past the end would make SQLite skip every run).
  const [totalItems, first] = await Promise.all([total(nsapp, range, outcome, cutoff), page === 1 ? list() : null]);
  const pages = pageCount(totalItems, perPage);
  // Past the last page: nothing to read (the API answers 400, the page says so).
  if (page > pages) return { page, perPage, totalItems, pages, items: [] };
  const res = first ?? (await list());
  return {
    page,
    perPage,
    totalItems,
    pages,
    items: res.items.map((r) => {
      const os = osLabels(r.os_type, r.os_version);
      return {
        started: r.created.slice(0, 16),
        outcome: outcomeOf(r.status, r.created, now, serverConfig().unfinishedAfterMs),
        type: r.type,
        exitCode: r.exit_code,
        // The labels every breakdown shows (lib/labels.ts), not the raw spellings.
        osType: os.os,
        osVersion: os.version,
        pveVersion: pveLabel(r.pve_version),
        method: methodLabel(r.method),
      };
    }),
  };
}
