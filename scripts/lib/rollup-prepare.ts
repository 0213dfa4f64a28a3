/**
 * `npm run rollups -- prepare`: builds the rollups the next rollup migration rebuilds while
 * the previous PocketBase keeps serving, so that the restart only switches them in
 * (lib/rollups/shadow.ts has the SQL and the reasoning; docs/ROLLUPS.md the procedure).
 *
 * Locks: the aggregation of the raw rows runs in a read transaction (WAL: PocketBase keeps
 * writing); every write here is a short BEGIN IMMEDIATE transaction — a few thousand rows,
 * tens of milliseconds — during which PocketBase's own writes wait, never fail.
 */
import type Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { definitionKey, rebuildSelect, rebuiltRollups } from "../../lib/rollups/entry";
import { sameState } from "../../lib/rollups/migration";
import type { RollupEntry } from "../../lib/rollups/state";
import {
  dropLogSql,
  dropShadowSql,
  liveTriggersSql,
  loggedColumns,
  logSql,
  replayTriggersSql,
  SHADOW_NAMES,
  SWITCH_VERSION,
  shadowIndexSql,
  shadowTable,
  shadowTableSql,
} from "../../lib/rollups/shadow";
import { hasTable, type RollupMigration, type RollupStatus } from "./rollup-db";

const { bookkeeping, log, replay } = SHADOW_NAMES;
/** Log entries per replay transaction. */
const CHUNK = 5000;
/** Copy transactions aim at this duration: their size adapts (200–20,000 rows). */
const TARGET_WRITE_MS = 100;
/** WAL size (bytes) above which prepare checkpoints and truncates it. */
const WAL_LIMIT = 64 * 1024 * 1024;

export interface PrepareReport {
  target: string;
  rollups: { name: string; rows: number; seconds: number }[];
  /** Changes PocketBase made while the shadows were built, replayed into them. */
  replayed: number;
  /** The longest write transaction of the tool (PocketBase's writes wait at most this long), and what it did. */
  longestWriteMs: number;
  longestWrite: string;
  /** The largest the WAL file got, in bytes, seen after each write. */
  walPeak: number;
  seconds: number;
}

/** What prepare would build for the next restart, or why there is nothing to prepare. */
export function preparePlan(status: RollupStatus): { target: RollupMigration; rollups: RollupEntry[] } | { reason: string } {
  const target = status.pending.at(-1);
  if (!target) return { reason: "nothing to prepare: every rollup migration is applied" };
  if (!status.applied) return { reason: "the rollups are not installed yet: the first restart builds them (README, Install on a production PocketBase)" };
  if (status.pending.length > 1) {
    return {
      reason: `${status.pending.length} rollup migrations are pending (${status.pending.map((m) => m.file).join(", ")}): prepare covers one step — upgrade release by release`,
    };
  }
  if (!sameState(status.applied.state, target.previous)) return { reason: `${target.file} does not start from ${status.applied.file}, the state the database is in` };
  if (target.switchVersion !== SWITCH_VERSION) return { reason: `${target.file} predates prepared upgrades: the restart rebuilds its rollups in one transaction` };
  const rollups = rebuiltRollups(target.previous, target.state);
  if (!rollups.length) return { reason: `nothing to prepare: ${target.file} keeps every rollup` };
  return { target, rollups };
}

export interface PreparedShadow {
  name: string;
  tbl: string;
  target: string;
  rows: number;
  live: number;
}

export function preparedShadows(db: Database.Database): PreparedShadow[] {
  return hasTable(db, bookkeeping) ? (db.prepare(`SELECT name, tbl, target, rows, live FROM ${bookkeeping} ORDER BY name`).all() as PreparedShadow[]) : [];
}

/** Removes everything prepare made (shadows, their triggers, the log); the next rollup migration does the same. */
export function discardPrepared(db: Database.Database): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'`).all(`${SHADOW_NAMES.prefix.replace(/_/g, "\\_")}%`) as {
    name: string;
  }[];
  db.transaction(() => {
    for (const { name } of tables) for (const sql of dropShadowSql(name)) db.exec(sql);
    for (const sql of dropLogSql()) db.exec(sql);
    db.exec(`DROP TABLE IF EXISTS ${bookkeeping}`);
  }).immediate();
  return tables.map((t) => t.name);
}

