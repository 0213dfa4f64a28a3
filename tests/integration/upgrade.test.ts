/**
 * Upgrades of a PocketBase with data: the previous release's migrations (every file but the
 * newest) run first and rows arrive through their triggers; then every migration runs. The
 * rollups stay exact and the triggers, range views and series views are the current ones. A generated
 * rollup migration (lib/rollups/migration.ts) takes such a database to a changed rollup state
 * and, migrated down, back.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nextRollupMigration, rollupState } from "../../lib/rollups/migration";
import { ROLLUPS } from "../../lib/rollups/spec";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { migrate, migrateDown, MIGRATION_FILES, migrationsDirWith } from "../../scripts/lib/pocketbase-server";
import { expectRollupsExact } from "../support/rollups";
import { CHANGED_ROLLUPS, collectionExists, expectCurrent } from "../support/upgrade";

// A hang guard, not a speed limit: each test runs PocketBase migration processes over generated
// runs (30–40 s alone, 86 s once under CI's parallel load).
describe("upgrades", { timeout: 240_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), "pb-upgrade-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let day = 0;
  /** Runs of one more generated day, through the triggers in place. */
  function addRuns(dataDir: string) {
    const end = new Date(Date.now() - day++ * 86_400_000);
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 100 + day, days: 2, runsPerDay: 400, end }), { maintainRollups: true });
  }
  const migrationsDir = (name: string, files: string[], extra?: { file: string; source: string }) => migrationsDirWith(scratch, name, files, extra);

  it("from the previous release to this one, with data", () => {
    expect(MIGRATION_FILES.length).toBeGreaterThan(2);
    const dataDir = join(scratch, "release-data");
    migrate(dataDir, migrationsDir("previous-release", MIGRATION_FILES.slice(0, -1)));
    addRuns(dataDir);
    migrate(dataDir, migrationsDir("this-release", MIGRATION_FILES));
    addRuns(dataDir);
    const db = new Database(join(dataDir, "data.db"));
    try {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM _migrations WHERE file IN (${MIGRATION_FILES.map(() => "?").join(",")})`).get(...MIGRATION_FILES) as { n: number }).n).toBe(
        MIGRATION_FILES.length,
      );
      expect((db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n).toBeGreaterThan(1000);
      expectRollupsExact(db);
      expectCurrent(db, ROLLUPS);
    } finally {
      db.close();
    }
  });

  it("installs on a production PocketBase that already holds runs, recent ones included", () => {
    const dataDir = join(scratch, "production-data");
    // The telemetry collection exists with rows before the dashboard's rollups are installed.
    migrate(
      dataDir,
      migrationsDir(
        "telemetry-only",
        MIGRATION_FILES.filter((f) => !f.endsWith("_rollups.js")),
      ),
    );
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 77, days: 3, runsPerDay: 3000, end: new Date() }), { maintainRollups: true }); // no rollups yet: plain inserts
    migrate(dataDir, migrationsDir("all", MIGRATION_FILES));
    const db = new Database(join(dataDir, "data.db"));
    try {
      expect((db.prepare("SELECT COUNT(*) AS n FROM stats_app_hourly").get() as { n: number }).n).toBeGreaterThan(0);
      expectRollupsExact(db);
      expectCurrent(db, ROLLUPS);
    } finally {
      db.close();
    }
  });

  // Two migrations with rollup rebuilds: minutes on a loaded 2-core machine; the limit is a hang guard.
  it("derives the failure signature of runs stored before its columns existed (1796800000_failure_signature.js backfill)", () => {
    const dataDir = join(scratch, "signature-data");
    const before = MIGRATION_FILES.filter((f) => f < "1796800000_failure_signature.js");
    migrate(dataDir, migrationsDir("before-signature", before));
    // Rows of both protocols, the failures of today's carrying "| at line L: <command>" (bulk insert leaves out columns the table lacks).
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 91, days: 3, runsPerDay: 1000, end: new Date() }), { maintainRollups: true });
    migrate(dataDir, migrationsDir("with-signature", MIGRATION_FILES));
    const db = new Database(join(dataDir, "data.db"));
    try {
      const rows = db.prepare("SELECT error, fail_line, fail_command FROM _dev_telemetry_data").all() as { error: string; fail_line: number; fail_command: string }[];
      const wrong = rows.filter((r) => {
        const want = signature.signatureColumns(r.error);
        return want.fail_line !== r.fail_line || want.fail_command !== r.fail_command;
      });
      expect(wrong.slice(0, 3)).toEqual([]);
      expect(rows.filter((r) => r.fail_command !== "").length).toBeGreaterThan(50);
      expectRollupsExact(db);
      expectCurrent(db, ROLLUPS);
    } finally {
      db.close();
    }
  });

  it("through a generated rollup migration to a changed state and back", () => {
    const changed = CHANGED_ROLLUPS;
    const dataDir = join(scratch, "changed-data");
    const current = migrationsDir("current", MIGRATION_FILES);
    migrate(dataDir, current);
    addRuns(dataDir);
    const next = nextRollupMigration(current.migrations, rollupState(changed))!;
    const db = new Database(join(dataDir, "data.db"));
    try {
      const appRows = () => db.prepare("SELECT id, success, failed FROM stats_app ORDER BY id").all();
      const before = appRows();
      migrate(dataDir, migrationsDir("next", MIGRATION_FILES, next));
      expectRollupsExact(db, changed);
      expectCurrent(db, changed);
      expect([collectionExists(db, "stats_pve"), collectionExists(db, "stats_pve_range")]).toEqual([false, false]);
      expect((db.prepare("SELECT COUNT(*) AS n FROM stats_ct_type").get() as { n: number }).n).toBeGreaterThan(0);
      expect(appRows()).toEqual(before); // unchanged rollups keep their rows
      addRuns(dataDir);
      expectRollupsExact(db, changed);

      migrateDown(dataDir, 1, migrationsDir("down", MIGRATION_FILES, next));
      expectRollupsExact(db);
      expectCurrent(db, ROLLUPS);
      expect(collectionExists(db, "stats_ct_type")).toBe(false);
      addRuns(dataDir);
      expectRollupsExact(db);
    } finally {
      db.close();
    }
  });
});
