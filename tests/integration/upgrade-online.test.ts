/**
 * The upgrades an operator runs while installers keep reporting. The previous release's
 * PocketBase holds 20 days of runs and serves; installers POST and PATCH through the records
 * API with their retries. This release's files are applied with `pocketbase migrate up` beside
 * the serving PocketBase; then a next release changes the rollups (one removed, one re-keyed,
 * one re-indexed, one new): `npm run rollups -- prepare` builds them beside the running
 * PocketBase while SQL changes old rows too (deletes, re-dated and re-keyed runs), `verify`
 * checks the prepared tables, and `migrate up` switches them in; the server picks up the new
 * collections by itself (pb_data/.notify). No run or outcome is lost, every rollup is exact.
 * How long each step held writes is printed; large-scale figures, and those of a restart,
 * come from `npm run bench:upgrade`.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nextRollupMigration, rollupState } from "../../lib/rollups/migration";
import { ROLLUPS, TELEMETRY } from "../../lib/rollups/spec";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startInstallers } from "../../scripts/lib/installer-client";
import { freePort, migrate, migrateBeside, type RunningPocketBase, servePocketBase, MIGRATION_FILES, migrationsDirWith } from "../../scripts/lib/pocketbase-server";
import { runRollupsCli } from "../../scripts/lib/rollups-cli";
import { expectRollupsExact } from "../support/rollups";
import { CHANGED_ROLLUPS, expectCurrent, prepareArtifacts } from "../support/upgrade";

const TRIES = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (true) or 10 s passed (false). */
async function waitFor(check: () => Promise<boolean>): Promise<boolean> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) if (await check()) return true;
  return false;
}

/**
 * Old rows changed by SQL every few ms (cleanup jobs, corrections): exercises the change log's
 * deletes and updates. Only the history stored before the installers started (`before`, as
 * PocketBase writes `created`): a run an installer is still reporting is theirs to change.
 */
function startChurn(db: Database.Database, before: string) {
  const history = `created < '${before}'`;
  const statements = [
    db.prepare(`DELETE FROM ${TELEMETRY} WHERE id = (SELECT id FROM ${TELEMETRY} WHERE created < datetime('now', '-2 days') AND ${history} ORDER BY random() LIMIT 1)`),
    db.prepare(`UPDATE ${TELEMETRY} SET created = datetime(created, '-3 days') WHERE id = (SELECT id FROM ${TELEMETRY} WHERE ${history} ORDER BY random() LIMIT 1)`),
    db.prepare(
      `UPDATE ${TELEMETRY} SET os_type = 'ubuntu', status = 'unknown' WHERE id = (SELECT id FROM ${TELEMETRY} WHERE status = 'installing' AND ${history} ORDER BY random() LIMIT 1)`,
    ),
  ];
  let n = 0;
  const timer = setInterval(() => statements[n++ % statements.length]!.run(), 20);
  return () => {
    clearInterval(timer);
    return n;
  };
}

const collectionIds = (db: Database.Database, names: string[]) => names.map((n) => (db.prepare("SELECT id FROM _collections WHERE name = ?").get(n) as { id: string }).id);

