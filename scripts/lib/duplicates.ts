/**
 * `npm run rollups -- duplicates [--merge]`: runs stored twice under one random_id. They exist
 * on databases that held them before 1763800000_telemetry.js (which then made the random_id
 * index non-unique); since 1796542301_telemetry_random_id_guard.js a trigger refuses new ones.
 * Merging keeps the most complete row of each random_id and deletes the others through SQL, so
 * the rollup triggers subtract them (the rollups stay exact); then the index becomes unique and
 * the guard trigger goes. Every step is a short write transaction beside a running PocketBase,
 * except the unique index, which SQLite builds in one (measured in docs/ROLLUPS.md).
 *
 * Runs of today's protocol (POST /telemetry, 1796540000_telemetry_ingest.js) have an
 * execution_id, and a retry from the scripts' recovery menu is a new run under the same
 * random_id: only records-API runs (execution_id empty) are duplicates, and the index made
 * unique is the ingest migration's, unique among them. On a database without that column
 * (before the ingest migration, or after its down) every run is a records-API run.
 */
import type Database from "better-sqlite3";
import { TELEMETRY } from "../../lib/rollups/spec";

const INDEX = "idx_telemetry_random_id";
export const GUARD_TRIGGERS = ["telemetry_random_id_unique", "telemetry_random_id_unique_update"];
/** The rows a random_id must be unique among: records-API runs where runs of today's protocol exist. */
function recordsApiRuns(db: Database.Database): { where: string; and: string; index: string } {
  const has = (db.prepare(`SELECT COUNT(*) AS n FROM pragma_table_info('${TELEMETRY}') WHERE name = 'execution_id'`).get() as { n: number }).n > 0;
  return has
    ? { where: "WHERE execution_id = ''", and: "AND t.execution_id = ''", index: `CREATE UNIQUE INDEX ${INDEX} ON ${TELEMETRY} (random_id) WHERE execution_id = ''` }
    : { where: "", and: "", index: `CREATE UNIQUE INDEX ${INDEX} ON ${TELEMETRY} (random_id)` };
}

/** random_ids whose duplicates are deleted per transaction. */
const GROUPS_PER_TX = 200;

export interface DuplicateRow {
  random_id: string;
  id: string;
  status: string;
  created: string;
  updated: string;
  /** 1 for the row a merge keeps. */
  keep: number;
}

/**
 * Every row of every duplicated random_id, the one a merge keeps first: a finished run before
 * one still `installing`, then the row with more of the optional fields filled, then the one
 * updated last (it received the PATCH), then the oldest.
 */
export function duplicateRows(db: Database.Database, limit = -1): DuplicateRow[] {
  const filled = ["os_type", "os_version", "pve_version", "method", "error"].map((c) => `(${c} != '')`).join(" + ");
  const runs = recordsApiRuns(db);
  return db
    .prepare(
      `WITH dup AS (SELECT random_id FROM ${TELEMETRY} ${runs.where} GROUP BY random_id HAVING COUNT(*) > 1 ORDER BY random_id LIMIT ?) ` +
        `SELECT t.random_id, t.id, t.status, t.created, t.updated, ` +
        `ROW_NUMBER() OVER (PARTITION BY t.random_id ORDER BY (t.status = 'installing'), ${filled} DESC, t.updated DESC, t.created, t.id) = 1 AS keep ` +
        `FROM ${TELEMETRY} t JOIN dup USING (random_id) WHERE 1 ${runs.and} ORDER BY t.random_id, keep DESC`,
    )
    .all(limit) as DuplicateRow[];
}

export function countDuplicates(db: Database.Database): { groups: number; extra: number } {
  const { where } = recordsApiRuns(db);
  return db.prepare(`SELECT COUNT(*) AS groups, COALESCE(SUM(n - 1), 0) AS extra FROM (SELECT COUNT(*) AS n FROM ${TELEMETRY} ${where} GROUP BY random_id HAVING n > 1)`).get() as {
    groups: number;
    extra: number;
  };
}

/** Whether the random_id index is unique (null: there is none). */
export function randomIdIndexUnique(db: Database.Database): boolean | null {
  const row = db.prepare(`SELECT "unique" AS u FROM pragma_index_list('${TELEMETRY}') WHERE name = ?`).get(INDEX) as { u: number } | undefined;
  return row ? row.u === 1 : null;
}

/** Deletes all but the kept row of each duplicated random_id; returns how many rows went. */
export function mergeDuplicates(db: Database.Database): number {
  const del = db.prepare(`DELETE FROM ${TELEMETRY} WHERE id = ?`);
  let deleted = 0;
  for (;;) {
    // Chosen again in each transaction: a run PATCHed meanwhile is judged as it is now.
    const n = db
      .transaction(() => {
        const rows = duplicateRows(db, GROUPS_PER_TX).filter((r) => !r.keep);
        for (const r of rows) del.run(r.id);
        return rows.length;
      })
      .immediate();
    if (n === 0) return deleted;
    deleted += n;
  }
}

/**
 * Replaces the non-unique random_id index with a unique one, in the table and in PocketBase's
 * record of the collection (so that PocketBase recreates the unique one when it next rebuilds
 * the collection's indexes), and drops the guard triggers. Refuses while duplicates remain.
 */
export function makeRandomIdUnique(db: Database.Database): { ms: number } {
  const t = performance.now();
  db.transaction(() => {
    const { groups } = countDuplicates(db);
    if (groups > 0) throw new Error(`${groups} random_ids still have duplicates: merge them first (--merge)`);
    const unique = recordsApiRuns(db).index;
    db.exec(`DROP INDEX IF EXISTS ${INDEX}`);
    db.exec(unique);
    const row = db.prepare("SELECT indexes FROM _collections WHERE name = ?").get(TELEMETRY) as { indexes: string };
    const indexes = (JSON.parse(row.indexes) as string[]).map((ix) => (ix.includes(` ${INDEX} `) ? unique : ix));
    db.prepare("UPDATE _collections SET indexes = ? WHERE name = ?").run(JSON.stringify(indexes), TELEMETRY);
    for (const trigger of GUARD_TRIGGERS) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
  }).immediate();
  return { ms: performance.now() - t };
}
