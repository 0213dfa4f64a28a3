import Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rollupMigrationPath, rollupMigrationSource } from "../../lib/rollups/migration";
import { ROLLUPS } from "../../lib/rollups/spec";
import { createTriggersSql, driftSql, rebuildSql } from "../../lib/rollups/sql";

describe("rollup SQL", () => {
  it("the committed migration is what lib/rollups generates (run npm run gen:migration)", () => {
    expect(readFileSync(rollupMigrationPath, "utf8")).toBe(rollupMigrationSource());
  });

  it("rollup names and dimensions are unique and valid identifiers", () => {
    const names = ROLLUPS.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of ROLLUPS) for (const d of r.dims) expect(d.column).toMatch(/^[a-z_]+$/);
  });

  it("compiles in SQLite and detects a tampered count", () => {
    const db = new Database(":memory:");
    db.exec(`CREATE TABLE _dev_telemetry_data (id TEXT PRIMARY KEY, nsapp TEXT, type TEXT, status TEXT, exit_code NUMERIC,
      os_type TEXT, os_version TEXT, pve_version TEXT, method TEXT, core_count NUMERIC, ram_size NUMERIC, disk_size NUMERIC, created TEXT)`);
    for (const r of ROLLUPS) {
      const dims = r.dims.map((d) => `${d.column} ${d.kind === "text" ? "TEXT" : "NUMERIC"} NOT NULL`).join(", ");
      const counts = ["success", "failed", "aborted", "unknown", "installing"].flatMap((c) => [`${c} INTEGER NOT NULL DEFAULT 0`, `cum_${c} INTEGER NOT NULL DEFAULT 0`]);
      db.exec(`CREATE TABLE ${r.name} (id TEXT PRIMARY KEY, bucket TEXT NOT NULL, valid_until TEXT NOT NULL, ${dims}, ${counts.join(", ")})`);
      createTriggersSql(r).forEach((s) => db.exec(s));
    }
    const ins = db.prepare("INSERT INTO _dev_telemetry_data (id, nsapp, type, status, exit_code, created) VALUES (?, ?, 'lxc', ?, ?, ?)");
    ins.run("a", "docker", "sucess", 0, "2026-11-01 10:00:00.000Z");
    ins.run("b", "docker", "failed", 100, "2026-11-03 10:00:00.000Z");
    ins.run("c", "docker", "installing", 0, "2026-11-02 10:00:00.000Z");
    for (const r of ROLLUPS) expect(db.prepare(driftSql(r)).all()).toEqual([]);
    const app = db.prepare("SELECT bucket, valid_until, success, failed, installing, cum_success, cum_failed, cum_installing FROM stats_app ORDER BY bucket").all();
    expect(app).toEqual([
      { bucket: "2026-11-01", valid_until: "2026-11-02", success: 1, failed: 0, installing: 0, cum_success: 1, cum_failed: 0, cum_installing: 0 },
      { bucket: "2026-11-02", valid_until: "2026-11-03", success: 0, failed: 0, installing: 1, cum_success: 1, cum_failed: 0, cum_installing: 1 },
      { bucket: "2026-11-03", valid_until: "9999-12-31", success: 0, failed: 1, installing: 0, cum_success: 1, cum_failed: 1, cum_installing: 1 },
    ]);
    db.exec("UPDATE stats_app SET cum_failed = 5 WHERE bucket = '2026-11-03'");
    expect(db.prepare(driftSql(ROLLUPS.find((r) => r.name === "stats_app")!)).all()).toHaveLength(1);
    db.exec("UPDATE stats_daily SET failed = 0");
    expect(db.prepare(driftSql(ROLLUPS[0]!)).all().length).toBeGreaterThan(0);
    rebuildSql(ROLLUPS[0]!).forEach((s) => db.exec(s));
    expect(db.prepare(driftSql(ROLLUPS[0]!)).all()).toEqual([]);
  });
});
