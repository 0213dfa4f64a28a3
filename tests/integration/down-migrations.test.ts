/**
 * `pocketbase migrate down`, one migration at a time through every file of this release, on a
 * PocketBase holding runs. After each step PocketBase starts and takes an installer's run
 * (POST, then PATCH); no rule names a collection that is gone; `npm run rollups -- verify`
 * judges the database by the state it is in now (after the rollups' own down, the previous
 * release's rollups) and finds them exact, also after that run. Up again at the end restores
 * the current state.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROLLUPS } from "../../lib/rollups/spec";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { freePort, migrate, migrateDown, servePocketBase, MIGRATION_FILES, migrationsDirWith } from "../../scripts/lib/pocketbase-server";
import { rollupStatus, verifyRollups } from "../../scripts/lib/rollup-db";
import { installerPost, RECORDS } from "../support/pocketbase";
import { runRollupsCli } from "../../scripts/lib/rollups-cli";
import { expectRollupsExact } from "../support/rollups";
import { collectionExists, expectCurrent } from "../support/upgrade";

interface CollectionRules {
  name: string;
  [rule: string]: string | null;
}

/** Collections a rule names (`@collection.x`, `collectionName = "x"`) that do not exist. */
function danglingRuleReferences(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name, listRule, viewRule, createRule, updateRule, deleteRule FROM _collections").all() as CollectionRules[];
  const names = new Set(rows.map((r) => r.name));
  const dangling: string[] = [];
  for (const row of rows) {
    for (const [rule, text] of Object.entries(row)) {
      if (rule === "name" || !text) continue;
      for (const m of text.matchAll(/@collection\.(\w+)|collectionName\s*=\s*["'](\w+)["']/g)) {
        const target = m[1] ?? m[2]!;
        if (!names.has(target)) dangling.push(`${row.name}.${rule} → ${target}`);
      }
    }
  }
  return dangling;
}

async function installerRun(url: string): Promise<[number, number]> {
  const headers = { "content-type": "application/json" };
  const created = await fetch(`${url}${RECORDS}`, { method: "POST", headers, body: JSON.stringify(installerPost()) });
  const { id } = (await created.json()) as { id: string };
  const patched = await fetch(`${url}${RECORDS}/${id}`, { method: "PATCH", headers, body: JSON.stringify({ status: "failed", exit_code: 100, error: "apt" }) });
  return [created.status, patched.status];
}

describe("migrating down", () => {
  const scratch = mkdtempSync(join(tmpdir(), "pb-down-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("leaves, after every step, a PocketBase that takes installers' runs, rules naming only existing collections, and rollups verify finds exact", {
    timeout: 180_000,
  }, async () => {
    const dataDir = join(scratch, "data");
    const dirs = migrationsDirWith(scratch, "all", MIGRATION_FILES);
    migrate(dataDir, dirs);
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 51, days: 3, runsPerDay: 300, end: new Date() }), { maintainRollups: false });
    const port = await freePort();
    const db = new Database(join(dataDir, "data.db"));
    try {
      const applied = () => (db.prepare("SELECT file FROM _migrations WHERE file IN (SELECT value FROM json_each(?))").all(JSON.stringify(MIGRATION_FILES)) as unknown[]).length;
      for (let left = MIGRATION_FILES.length - 1; left >= 0; left--) {
        const reverted = MIGRATION_FILES[left]!;
        expect(migrateDown(dataDir, 1, migrationsDirWith(scratch, `down-${left}`, MIGRATION_FILES.slice(0, left + 1)))).toContain(`Reverted ${reverted}`);
        expect(applied(), reverted).toBe(left);
        expect(danglingRuleReferences(db), reverted).toEqual([]);

        // The reverted file leaves pb_migrations, or PocketBase applies it again when it starts.
        const remaining = migrationsDirWith(scratch, `kept-${left}`, MIGRATION_FILES.slice(0, left));
        const pb = await servePocketBase(dataDir, port, { quiet: true, dirs: remaining });
        try {
          expect(await installerRun(pb.url), `installer run after reverting ${reverted}`).toEqual([200, 200]);
        } finally {
          await pb.stop();
        }
        expect(applied(), `no file applied again at the start after reverting ${reverted}`).toBe(left);
        // What `npm run rollups -- verify` checks, in this process (each CLI start costs seconds).
        const checks = verifyRollups(db, rollupStatus(db, remaining.migrations));
        expect(
          checks.filter((c) => c.drift.length),
          `verify after reverting ${reverted}`,
        ).toEqual([]);
      }
      expect(collectionExists(db, "telemetry_readers")).toBe(false);
      expect(db.prepare("SELECT listRule, viewRule FROM _collections WHERE name = '_dev_telemetry_data'").get() as object).toEqual({ listRule: null, viewRule: null });

      const verified = await runRollupsCli(["verify", "--dir", dataDir, "--migrations", dirs.migrations]);
      expect([verified.code, verified.output.trim()]).toEqual([0, "no rollups installed: nothing to verify"]);
      migrate(dataDir, dirs);
      expect(applied()).toBe(MIGRATION_FILES.length);
      expectRollupsExact(db, ROLLUPS);
      expectCurrent(db, ROLLUPS);
    } finally {
      db.close();
    }
  });
});
