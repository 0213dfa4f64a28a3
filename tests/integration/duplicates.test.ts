/**
 * A production PocketBase whose telemetry collection was made by hand long ago and holds runs
 * stored twice under one random_id (an installer's repeated POST): the dashboard's migrations
 * can only give it a plain random_id index; new duplicates are refused all the same (the guard
 * migration's triggers), and `npm run rollups -- duplicates --merge`, run beside the serving
 * PocketBase, keeps the most complete row of each, makes the index unique and drops the guard
 * — with every rollup exact throughout.
 */
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TELEMETRY } from "../../lib/rollups/spec";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { GUARD_TRIGGERS } from "../../scripts/lib/duplicates";
import { generateRows } from "../../scripts/lib/generate";
import { writeHandmadeMigration } from "../../scripts/lib/handmade-collection";
import { freePort, migrate, type RunningPocketBase, servePocketBase, MIGRATION_FILES, migrationsDirWith } from "../../scripts/lib/pocketbase-server";
import { INGEST_COLUMNS_EMPTY } from "../../scripts/lib/telemetry-row";
import { installerPost, RECORDS } from "../support/pocketbase";
import { runRollupsCli } from "../../scripts/lib/rollups-cli";
import { expectRollupsExact } from "../support/rollups";

const post = (url: string, body: object) => fetch(`${url}${RECORDS}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("duplicate random_ids on a hand-made collection", () => {
  const scratch = mkdtempSync(join(tmpdir(), "pb-duplicates-"));
  let pb: RunningPocketBase | null = null;
  afterAll(async () => {
    await pb?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("refuses new duplicates, merges the old ones keeping the most complete row, then has a unique index; rollups exact", { timeout: 180_000 }, async () => {
    const dataDir = join(scratch, "data");
    const handmade = migrationsDirWith(scratch, "handmade", []);
    writeHandmadeMigration(handmade.migrations);
    migrate(dataDir, handmade);
    // An operator's collection from before the install: records-API runs only, one random_id
    // each (the generator's recent days are today's protocol, whose retries share a random_id).
    const rows = [...generateRows({ seed: 41, days: 4, runsPerDay: 500, end: new Date() })].map((r) => ({
      ...r,
      ...INGEST_COLUMNS_EMPTY,
      random_id: r.execution_id || r.random_id,
      status: r.status === "success" ? ("sucess" as const) : r.status,
    }));
    // 40 runs POSTed twice: the copy a second later, never finished.
    const copies = rows
      .slice(0, 40)
      .map((r, i) => ({ ...r, id: `dup${String(i).padStart(12, "0")}`, status: "installing" as const, exit_code: 0, error: "", created: r.created.replace(/\.\d{3}Z$/, ".999Z") }));
    insertRows(join(dataDir, "data.db"), [...rows, ...copies], { maintainRollups: true });

    const all = migrationsDirWith(scratch, "all", MIGRATION_FILES);
    writeHandmadeMigration(all.migrations);
    migrate(dataDir, all);
    const db = new Database(join(dataDir, "data.db"));
    db.pragma("busy_timeout = 10000");
    try {
      const triggers = () =>
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'telemetry\\_random\\_id%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map(
          (t) => t.name,
        );
      const indexSql = () => (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'idx_telemetry_random_id'").get() as { sql: string }).sql;
      expect(indexSql()).toMatch(/^CREATE INDEX/);
      expect(triggers()).toEqual(GUARD_TRIGGERS);
      expectRollupsExact(db);

      pb = await servePocketBase(dataDir, await freePort(), { quiet: true, dirs: all });
      const first = installerPost({ random_id: rows[100]!.random_id });
      expect((await post(pb.url, first)).status).toBe(400); // stored already: refused
      expect((await post(pb.url, installerPost())).status).toBe(200);
      expect(() => db.prepare(`INSERT INTO ${TELEMETRY} (id, random_id, nsapp, status) VALUES ('sqlcopy00000001', ?, 'docker', 'installing')`).run(rows[101]!.random_id)).toThrow(
        /random_id must be unique/,
      );

      // A retry of today's protocol is a new run under the same random_id, with its own
      // execution_id: neither refused nor a duplicate.
      const retry = () => db.prepare(`SELECT COUNT(*) AS n FROM ${TELEMETRY} WHERE id = 'retry0000000001'`).get();
      db.prepare(`INSERT INTO ${TELEMETRY} (id, random_id, execution_id, nsapp, status) VALUES ('retry0000000001', ?, 'exec-retry-1', 'docker', 'installing')`).run(
        rows[102]!.random_id,
      );

      const listed = await runRollupsCli(["duplicates", "--dir", dataDir]);
      expect(listed.code, listed.output).toBe(1);
      expect(listed.output).toContain("40 random_ids are stored more than once (40 extra rows)");

      const merged = await runRollupsCli(["duplicates", "--merge", "--dir", dataDir]);
      expect(merged.code, merged.output).toBe(0);
      expect(merged.output).toContain("deleted 40 duplicate rows");
      // The finished run of each pair stayed, the never-finished copy went.
      const kept = db
        .prepare(`SELECT id FROM ${TELEMETRY} WHERE random_id IN (SELECT value FROM json_each(?)) ORDER BY id`)
        .all(JSON.stringify(copies.map((c) => c.random_id))) as { id: string }[];
      expect(kept.map((k) => k.id)).toEqual(
        rows
          .slice(0, 40)
          .map((r) => r.id)
          .sort(),
      );
      expect(indexSql()).toMatch(/^CREATE UNIQUE INDEX/);
      expect(triggers()).toEqual([]);
      const declared = JSON.parse((db.prepare("SELECT indexes FROM _collections WHERE name = ?").get(TELEMETRY) as { indexes: string }).indexes) as string[];
      expect(declared).toContain(`CREATE UNIQUE INDEX idx_telemetry_random_id ON ${TELEMETRY} (random_id) WHERE execution_id = ''`);
      expect(retry()).toEqual({ n: 1 });
      expectRollupsExact(db);

      expect((await post(pb.url, installerPost({ random_id: rows[200]!.random_id }))).status).toBe(400); // now the index refuses it
      expect((await post(pb.url, installerPost({ random_id: randomUUID() }))).status).toBe(200);
      const clean = await runRollupsCli(["duplicates", "--dir", dataDir]);
      expect([clean.code, clean.output.split("\n")[0]]).toEqual([0, "0 random_ids are stored more than once (0 extra rows)"]);
    } finally {
      db.close();
    }
  });
});
