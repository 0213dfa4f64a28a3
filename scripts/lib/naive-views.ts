/**
 * The naive way, for the benchmark: PocketBase view collections that GROUP BY raw telemetry
 * rows on every request (what the upstream project measured at 0.1–4 s). To be fair to it, each
 * view covers one fixed window (the last N UTC days, as the dashboard's ranges do), groups
 * straight to the answer's keys, and uses the `created` index; one request returns the whole
 * answer. (Custom ranges would need one view per range: the naive way cannot serve them.)
 */
import PocketBase from "pocketbase";

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
  apps: { keys: ["nsapp", "type"], cols: OUTCOME_COLS },
  codes: { keys: ["exit_code"], cols: ["failed", "aborted"], where: "status IN ('failed','aborted')" },
  os: { keys: ["type", "os_type", "os_version"], cols: OUTCOME_COLS },
};

export type NaiveName = keyof typeof QUERIES;

function viewName(name: NaiveName, days: number) {
  return `naive_${name}_${days}d`;
}

function viewSql(q: NaiveQuery, days: number): string {
  const keys = q.keys.map((k, i) => `${k} AS k${i}`).join(", ");
  const where = [`created >= date('now', '-${days - 1} days')`, q.where].filter(Boolean).join(" AND ");
  return `SELECT (ROW_NUMBER() OVER ()) AS id, ${keys}, ${OUTCOME_SUMS} FROM _dev_telemetry_data WHERE ${where} GROUP BY ${q.keys.map((_, i) => `k${i}`).join(", ")}`;
}

export async function createNaiveViews(url: string, superuserToken: string, windows: number[]): Promise<void> {
  for (const days of windows) {
    for (const [name, q] of Object.entries(QUERIES)) {
      const res = await fetch(`${url}/api/collections`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: superuserToken },
        body: JSON.stringify({ name: viewName(name, days), type: "view", listRule: "", viewRule: "", viewQuery: viewSql(q, days) }),
      });
      if (!res.ok) throw new Error(`creating view ${viewName(name, days)} failed: ${res.status} ${await res.text()}`);
    }
  }
}

/** The naive answer: totals per key ("k0/k1/…") for the last `days` days. */
export async function naiveTotals(url: string, name: NaiveName, days: number): Promise<Map<string, Record<string, number>>> {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  const q = QUERIES[name]!;
  const rows = await pb.collection(viewName(name, days)).getFullList<Record<string, string | number>>({ batch: 1000 });
  return new Map(rows.map((r) => [q.keys.map((_, i) => r[`k${i}`]).join("/"), Object.fromEntries(q.cols.map((c) => [c, Number(r[c])]))]));
}

/** The naive "most failing apps": the view sorted by failures, first `limit` rows. */
export async function naiveMostFailing(url: string, days: number, limit: number): Promise<Map<string, Record<string, number>>> {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  const res = await pb.collection(viewName("apps", days)).getList<Record<string, string | number>>(1, limit, {
    filter: "failed > 0",
    sort: "-failed,k0",
  });
  return new Map(res.items.map((r) => [`${r.k0}/${r.k1}`, { failed: Number(r.failed), runs: OUTCOME_COLS.reduce((a, c) => a + Number(r[c]), 0) }]));
}