export function prepareRollups(db: Database.Database, status: RollupStatus, say: (line: string) => void = () => {}): PrepareReport {
  const plan = preparePlan(status);
  if ("reason" in plan) throw new Error(plan.reason);
  const started = performance.now();
  let longestWriteMs = 0;
  let longestWrite = "";
  const wal = `${db.name}-wal`;
  let walPeak = 0;
  /** A write transaction taken at once (never upgraded from a stale read snapshot), timed. */
  const write = (what: string, fn: () => void) => {
    const t = performance.now();
    db.transaction(fn).immediate();
    const ms = performance.now() - t;
    if (ms > longestWriteMs) [longestWriteMs, longestWrite] = [ms, what];
    const walSize = existsSync(wal) ? statSync(wal).size : 0;
    walPeak = Math.max(walPeak, walSize);
    // A serving PocketBase reads all the time: a passive checkpoint rarely finds the moment to
    // start the WAL over, so it would grow by everything written here (a gigabyte at a million
    // rows). This one waits for that moment (PocketBase's writes wait meanwhile) and truncates.
    if (walSize > WAL_LIMIT) {
      const c = performance.now();
      db.pragma("wal_checkpoint(TRUNCATE)");
      if (performance.now() - c > longestWriteMs) [longestWriteMs, longestWrite] = [performance.now() - c, "a checkpoint"];
    }
  };
  discardPrepared(db);
  // The shadows' indexes take random inserts: keep their pages in memory (this connection only).
  db.pragma("cache_size = -131072");
  // As PocketBase does: in WAL mode a crash loses at most the last commits, never consistency
  // (and an interrupted prepare is discarded and run again anyway).
  db.pragma("synchronous = NORMAL");

  const used = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name));
  const shadows = plan.rollups.map((r) => ({ r, table: shadowTable(r.name), indexes: shadowIndexSql(r, shadowTable(r.name), used) }));
  const cols = loggedColumns(plan.rollups);
  write("creating the shadow tables and the change log", () => {
    db.exec(
      `CREATE TABLE ${bookkeeping} (name TEXT PRIMARY KEY, tbl TEXT NOT NULL, target TEXT NOT NULL, definition TEXT NOT NULL, ` +
        `indexes TEXT NOT NULL, snapshot INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0, live INTEGER NOT NULL DEFAULT 0)`,
    );
    for (const sql of logSql(cols)) db.exec(sql);
    const book = db.prepare(`INSERT INTO ${bookkeeping} (name, tbl, target, definition, indexes) VALUES (?, ?, ?, ?, ?)`);
    for (const s of shadows) {
      db.exec(shadowTableSql(s.r, s.table));
      for (const sql of s.indexes.create) db.exec(sql);
      book.run(s.r.name, s.table, plan.target.file, definitionKey(s.r), JSON.stringify(s.indexes.final));
    }
  });
  say(`${plan.target.file}: preparing ${shadows.length} rollups (${shadows.map((s) => s.r.name).join(", ")}); changes are logged meanwhile`);

  const head = db.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM ${log}`).pluck();
  const replayRange = db.prepare(`INSERT INTO ${replay} (op, ${cols.join(", ")}) SELECT op, ${cols.join(", ")} FROM ${log} WHERE seq > ? AND seq <= ? ORDER BY seq`);
  const clearReplay = db.prepare(`DELETE FROM ${replay}`);
  const report: PrepareReport = { target: plan.target.file, rollups: [], replayed: 0, longestWriteMs: 0, longestWrite: "", walPeak: 0, seconds: 0 };

  for (const s of shadows) {
    const t = performance.now();
    const { columns, select } = rebuildSelect(s.r);
    // One read snapshot: every raw row, and the newest logged change, as of one moment.
    db.exec("DROP TABLE IF EXISTS temp._rollup_build");
    db.exec("BEGIN");
    let snapshot: number;
    try {
      snapshot = head.get() as number;
      db.exec(`CREATE TEMP TABLE _rollup_build AS ${select}`);
      db.exec("COMMIT");
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
    const rows = db.prepare("SELECT COALESCE(MAX(rowid), 0) FROM temp._rollup_build").pluck().get() as number;
    const copy = db.prepare(`INSERT INTO ${s.table} (${columns.join(", ")}) SELECT * FROM temp._rollup_build WHERE rowid > ? AND rowid <= ?`);
    for (let done = 0, size = 2000; done < rows; ) {
      const t0 = performance.now();
      write(`copying rows of ${s.r.name}`, () => copy.run(done, done + size));
      done += size;
      size = Math.round(Math.min(20_000, Math.max(200, (size * TARGET_WRITE_MS) / Math.max(1, performance.now() - t0))));
    }
    db.exec("DROP TABLE temp._rollup_build");

    // Catch up with the changes since the snapshot, then go live in the same transaction as
    // the last of them: no change can fall between the log and the shadow's own triggers.
    write(`creating the replay triggers of ${s.r.name}`, () => replayTriggersSql(s.r, s.table).forEach((sql) => db.exec(sql)));
    let applied = snapshot;
    for (;;) {
      const newest = head.get() as number;
      if (newest - applied > CHUNK) {
        write(`replaying changes into ${s.r.name}`, () => {
          replayRange.run(applied, applied + CHUNK);
          clearReplay.run();
        });
        applied += CHUNK;
        continue;
      }
      write(`replaying the last changes into ${s.r.name} and installing its triggers`, () => {
        const last = head.get() as number;
        replayRange.run(applied, last);
        clearReplay.run();
        report.replayed += last - snapshot;
        for (const trigger of [`${s.table}_ri`, `${s.table}_rd`]) db.exec(`DROP TRIGGER ${trigger}`);
        for (const sql of liveTriggersSql(s.r, s.table)) db.exec(sql);
        db.prepare(`UPDATE ${bookkeeping} SET live = 1, snapshot = ?, rows = ? WHERE name = ?`).run(snapshot, rows, s.r.name);
      });
      break;
    }
    report.rollups.push({ name: s.r.name, rows, seconds: (performance.now() - t) / 1000 });
    say(`  ${s.r.name}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - t) / 1000).toFixed(1)} s, live`);
  }
  // Every shadow keeps itself current now: the log is no longer needed.
  write("dropping the change log", () => dropLogSql().forEach((sql) => db.exec(sql)));
  // Table statistics now, beside the server: PocketBase runs PRAGMA optimize after every
  // collection it saves, and the first one, without them, costs the switch a few hundred ms.
  const optimizing = performance.now();
  db.pragma("analysis_limit = 1000"); // approximate statistics: milliseconds, not seconds, of lock
  db.pragma("optimize");
  if (performance.now() - optimizing > longestWriteMs) [longestWriteMs, longestWrite] = [performance.now() - optimizing, "PRAGMA optimize"];
  db.pragma("wal_checkpoint(PASSIVE)");
  report.longestWriteMs = longestWriteMs;
  report.longestWrite = longestWrite;
  report.walPeak = walPeak;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
