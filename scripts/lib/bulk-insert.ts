/**
 * Bulk insert of telemetry rows straight into PocketBase's data.db (PocketBase must not be
 * serving it: it caches nothing about rows, but two writers would fight over the lock).
 *
 * Two ways, both leaving every rollup exact:
 *  - maintainRollups: plain inserts, ~10k rows per transaction; the rollup triggers update the
 *    rollups row by row, exactly as they would for installer traffic. Slow but realistic.
 *  - fast path: one transaction that drops the rollup triggers, inserts, recomputes each rollup
 *    from the raw rows (rebuildSql) and recreates the triggers. Readers never see the table
 *    without triggers or rollups out of step: it all commits at once or not at all.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { stateOfMigration } from "../../lib/rollups/migration";
import type { RollupEntry } from "../../lib/rollups/state";
import { ROLLUPS, TELEMETRY } from "../../lib/rollups/spec";
import { createTriggersSql, dropTriggersSql, rebuildSql } from "../../lib/rollups/sql";
import { TELEMETRY_COLUMNS, type TelemetryRow } from "./telemetry-row";

export type Row = TelemetryRow;

export interface InsertOptions {
  maintainRollups: boolean;
  /** Called after each batch with the number of rows inserted so far. */
  onProgress?: (done: number) => void;
  /** Called when a phase starts ("insert", "rebuild"), for progress output. */
  onPhase?: (phase: "insert" | "rebuild") => void;
  /** Rows per progress step (and per transaction when maintaining rollups). Default 10,000. */
  batchSize?: number;
}

export interface InsertResult {
  rows: number;
  seconds: number;
}

const BUSY_TIMEOUT_MS = 15_000;
/** Page cache for the big insert: the random_id index takes random writes, keep it in memory. */
const CACHE_KIB = 256 * 1024;

/** PocketBase's data.db with the telemetry table, set up for long writes beside a running PocketBase. */
export function openTelemetryDb(dbPath: string): Database.Database {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`cache_size = -${CACHE_KIB}`);
  // WAL is on (PocketBase sets it); NORMAL is durable across app crashes in WAL mode and avoids
  // an fsync per commit.
  db.pragma("synchronous = NORMAL");
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TELEMETRY);
  if (!table) {
    db.close();
    throw new Error(`${dbPath} has no ${TELEMETRY} table: apply the migrations first (scripts/lib/pocketbase-server.ts migrate)`);
  }
  return db;
}

/**
 * The insert for the table as it is: every column of TelemetryRow it has. A database migrated
 * only up to the records-API schema (no execution_id: upgrade tests, older releases) gets the
 * rows the way that protocol stores them — each execution its own session (random_id), the
 * newer columns left out.
 */
export function rowInserter(db: Database.Database) {
  const have = new Set((db.prepare(`PRAGMA table_info(${TELEMETRY})`).all() as { name: string }[]).map((c) => c.name));
  const columns = TELEMETRY_COLUMNS.filter((c) => have.has(c));
  const current = have.has("execution_id");
  const stmt = db.prepare(`INSERT INTO ${TELEMETRY} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
  // Positional parameters in column order; better-sqlite3 binds no booleans (has_arm: 0/1).
  return (r: Row) => {
    const row: Row = current || !r.execution_id ? r : { ...r, random_id: r.execution_id };
    return stmt.run(columns.map((c) => (typeof row[c] === "boolean" ? Number(row[c]) : row[c])));
  };
}

/** Inserts up to `size` rows from the iterator; returns how many it took (0 = exhausted). */
function insertBatch(insert: (r: Row) => unknown, it: Iterator<Row>, size: number): number {
  let n = 0;
  while (n < size) {
    const next = it.next();
    if (next.done) break;
    insert(next.value);
    n++;
  }
  return n;
}

/** Runs `work` in a transaction (BEGIN IMMEDIATE: take the write lock up front, honouring busy_timeout). */
export function inTransaction<T>(db: Database.Database, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

function insertWithTriggers(db: Database.Database, rows: Iterable<Row>, opts: InsertOptions, batch: number): number {
  const insert = rowInserter(db);
  const it = rows[Symbol.iterator]();
  let done = 0;
  opts.onPhase?.("insert");
  for (;;) {
    const n = inTransaction(db, () => insertBatch(insert, it, batch));
    if (n === 0) return done;
    done += n;
    opts.onProgress?.(done);
  }
}

const MIGRATIONS = fileURLToPath(new URL("../../pocketbase/pb_migrations", import.meta.url));

/**
 * The rollups as this database's own release defines them: the state its newest applied rollup
 * migration embeds (a database at an earlier release — an upgrade test's — has that release's
 * rollups, columns and triggers). A database whose newest rollup migration is not in this
 * checkout (a test's synthetic next release) gets this checkout's rollups it has tables for.
 */
function databaseRollups(db: Database.Database): Pick<RollupEntry, "drop" | "rebuild" | "triggers">[] {
  const applied = db.prepare("SELECT file FROM _migrations WHERE file LIKE '%rollups.js' ORDER BY file DESC LIMIT 1").get() as { file: string } | undefined;
  if (applied && existsSync(join(MIGRATIONS, applied.file))) return stateOfMigration(readFileSync(join(MIGRATIONS, applied.file), "utf8")).rollups;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
  return ROLLUPS.filter((spec) => tables.has(spec.name)).map((spec) => ({ drop: dropTriggersSql(spec), rebuild: rebuildSql(spec), triggers: createTriggersSql(spec) }));
}

function insertThenRebuild(db: Database.Database, rows: Iterable<Row>, opts: InsertOptions, batch: number): number {
  const insert = rowInserter(db);
  const it = rows[Symbol.iterator]();
  const rollups = databaseRollups(db);
  return inTransaction(db, () => {
    for (const r of rollups) for (const sql of r.drop) db.exec(sql);
    opts.onPhase?.("insert");
    let done = 0;
    for (let n = insertBatch(insert, it, batch); n > 0; n = insertBatch(insert, it, batch)) {
      done += n;
      opts.onProgress?.(done);
    }
    opts.onPhase?.("rebuild");
    for (const r of rollups) {
      for (const sql of r.rebuild) db.exec(sql);
      for (const sql of r.triggers) db.exec(sql);
    }
    return done;
  });
}

export function insertRows(dbPath: string, rows: Iterable<Row>, opts: InsertOptions): InsertResult {
  const batch = opts.batchSize ?? 10_000;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batchSize must be a positive integer (got ${batch})`);
  const started = performance.now();
  const db = openTelemetryDb(dbPath);
  try {
    const n = opts.maintainRollups ? insertWithTriggers(db, rows, opts, batch) : insertThenRebuild(db, rows, opts, batch);
    return { rows: n, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}