describe("an upgrade while installers report", () => {
  const scratch = mkdtempSync(join(tmpdir(), "pb-online-"));
  let pb: RunningPocketBase | null = null;
  afterAll(async () => {
    await pb?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("from the previous release to this one, then to a next one that changes rollups, beside the running PocketBase: no write lost, rollups exact", {
    timeout: 180_000,
  }, async () => {
    const dataDir = join(scratch, "data");
    const previous = migrationsDirWith(scratch, "previous", MIGRATION_FILES.slice(0, -1));
    const current = migrationsDirWith(scratch, "current", MIGRATION_FILES);
    migrate(dataDir, previous);
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 31, days: 20, runsPerDay: 800, end: new Date() }), { maintainRollups: false });
    const next = migrationsDirWith(scratch, "next", MIGRATION_FILES, nextRollupMigration(current.migrations, rollupState(CHANGED_ROLLUPS))!);
    const db = new Database(join(dataDir, "data.db"));
    db.pragma("busy_timeout = 10000");
    try {
      const port = await freePort();
      pb = await servePocketBase(dataDir, port, { quiet: true, dirs: previous });
      const installersFrom = new Date().toISOString().replace("T", " ");
      const installers = startInstallers(pb.url, { runsPerSecond: 4 });
      await sleep(500);

      // This release: prepare has nothing to build unless its newest rollup migration is pending.
      const thisRelease = await runRollupsCli(["prepare", "--dir", dataDir, "--migrations", current.migrations]);
      expect(thisRelease.code, thisRelease.output).toBe(0);
      const step1 = Date.now();
      // A try refused as "database is locked" applies nothing and is run again, as the README tells
      // operators; on a loaded 2-core machine (load 9+) five tries in a row were refused once, so
      // the test allows more: what it checks is that no write is lost, not how many tries it took.
      const attempts1 = await migrateBeside(dataDir, current, TRIES);
      const step1Ms = Date.now() - step1;
      expectRollupsExact(db);
      const indexNames = (table: string) =>
        (db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'c' ORDER BY name").all(table) as { name: string }[]).map((r) => r.name);
      // What the next release's switch must keep or alternate (this release may have switched these rollups in too).
      const before = collectionIds(db, ["stats_code_os", "stats_code_os_range"]);
      const namesBefore = { stats_method: indexNames("stats_method"), stats_code_os: indexNames("stats_code_os") };

      // The next release.
      const stopChurn = startChurn(db, installersFrom);
      const prepared = await runRollupsCli(["prepare", "--dir", dataDir, "--migrations", next.migrations]);
      const churned = stopChurn();
      expect(prepared.code, prepared.output).toBe(0);
      expect(prepared.output).toMatch(/prepared 3 rollups .* in .* s/); // stats_method re-keyed, stats_code_os re-indexed, stats_ct_type new
      expect(churned).toBeGreaterThan(10);
      const verified = await runRollupsCli(["verify", "--dir", dataDir, "--migrations", next.migrations]);
      expect(verified.code, verified.output).toBe(0);
      expect(verified.output).toContain("stats_ct_type (prepared for");

      // Copy the files and apply them beside the serving PocketBase; it reloads the changed
      // collections by itself (pb_data/.notify). No restart, so no refused connection.
      const step2 = Date.now();
      const attempts2 = await migrateBeside(dataDir, next, TRIES);
      const step2Ms = Date.now() - step2;
      // The server reloads its collections when it sees the notice (fsnotify, 50 ms debounce).
      const served = await waitFor(async () => (await fetch(`${pb!.url}/api/collections/stats_ct_type_range/records?from=2020-01-01&to=2040-12-31&perPage=1`)).status === 200);
      expect(served, "the new rollup is served without a restart").toBe(true);
      await sleep(1000); // installers go on after the switch
      const report = await installers.stop();
      const failedFor = report.firstFailure === null ? 0 : report.lastFailure! - report.firstFailure;
      console.log(
        `online upgrade: migrate up beside the server ${step1Ms} ms to this release, ${step2Ms} ms to the next (${attempts1 + attempts2} attempts); ` +
          `${report.runs} runs reported, slowest answer ${report.slowestMs} ms, ` +
          `${report.retried} tries failed and were retried (for ${failedFor} ms), ${report.lostRuns} runs and ${report.lostOutcomes} outcomes lost; ${churned} SQL changes during prepare`,
      );
      expect(report.runs).toBeGreaterThan(10);
      expect([report.lostRuns, report.lostOutcomes]).toEqual([0, 0]);
      // Every run the installers were told is stored is there, with its outcome.
      const statuses = new Map(
        (
          db.prepare(`SELECT id, status FROM ${TELEMETRY} WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...report.stored.keys()])) as {
            id: string;
            status: string;
          }[]
        ).map((r) => [r.id, r.status]),
      );
      expect(statuses).toEqual(report.stored);

      expectRollupsExact(db, CHANGED_ROLLUPS);
      expectCurrent(db, CHANGED_ROLLUPS);
      expect(prepareArtifacts(db)).toEqual([]);
      // Switched in, not rebuilt: the rebuilt rollups carry the prepared tables' index names (the
      // other of the two spellings, since the table they replace held the first), and their collections record them.
      const other = (names: string[]) => names.map((n) => (n.endsWith("_s") ? n.slice(0, -2) : `${n}_s`));
      const declared = (table: string) =>
        (JSON.parse((db.prepare("SELECT indexes FROM _collections WHERE name = ?").get(table) as { indexes: string }).indexes) as string[])
          .map((ix) => /INDEX (\w+) ON/.exec(ix)?.[1])
          .sort();
      expect(namesBefore.stats_method).toHaveLength(3);
      expect(indexNames("stats_method")).toEqual(other(namesBefore.stats_method).sort());
      expect(indexNames("stats_code_os")).toEqual([...other(namesBefore.stats_code_os), "idx_stats_code_os_by_os_type"].sort());
      expect(indexNames("stats_ct_type")).toEqual(["idx_stats_ct_type_bucket", "idx_stats_ct_type_in_force", "idx_stats_ct_type_key"]);
      for (const table of ["stats_method", "stats_code_os", "stats_ct_type"]) expect(declared(table)).toEqual(indexNames(table));
      // Same fields and views: the collection and its views stayed (same ids), only the table under them changed.
      expect(collectionIds(db, ["stats_code_os", "stats_code_os_range"])).toEqual(before);
    } finally {
      db.close();
    }
  });

  it("uses no shadow that was built for another definition: the migration rebuilds that rollup from the raw rows", { timeout: 180_000 }, async () => {
    const dataDir = join(scratch, "stale");
    const current = migrationsDirWith(scratch, "stale-current", MIGRATION_FILES);
    migrate(dataDir, current);
    insertRows(join(dataDir, "data.db"), generateRows({ seed: 32, days: 5, runsPerDay: 400, end: new Date() }), { maintainRollups: false });
    const planned = migrationsDirWith(scratch, "planned", MIGRATION_FILES, nextRollupMigration(current.migrations, rollupState(CHANGED_ROLLUPS))!);
    expect((await runRollupsCli(["prepare", "--dir", dataDir, "--migrations", planned.migrations])).code).toBe(0);
    // The release changed once more before it shipped: stats_method keyed by OS version instead.
    const shipped = ROLLUPS.map((s) => (s.name === "stats_method" ? { ...s, dims: [...s.dims, { column: "os_version", source: "os_version", kind: "text" as const }] } : s));
    migrate(dataDir, migrationsDirWith(scratch, "shipped", MIGRATION_FILES, nextRollupMigration(current.migrations, rollupState(shipped))!));
    const db = new Database(join(dataDir, "data.db"));
    try {
      expectRollupsExact(db, shipped);
      expectCurrent(db, shipped);
      expect(prepareArtifacts(db)).toEqual([]);
      expect((db.prepare("SELECT name FROM pragma_index_list('stats_method') WHERE name LIKE '%\\_s' ESCAPE '\\'").all() as unknown[]).length).toBe(0);
    } finally {
      db.close();
    }
  });
});
