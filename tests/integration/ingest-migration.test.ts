/**
 * The migration of today's protocol (pocketbase/pb_migrations/1796540000_telemetry_ingest.js)
 * on a database with runs of both protocols: down drops its columns and restores the write
 * rules' state (random_id's index plain when retries share a session), up again brings it back,
 * and the rollups stay exact throughout.
 */
import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateRows } from "../../scripts/lib/generate";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { migrate, migrateDown, POCKETBASE_DIRS } from "../../scripts/lib/pocketbase-server";
import { expectRollupsExactAsMigrated } from "../support/rollups";

const FILE = "1796540000_telemetry_ingest.js";
/** Migrations from this one on: down must take them all back to reach the state before it. */
const FROM_HERE = readdirSync(POCKETBASE_DIRS.migrations).filter((f) => f.endsWith(".js") && f >= FILE).length;

describe("the ingest migration", () => {
  const dir = mkdtempSync(join(tmpdir(), "pb-ingest-migration-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const inspect = () => {
    const db = new Database(join(dir, "data.db"), { readonly: true });
    try {
      const columns = (db.prepare("PRAGMA table_info(_dev_telemetry_data)").all() as { name: string }[]).map((c) => c.name);
      const indexes = db
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '_dev_telemetry_data' AND name LIKE 'idx_telemetry_%' ORDER BY name")
        .all() as {
        name: string;
        sql: string;
      }[];
      const rules = db.prepare("SELECT createRule, updateRule FROM _collections WHERE name = '_dev_telemetry_data'").get() as { createRule: string; updateRule: string };
      const settings = JSON.parse(db.prepare("SELECT value FROM _params WHERE id = 'settings'").pluck().get() as string) as { rateLimits: { rules: { label: string }[] } };
      const rows = (db.prepare("SELECT COUNT(*) AS n FROM _dev_telemetry_data").get() as { n: number }).n;
      const sharedSessions = db.prepare("SELECT COUNT(*) FROM (SELECT 1 FROM _dev_telemetry_data GROUP BY random_id HAVING COUNT(*) > 1)").pluck().get() as number;
      expectRollupsExactAsMigrated(db);
      return { columns, indexes: Object.fromEntries(indexes.map((i) => [i.name, i.sql])), rules, limits: settings.rateLimits.rules.map((r) => r.label), rows, sharedSessions };
    } finally {
      db.close();
    }
  };

  it("goes down to the write rules' state and up again, with runs of both protocols", () => {
    migrate(dir);
    // 25 days (a fixed end: the same runs every time): records-API runs, and runs of today's protocol with retries sharing a session.
    insertRows(join(dir, "data.db"), generateRows({ seed: 61, days: 25, runsPerDay: 100, end: new Date("2026-11-30T12:00:00Z") }), { maintainRollups: false });
    const up = inspect();
    expect(up.sharedSessions).toBeGreaterThan(0); // the generated retries this test is about
    expect(up.columns).toEqual(expect.arrayContaining(["execution_id", "phase", "install_duration", "repo_slug", "has_arm"]));
    expect(up.indexes.idx_telemetry_execution_id).toMatch(/UNIQUE INDEX .* WHERE execution_id != ''/);
    expect(up.indexes.idx_telemetry_random_id).toMatch(/UNIQUE INDEX .* WHERE execution_id = ''/);
    expect(up.rules.updateRule).toContain("@request.body.execution_id:isset = false");
    expect(up.rules.createRule).toContain("@request.body.repo_slug:isset = false");
    expect(up.limits).toContain("POST /telemetry");

    migrateDown(dir, FROM_HERE);
    const down = inspect();
    expect(down.rows).toBe(up.rows);
    expect(down.columns).not.toContain("execution_id");
    expect(down.columns).not.toContain("phase");
    expect(down.indexes.idx_telemetry_execution_id).toBeUndefined();
    // Retries share their session: random_id cannot be unique any more.
    expect(down.indexes.idx_telemetry_random_id).toMatch(/^CREATE INDEX/);
    expect(down.rules.createRule).toBe('@request.body.id:isset = false && @request.body.status = "installing"');
    expect(down.rules.updateRule).not.toContain("execution_id");
    expect(down.limits).not.toContain("POST /telemetry");

    migrate(dir);
    const again = inspect();
    expect(again.columns).toEqual(up.columns);
    // The retries' sessions now look like records-API runs sharing a random_id: the index stays plain.
    expect(again.indexes.idx_telemetry_random_id).toMatch(/^CREATE INDEX/);
    expect(again.indexes.idx_telemetry_execution_id).toBe(up.indexes.idx_telemetry_execution_id);
    expect(again.rules).toEqual(up.rules);
  }, 240_000); // three PocketBase migration runs, each a process of its own
});
