/**
 * `npm run bench:upgrade [-- --records 1000000 --rate 4 --verify]`: what an operator's upgrade
 * costs at scale, while installers report (scripts/lib/installer-client.ts: their retries).
 * Each scenario runs on its own copy of a seeded data dir and its own PocketBase:
 *
 *   install          a hand-made telemetry collection holding the rows gets every migration of
 *                    this release at a restart (the issue's measurement)
 *   install+beside   the same with `pocketbase migrate up` beside the serving PocketBase
 *   restart          this release → a next one that rebuilds every rollup, applied at a restart
 *   prepared+restart the same after `npm run rollups -- prepare`, beside the running server
 *   prepared+beside  the same, the migration applied with `pocketbase migrate up` beside it
 *
 * Printed per scenario: how long PocketBase took no writes (restart: stop → answering) or held
 * them (beside: the migration), the installers' failed tries, lost runs and outcomes and
 * slowest answer, prepare's time and longest write transaction, the database file before and
 * after (and its free pages), and the largest WAL seen. Speed lives here, never in tests.
 */
import Database from "better-sqlite3";
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { nextRollupMigration, rollupState } from "../lib/rollups/migration";
import { insertRows } from "./lib/bulk-insert";
import { generateRows } from "./lib/generate";
import { writeHandmadeMigration } from "./lib/handmade-collection";
import { type ClientReport, startInstallers } from "./lib/installer-client";
import { freePort, MIGRATION_FILES, migrate, migrateBeside, migrationsDirWith, type PocketBaseDirs, servePocketBase } from "./lib/pocketbase-server";
import { runRollupsCli } from "./lib/rollups-cli";

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { values } = parseArgs({ options: { records: { type: "string" }, rate: { type: "string" }, verify: { type: "boolean" }, only: { type: "string" } } });
const records = Number(values.records ?? 1_000_000);
const rate = Number(values.rate ?? 4);
const scratch = mkdtempSync(join(tmpdir(), "bench-upgrade-"));

interface Row {
  scenario: string;
  downMs: number;
  report: ClientReport;
  prepare?: string;
  before: number;
  after: number;
  free: number;
  walPeak: number;
}

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);
function freeBytes(dataDir: string): number {
  const db = new Database(join(dataDir, "data.db"), { readonly: true });
  try {
    return (db.pragma("freelist_count", { simple: true }) as number) * (db.pragma("page_size", { simple: true }) as number);
  } finally {
    db.close();
  }
}

/** The largest the WAL file gets while `fn` runs. */
async function watchWal<T>(dataDir: string, fn: () => Promise<T>): Promise<{ result: T; walPeak: number }> {
  let walPeak = 0;
  const timer = setInterval(() => (walPeak = Math.max(walPeak, fileSize(join(dataDir, "data.db-wal")))), 100);
  try {
    return { result: await fn(), walPeak };
  } finally {
    clearInterval(timer);
  }
}

/** Runs `upgrade` on a copy of `base` served with `from`, installers reporting from before it until after it. */
async function scenario(
  name: string,
  base: string,
  dirs: { from: PocketBaseDirs; to: PocketBaseDirs },
  upgrade: (dataDir: string, restart: (dirs: PocketBaseDirs) => Promise<number>) => Promise<number>,
) {
  const dataDir = join(scratch, name);
  cpSync(base, dataDir, { recursive: true });
  const before = fileSize(join(dataDir, "data.db"));
  const port = await freePort();
  let pb = await servePocketBase(dataDir, port, { quiet: true, dirs: dirs.from });
  const installers = startInstallers(pb.url, { runsPerSecond: rate });
  await sleep(2000);
  const restart = async (dirs: PocketBaseDirs) => {
    const t = Date.now();
    await pb.stop();
    pb = await servePocketBase(dataDir, port, { quiet: true, dirs, startTimeoutMs: 3_600_000 });
    return Date.now() - t;
  };
  const { result: downMs, walPeak } = await watchWal(dataDir, () => upgrade(dataDir, restart));
  await sleep(2000);
  const report = await installers.stop();
  await pb.stop();
  if (values.verify) {
    const verified = await runRollupsCli(["verify", "--dir", dataDir, "--migrations", dirs.to.migrations]);
    if (verified.code !== 0) throw new Error(`${name}: rollups not exact\n${verified.output}`);
  }
  const row: Row = { scenario: name, downMs, report, before, after: fileSize(join(dataDir, "data.db")), free: freeBytes(dataDir), walPeak };
  console.log(`${name}: done (${(downMs / 1000).toFixed(1)} s, ${report.lostRuns} runs lost)`);
  rmSync(dataDir, { recursive: true, force: true });
  return row;
}

