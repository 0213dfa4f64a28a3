/**
 * Upgrades of a PocketBase with data: the previous release's migrations (every file but the
 * newest) run first and rows arrive through their triggers; then every migration runs. The
 * rollups stay exact and the triggers, range views and series views are the current ones. A generated
 * rollup migration (lib/rollups/migration.ts) takes such a database to a changed rollup state
 * and, migrated down, back.
 */
import Database from "better-sqlite3";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nextRollupMigration, rollupState } from "../../lib/rollups/migration";
import { RANGE_VIEW_RULE, ROLLUPS, rangeViewName, seriesViewName, type RollupSpec } from "../../lib/rollups/spec";
import { createTriggersSql, rangeViewSql, seriesViewSql } from "../../lib/rollups/sql";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { migrate, migrateDown, POCKETBASE_DIRS } from "../../scripts/lib/pocketbase-server";
import { expectRollupsExact } from "../support/rollups";

const ALL = readdirSync(POCKETBASE_DIRS.migrations)
  .filter((f) => f.endsWith(".js"))
  .sort();

/** The state's rollup triggers and range views are exactly what the database holds. */
function expectCurrent(db: Database.Database, specs: readonly RollupSpec[]) {
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats\\_%' ESCAPE '\\' ORDER BY name").all();
  const want = specs
    .flatMap((s) => createTriggersSql(s))
    .map((sql) => ({ name: /TRIGGER IF NOT EXISTS (\w+)/.exec(sql)![1], sql: sql.replace(" IF NOT EXISTS", "") }))
    .sort((a, b) => a.name!.localeCompare(b.name!));
  expect(triggers).toEqual(want);
  const views = db
    .prepare(
      "SELECT name, listRule AS rule, json_extract(options, '$.viewQuery') AS query FROM _collections WHERE type = 'view' AND name LIKE 'stats\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all();
  const wantViews = specs.flatMap((s) => [
    { name: rangeViewName(s), rule: RANGE_VIEW_RULE, query: rangeViewSql(s) },
    ...(s.series ? [{ name: seriesViewName(s), rule: RANGE_VIEW_RULE, query: seriesViewSql(s) }] : []),
  ]);
  expect(views).toEqual(wantViews.sort((a, b) => a.name.localeCompare(b.name)));
}

const collectionExists = (db: Database.Database, name: string) => !!db.prepare("SELECT 1 FROM _collections WHERE name = ?").get(name);

describe("upgrades", () => {
  const scratch = mkdtempSync(join(tmpdir(), "pb-upgrade-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let day = 0;
  /** Runs of one more generated day, through the triggers in place. */
  function addRuns(dataDir: string) {
    const end = new Date(Date.now() - day++ * 86_400_000);
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 100 + day, days: 2, runsPerDay: 400, end }), { maintainRollups: true });
  }
  function migrationsDir(name: string, files: string[], extra?: { file: string; source: string }) {
    const dir = join(scratch, name);
    mkdirSync(dir);
    for (const f of files) copyFileSync(join(POCKETBASE_DIRS.migrations, f), join(dir, f));
    if (extra) writeFileSync(join(dir, extra.file), extra.source);
    return { migrations: dir, hooks: POCKETBASE_DIRS.hooks };
  }

  it("from the previous release to this one, with data", () => {
    expect(ALL.length).toBeGreaterThan(2);
    const dataDir = join(scratch, "release-data");
    migrate(dataDir, migrationsDir("previous-release", ALL.slice(0, -1)));
    addRuns(dataDir);
    migrate(dataDir, migrationsDir("this-release", ALL));
    addRuns(dataDir);
    const db = new Database(join(dataDir, "data.db"));
    try {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM _migrations WHERE file IN (${ALL.map(() => "?").join(",")})`).get(...ALL) as { n: number }).n).toBe(ALL.length);
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
        ALL.filter((f) => !f.endsWith("_rollups.js")),
      ),
    );
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 77, days: 3, runsPerDay: 3000, end: new Date() }), { maintainRollups: true }); // no rollups yet: plain inserts
    migrate(dataDir, migrationsDir("all", ALL));
    const db = new Database(join(dataDir, "data.db"));
    try {
      expect((db.prepare("SELECT COUNT(*) AS n FROM stats_app_hourly").get() as { n: number }).n).toBeGreaterThan(0);
      expectRollupsExact(db);
      expectCurrent(db, ROLLUPS);
    } finally {
      db.close();
    }
  });

  it("through a generated rollup migration to a changed state and back", () => {
    // Changed: stats_pve removed, stats_method keyed by OS too, a new rollup, a new purpose.
    const changed: RollupSpec[] = [
      ...ROLLUPS.filter((s) => s.name !== "stats_pve").map((s) => {
        if (s.name === "stats_method") return { ...s, dims: [...s.dims, { column: "os_type", source: "os_type", kind: "text" as const }] };
        return s.name === "stats_app" ? { ...s, purpose: "renamed purpose" } : s;
      }),
      { name: "stats_ct_type", grain: "day", dims: [{ column: "ct_type", source: "ct_type", kind: "number" }], purpose: "test rollup" },
    ];
    const dataDir = join(scratch, "changed-data");
    const current = migrationsDir("current", ALL);
    migrate(dataDir, current);
    addRuns(dataDir);
    const next = nextRollupMigration(current.migrations, rollupState(changed))!;
    const db = new Database(join(dataDir, "data.db"));
    try {
      const appRows = () => db.prepare("SELECT id, success, failed FROM stats_app ORDER BY id").all();
      const before = appRows();
      migrate(dataDir, migrationsDir("next", ALL, next));
      expectRollupsExact(db, changed);
      expectCurrent(db, changed);
      expect([collectionExists(db, "stats_pve"), collectionExists(db, "stats_pve_range")]).toEqual([false, false]);
      expect((db.prepare("SELECT COUNT(*) AS n FROM stats_ct_type").get() as { n: number }).n).toBeGreaterThan(0);
      expect(appRows()).toEqual(before); // unchanged rollups keep their rows
      addRuns(dataDir);
      expectRollupsExact(db, changed);

      migrateDown(dataDir, 1, migrationsDir("down", ALL, next));
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
