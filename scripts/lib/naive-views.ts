/**
 * The naive way, for the benchmark: PocketBase view collections that GROUP BY raw telemetry
 * rows on every request (what the upstream project measured at 0.1–4 s). Each answers the same
 * question as one data-layer query, so the benchmark can check both answers agree.
 */
import PocketBase from "pocketbase";
import type { DayRange } from "../../lib/range";

const OUTCOME_SUMS = `SUM(status IN ('sucess','success','done')) AS success, SUM(status = 'failed') AS failed,
  SUM(status = 'aborted') AS aborted, SUM(status = 'installing') AS installing,
  SUM(status IS NULL OR status NOT IN ('sucess','success','done','failed','aborted','installing')) AS unknown`;

export const NAIVE_VIEWS: Record<string, string> = {
  naive_daily: `SELECT (ROW_NUMBER() OVER ()) AS id, substr(created,1,10) AS day, type, ${OUTCOME_SUMS}
    FROM _dev_telemetry_data GROUP BY day, type`,
  naive_app_daily: `SELECT (ROW_NUMBER() OVER ()) AS id, substr(created,1,10) AS day, nsapp, type, ${OUTCOME_SUMS}
    FROM _dev_telemetry_data GROUP BY day, nsapp, type`,
  naive_code_daily: `SELECT (ROW_NUMBER() OVER ()) AS id, substr(created,1,10) AS day, exit_code,
    SUM(status = 'failed') AS failed, SUM(status = 'aborted') AS aborted
    FROM _dev_telemetry_data WHERE status IN ('failed','aborted') GROUP BY day, exit_code`,
  naive_os_daily: `SELECT (ROW_NUMBER() OVER ()) AS id, substr(created,1,10) AS day, type, os_type, os_version, ${OUTCOME_SUMS}
    FROM _dev_telemetry_data GROUP BY day, type, os_type, os_version`,
};

export async function createNaiveViews(url: string, superuserToken: string): Promise<void> {
  for (const [name, viewQuery] of Object.entries(NAIVE_VIEWS)) {
    const res = await fetch(`${url}/api/collections`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: superuserToken },
      body: JSON.stringify({ name, type: "view", listRule: "", viewRule: "", viewQuery }),
    });
    if (!res.ok) throw new Error(`creating view ${name} failed: ${res.status} ${await res.text()}`);
  }
}

type Row = Record<string, number | string>;

async function rowsInRange(pb: PocketBase, view: string, range: DayRange): Promise<Row[]> {
  const filter = pb.filter("day >= {:from} && day <= {:to}", { from: range.from, to: range.to });
  const out: Row[] = [];
  for (let page = 1; ; page++) {
    const res = await pb.collection(view).getList<Row>(page, 1000, { filter, skipTotal: true });
    out.push(...res.items);
    if (res.items.length < 1000) return out;
  }
}

function client(url: string): PocketBase {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  return pb;
}

/** Sums the naive view's per-day rows into totals per key, as the data layer returns them. */
function sumBy(rows: Row[], key: (r: Row) => string, cols: string[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const k = key(r);
    const acc = out.get(k) ?? Object.fromEntries(cols.map((c) => [c, 0]));
    for (const c of cols) acc[c]! += Number(r[c]);
    out.set(k, acc);
  }
  return out;
}

const COLS = ["success", "failed", "aborted", "unknown", "installing"];

export const naive = {
  daily: async (url: string, range: DayRange) => sumBy(await rowsInRange(client(url), "naive_daily", range), (r) => String(r.day), COLS),
  apps: async (url: string, range: DayRange) =>
    sumBy(await rowsInRange(client(url), "naive_app_daily", range), (r) => `${r.nsapp}/${r.type}`, COLS),
  codes: async (url: string, range: DayRange) =>
    sumBy(await rowsInRange(client(url), "naive_code_daily", range), (r) => String(r.exit_code), ["failed", "aborted"]),
  os: async (url: string, range: DayRange) =>
    sumBy(await rowsInRange(client(url), "naive_os_daily", range), (r) => `${r.type}/${r.os_type}/${r.os_version}`, COLS),
};