async function main() {
  console.log(`bench:upgrade — ${records.toLocaleString("en-US")} records over 90 days, installers at ${rate} runs/s, scratch ${scratch}`);
  const rows = generateRows({ seed: 42, days: 90, runsPerDay: Math.ceil(records / 90), end: new Date() });
  const current = migrationsDirWith(scratch, "current", MIGRATION_FILES);
  // The next release rebuilds every rollup: the SQL of each changes (its row ids' expression), its rows do not.
  const state = rollupState();
  for (const r of state.rollups) {
    const change = (sql: string) => sql.replaceAll("substr(lower(hex(randomblob(8))), 1, 15)", "lower(hex(randomblob(7)))");
    r.rebuild = r.rebuild.map(change);
    r.triggers = r.triggers.map(change);
  }
  const next = migrationsDirWith(scratch, "next", MIGRATION_FILES, nextRollupMigration(current.migrations, state)!);
  const only = values.only?.split(",");
  const want = (name: string) => !only || only.includes(name);
  const results: Row[] = [];

  if (want("install") || want("install+beside")) {
    const handmade = migrationsDirWith(scratch, "handmade", []);
    writeHandmadeMigration(handmade.migrations);
    const installed = migrationsDirWith(scratch, "installed", MIGRATION_FILES);
    writeHandmadeMigration(installed.migrations);
    const base = join(scratch, "base-handmade");
    migrate(base, handmade);
    const t = performance.now();
    insertRows(join(base, "data.db"), generateRows({ seed: 42, days: 90, runsPerDay: Math.ceil(records / 90), end: new Date() }), { maintainRollups: true, batchSize: 50_000 });
    console.log(`seeded the hand-made collection in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    if (want("install")) results.push(await scenario("install", base, { from: handmade, to: installed }, (_dir, restart) => restart(installed)));
    if (want("install+beside")) {
      results.push(
        await scenario("install+beside", base, { from: handmade, to: installed }, async (dataDir) => {
          const t0 = Date.now();
          await migrateBeside(dataDir, installed);
          return Date.now() - t0;
        }),
      );
    }
    rmSync(base, { recursive: true, force: true });
  }

  const base = join(scratch, "base-current");
  migrate(base, current);
  const t = performance.now();
  insertRows(join(base, "data.db"), rows, { maintainRollups: false });
  console.log(`seeded this release in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const prepare = async (dataDir: string) => {
    const out = await runRollupsCli(["prepare", "--dir", dataDir, "--migrations", next.migrations]);
    if (out.code !== 0) throw new Error(out.output);
    const m = /in ([\d.]+) s; (\d+) changes .* longest write transaction (\d+) ms/.exec(out.output);
    return m ? `${m[1]} s, ${m[2]} changes replayed, longest write ${m[3]} ms` : out.output.trim().split("\n").at(-1)!;
  };
  if (want("restart")) results.push(await scenario("restart", base, { from: current, to: next }, (_dir, restart) => restart(next)));
  for (const name of ["prepared+restart", "prepared+beside"].filter(want)) {
    let prepared = "";
    results.push(
      await scenario(name, base, { from: current, to: next }, async (dataDir, restart) => {
        prepared = await prepare(dataDir);
        if (name === "prepared+restart") return restart(next);
        const t0 = Date.now();
        await migrateBeside(dataDir, next);
        return Date.now() - t0;
      }),
    );
    results.at(-1)!.prepare = prepared;
  }

  console.log(
    `\n| scenario | no writes / writes held | runs | failed tries | lost runs | lost outcomes | slowest answer | prepare | data.db before → after | free after | WAL peak |`,
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
  for (const r of results) {
    const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
    console.log(
      `| ${r.scenario} | ${(r.downMs / 1000).toFixed(1)} s | ${r.report.runs} | ${r.report.failedTries} | ${r.report.lostRuns} | ${r.report.lostOutcomes} | ` +
        `${(r.report.slowestMs / 1000).toFixed(1)} s | ${r.prepare ?? "–"} | ${mb(r.before)} → ${mb(r.after)} | ${mb(r.free)} | ${mb(r.walPeak)} |`,
    );
  }
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
