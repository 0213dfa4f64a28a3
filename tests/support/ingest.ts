/** Sending events to POST /telemetry as the scripts do, and reading back what was stored. */
import { runsOf } from "./runs-of";
import type Database from "better-sqlite3";
import { expect } from "vitest";
import { methodLabel, osLabel, pveLabel } from "../../lib/labels";
import type { Range } from "../../lib/range";
import { queryAppDetail } from "../../lib/data/queries/app-detail";

export interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
}

/** POSTs one body (sent as is: a broken heredoc stays broken) to /telemetry. */
export async function postEvent(url: string, body: string): Promise<Answer> {
  const res = await fetch(`${url}/telemetry`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the assertions on `text` say so
  }
  return { status: res.status, text, body: parsed };
}

/** The stored run of one execution (all columns), or undefined. */
export function runOf(db: Database.Database, executionId: string): Record<string, unknown> | undefined {
  return db.prepare("SELECT * FROM _dev_telemetry_data WHERE execution_id = ? AND execution_id != ''").get(executionId) as Record<string, unknown> | undefined;
}

const SUCCESS = "status IN ('sucess','success','done')";

/**
 * One app's page figures through the data layer (rollups) equal SQL over its raw rows in the
 * range: outcomes, exit codes, OS versions, PVE versions and methods.
 */
export async function expectAppFiguresEqualSql(db: Database.Database, nsapp: string, range: Range): Promise<void> {
  const where = `nsapp = @nsapp AND substr(created, 1, ${range.from.length}) BETWEEN @from AND @to`;
  const runs = runsOf(range.repo); // the range's repository selection (official by default)
  const args = { nsapp, from: range.from, to: range.to };
  const totals = db
    .prepare(
      `SELECT COUNT(*) AS runs, COALESCE(SUM(${SUCCESS}), 0) AS success, COALESCE(SUM(status = 'failed'), 0) AS failed, COALESCE(SUM(status = 'aborted'), 0) AS aborted,
         COALESCE(SUM(status = 'installing'), 0) AS installing, COALESCE(SUM(status NOT IN ('sucess','success','done','failed','aborted','installing')), 0) AS unknown
       FROM ${runs} WHERE ${where}`,
    )
    .get(args);
  /** Runs per label of a column's raw values (the labels merge spellings, as the pages do). */
  const group = (columns: string, label: (r: Record<string, string>) => string) => {
    const out: Record<string, number> = {};
    for (const r of db.prepare(`SELECT ${columns}, COUNT(*) AS n FROM ${runs} WHERE ${where} GROUP BY ${columns}`).all(args) as (Record<string, string> & {
      n: number;
    })[]) {
      out[label(r)] = (out[label(r)] ?? 0) + r.n;
    }
    return out;
  };
  const codes = db
    .prepare(`SELECT exit_code, SUM(status = 'failed') AS failed, SUM(status = 'aborted') AS aborted FROM ${runs} WHERE ${where} AND status IN ('failed','aborted') GROUP BY 1`)
    .all(args) as { exit_code: number; failed: number; aborted: number }[];
  const detail = await queryAppDetail(nsapp, range, true); // every exit code, aborts too, as the SQL
  expect(detail.totals).toEqual(totals);
  const byKey = (rows: { key: string; runs: number }[]) => Object.fromEntries(rows.filter((r) => r.runs > 0).map((r) => [r.key, r.runs]));
  expect(byKey(detail.pve)).toEqual(group("pve_version", (r) => pveLabel(r.pve_version)));
  expect(byKey(detail.methods)).toEqual(group("method", (r) => methodLabel(r.method)));
  expect(byKey(detail.os)).toEqual(group("os_type, os_version", (r) => osLabel(r.os_type, r.os_version)));
  expect(new Map(detail.codes.filter((c) => c.failed + c.aborted > 0).map((c) => [c.exit_code, [c.failed, c.aborted]]))).toEqual(
    new Map(codes.map((c) => [c.exit_code, [c.failed, c.aborted]])),
  );
}
