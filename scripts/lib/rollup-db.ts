/**
 * The operator tools' view of a PocketBase database (`npm run rollups`): which rollup state it
 * is in — that of the newest rollup migration recorded in PocketBase's `_migrations` table,
 * read from the migration files (released files never change, so a checkout's copy is the
 * state the database holds, also after `pocketbase migrate down`) — and which rollup
 * migration a restart would apply next.
 */
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { entryDriftSql } from "../../lib/rollups/entry";
import { previousOfMigration, rollupMigrationFiles, stateOfMigration, switchVersionOf } from "../../lib/rollups/migration";
import type { RollupState } from "../../lib/rollups/state";
import { SHADOW_NAMES } from "../../lib/rollups/shadow";
import { TELEMETRY } from "../../lib/rollups/spec";

/** PocketBase waits 10 s for a lock; the tools wait as long for PocketBase. */
const BUSY_TIMEOUT_MS = 10_000;

/** Opens PocketBase's data.db beside a running PocketBase (WAL: readers and one writer at a time). */
export function openPocketBaseDb(dataDir: string): Database.Database {
  const path = join(dataDir, "data.db");
  if (!existsSync(path)) throw new Error(`no PocketBase database at ${path}`);
  const db = new Database(path, { fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Truncate the WAL back to 64 MB after checkpoints (PocketBase itself: 200 MB).
  db.pragma("journal_size_limit = 67108864");
  return db;
}

export interface RollupMigration {
  file: string;
  source: string;
  state: RollupState;
  previous: RollupState | null;
  /** 0: the file rebuilds changed rollups itself; ≥ 1: it switches in prepared shadows. */
  switchVersion: number;
}

function readMigration(dir: string, file: string): RollupMigration {
  const source = readFileSync(join(dir, file), "utf8");
  return { file, source, state: stateOfMigration(source), previous: previousOfMigration(source), switchVersion: switchVersionOf(source) };
}

export interface RollupStatus {
  /** The newest applied rollup migration (null: no rollups installed). */
  applied: RollupMigration | null;
  /** Rollup migrations in the directory a restart would apply, oldest first. */
  pending: RollupMigration[];
}

export function hasTable(db: Database.Database, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

/** Where the database stands against the rollup migrations in `dir`. */
export function rollupStatus(db: Database.Database, dir: string): RollupStatus {
  if (!hasTable(db, "_migrations") || !hasTable(db, TELEMETRY)) throw new Error(`not a PocketBase database with ${TELEMETRY}: apply the migrations first`);
  const applied = new Set((db.prepare("SELECT file FROM _migrations").all() as { file: string }[]).map((r) => r.file));
  const isRollups = (f: string) => /^\d+_rollups\.js$/.test(f);
  const newestApplied = [...applied].filter(isRollups).sort().at(-1) ?? null;
  const files = rollupMigrationFiles(dir);
  if (newestApplied && !files.includes(newestApplied)) {
    throw new Error(`the database is at ${newestApplied}, which ${dir} does not have: use the checkout (or --migrations dir) of that release or a newer one`);
  }
  return {
    applied: newestApplied ? readMigration(dir, newestApplied) : null,
    pending: files.filter((f) => !applied.has(f)).map((f) => readMigration(dir, f)),
  };
}

/**
 * Every rollup of the state the database is in compared with SQL over the raw rows, and every
 * live shadow prepared for the next rollup migration with that migration's definition: the
 * rows that differ (none: exact).
 */
export function verifyRollups(db: Database.Database, status: RollupStatus): { label: string; drift: unknown[] }[] {
  const checks = (status.applied?.state.rollups ?? []).map((r) => ({ label: r.name, sql: entryDriftSql(r) }));
  const target = status.pending.at(-1);
  if (target && hasTable(db, SHADOW_NAMES.bookkeeping)) {
    const shadows = db.prepare(`SELECT name, tbl FROM ${SHADOW_NAMES.bookkeeping} WHERE live = 1 AND target = ?`).all(target.file) as { name: string; tbl: string }[];
    for (const s of shadows) {
      const entry = target.state.rollups.find((r) => r.name === s.name);
      if (entry) checks.push({ label: `${s.name} (prepared for ${target.file})`, sql: entryDriftSql(entry, s.tbl) });
    }
  }
  return checks.map((c) => ({ label: c.label, drift: db.prepare(c.sql).all() }));
}
