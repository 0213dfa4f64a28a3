/**
 * The naive way, for the benchmark: PocketBase view collections that GROUP BY raw telemetry
 * rows on every request (what the upstream project measured at 0.1–4 s). To be fair to it, each
 * view covers one fixed window (the last N UTC days, or the 24 hours from a given hour, as the
 * dashboard's ranges do), groups straight to the answer's keys, and uses the `created` index;
 * one request returns the whole answer. (Custom ranges would need one view per range: the naive
 * way cannot serve them.)
 */
import PocketBase from "pocketbase";
import { DEFAULT_REPO, repoSources } from "../../lib/repo";

const OUTCOME_SUMS = `SUM(status IN ('sucess','success','done')) AS success, SUM(status = 'failed') AS failed,
  SUM(status = 'aborted') AS aborted, SUM(status = 'installing') AS installing,
  SUM(status IS NULL OR status NOT IN ('sucess','success','done','failed','aborted','installing')) AS unknown`;

const OUTCOME_COLS = ["success", "failed", "aborted", "unknown", "installing"];

interface NaiveQuery {
  keys: string[];
  cols: string[];
  where?: string;
}

const QUERIES: Record<string, NaiveQuery> = {
  daily: { keys: ["substr(created,1,10)"], cols: OUTCOME_COLS },
  hourly: { keys: ["substr(created,1,13)"], cols: OUTCOME_COLS },
  apps: { keys: ["nsapp", "type"], cols: OUTCOME_COLS },
  codes: { keys: ["exit_code"], cols: ["failed", "aborted"], where: "status IN ('failed','aborted')" },
  os: { keys: ["type", "os_type", "os_version"], cols: OUTCOME_COLS },
};

export type NaiveName = keyof typeof QUERIES;

/** The runs the dashboard's figures count by default (lib/repo.ts: the official repository and the older protocol's runs): the naive views count the same. */
const DEFAULT_SOURCES = repoSources(DEFAULT_REPO);
const DEFAULT_SELECTION = DEFAULT_SOURCES ? `COALESCE(repo_source, '') IN (${DEFAULT_SOURCES.map((s) => `'${s}'`).join(", ")})` : "";

/** A window of rows: `label` names the views ("30d"), `where` selects the rows. */
export interface NaiveWindow {
  label: string;
  where: string;
}

/**
 * The last `days` UTC days up to `end`'s day (included) — fixed from `end`, not SQLite's clock,
 * so a benchmark that crosses midnight compares the same days as the data layer.
 */
export function lastDays(days: number, end: Date): NaiveWindow {
  const day = (offset: number) => new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + offset)).toISOString().slice(0, 10);
  return { label: `${days}d`, where: `created >= '${day(1 - days)} 00:00:00.000Z' AND created < '${day(1)} 00:00:00.000Z'` };
}

/** The 24 hours from `fromHour` ("YYYY-MM-DD HH"), fixed when the view is made. */
export const dayFromHour = (fromHour: string): NaiveWindow => ({ label: "24h", where: `created >= '${fromHour}:00:00.000Z'` });

function viewName(name: NaiveName, window: string) {
  return `naive_${name}_${window}`;
}

function viewSql(q: NaiveQuery, window: NaiveWindow): string {
  const keys = q.keys.map((k, i) => `${k} AS k${i}`).join(", ");
  const where = [window.where, DEFAULT_SELECTION, q.where].filter(Boolean).join(" AND ");
  return `SELECT (ROW_NUMBER() OVER ()) AS id, ${keys}, ${OUTCOME_SUMS} FROM _dev_telemetry_data WHERE ${where} GROUP BY ${q.keys.map((_, i) => `k${i}`).join(", ")}`;
}

export async function createNaiveViews(url: string, superuserToken: string, windows: NaiveWindow[]): Promise<void> {
  for (const window of windows) {
    for (const [name, q] of Object.entries(QUERIES)) {
      const res = await fetch(`${url}/api/collections`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: superuserToken },
        body: JSON.stringify({ name: viewName(name, window.label), type: "view", listRule: "", viewRule: "", viewQuery: viewSql(q, window) }),
      });
      if (!res.ok) throw new Error(`creating view ${viewName(name, window.label)} failed: ${res.status} ${await res.text()}`);
    }
  }
}

/** The naive answer: totals per key ("k0/k1/…") over a window ("30d", "24h"). */
export async function naiveTotals(url: string, name: NaiveName, window: string): Promise<Map<string, Record<string, number>>> {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  const q = QUERIES[name]!;
  const rows = await pb.collection(viewName(name, window)).getFullList<Record<string, string | number>>({ batch: 1000 });
  return new Map(rows.map((r) => [q.keys.map((_, i) => r[`k${i}`]).join("/"), Object.fromEntries(q.cols.map((c) => [c, Number(r[c])]))]));
}

/** The naive "most failing apps": the view sorted by failures, first `limit` rows. */
export async function naiveMostFailing(url: string, window: string, limit: number): Promise<Map<string, Record<string, number>>> {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  const res = await pb.collection(viewName("apps", window)).getList<Record<string, string | number>>(1, limit, {
    filter: "failed > 0",
    sort: "-failed,k0",
  });
  return new Map(res.items.map((r) => [`${r.k0}/${r.k1}`, { failed: Number(r.failed), runs: OUTCOME_COLS.reduce((a, c) => a + Number(r[c]), 0) }]));
}
