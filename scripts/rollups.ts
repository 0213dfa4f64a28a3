/**
 * `npm run rollups -- <command> --dir <pocketbase data dir> [--migrations <dir>]`: the operator's
 * rollup tools (README, "Rebuild and verify the rollups"; docs/ROLLUPS.md). They open pb_data's
 * data.db directly, beside a running PocketBase, and judge it by the state it is in: the newest
 * rollup migration it has applied, read from --migrations (default: this checkout's
 * pocketbase/pb_migrations, which holds every released file).
 *
 *   status      the rollup state, what the next restart applies, prepared shadows, duplicates
 *   verify      compares every rollup (and prepared shadow) with SQL over the raw rows; exit 1 on drift
 *   prepare     builds what the next rollup migration rebuilds while PocketBase serves
 *   discard     removes what prepare built
 *   rebuild     recomputes every rollup and reinstalls its triggers in one transaction
 *   duplicates  lists runs stored twice under one random_id; --merge resolves them
 */
import { parseArgs } from "node:util";
import { countDuplicates, duplicateRows, makeRandomIdUnique, mergeDuplicates, randomIdIndexUnique } from "./lib/duplicates";
import { POCKETBASE_DIRS } from "./lib/pocketbase-server";
import { openPocketBaseDb, type RollupStatus, rollupStatus, verifyRollups } from "./lib/rollup-db";
import { discardPrepared, preparedShadows, preparePlan, prepareRollups } from "./lib/rollup-prepare";

const USAGE = `usage: npm run rollups -- status|verify|prepare|discard|rebuild|duplicates [--merge] --dir <pocketbase data dir> [--migrations <dir>]

Needs Node.js >= 20.9 and this checkout after \`npm ci\` (better-sqlite3, tsx), on the machine
that holds pb_data (the database is opened directly; PocketBase may keep running).`;

type Db = ReturnType<typeof openPocketBaseDb>;

function printStatus(status: RollupStatus, db: Db): void {
  console.log(`rollup state: ${status.applied ? status.applied.file : "none (no rollup migration applied)"}`);
  console.log(`next restart applies: ${status.pending.length ? status.pending.map((m) => m.file).join(", ") : "no rollup migration"}`);
  const plan = preparePlan(status);
  console.log("reason" in plan ? `prepare: ${plan.reason}` : `prepare: would build ${plan.rollups.map((r) => r.name).join(", ")} for ${plan.target.file}`);
  for (const s of preparedShadows(db)) console.log(`  prepared ${s.name} for ${s.target}: ${s.live ? `live, ${s.rows.toLocaleString("en-US")} rows` : "incomplete"}`);
  const dup = countDuplicates(db);
  console.log(`random_id index: ${randomIdIndexUnique(db) ? "unique" : "not unique"}; duplicated random_ids: ${dup.groups} (${dup.extra} extra rows)`);
}

function verify(status: RollupStatus, db: Db): number {
  if (!status.applied) {
    console.log("no rollups installed: nothing to verify");
    return 0;
  }
  console.log(`rollup state ${status.applied.file}:`);
  const checks = verifyRollups(db, status);
  for (const c of checks) {
    console.log(`  ${c.label}: ${c.drift.length === 0 ? "exact" : `${c.drift.length} rows differ`}`);
    if (c.drift.length) console.log(c.drift.slice(0, 5));
  }
  return checks.every((c) => c.drift.length === 0) ? 0 : 1;
}

function rebuild(status: RollupStatus, db: Db): number {
  if (!status.applied) throw new Error("no rollups installed: nothing to rebuild");
  const t = performance.now();
  const rollups = status.applied.state.rollups;
  db.transaction(() => {
    for (const r of rollups) for (const sql of [...r.drop, ...r.rebuild, ...r.triggers]) db.exec(sql);
  }).immediate();
  console.log(`rebuilt ${rollups.length} rollups (state ${status.applied.file}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return 0;
}

function duplicates(db: Db, merge: boolean): number {
  const before = countDuplicates(db);
  console.log(`${before.groups} random_ids are stored more than once (${before.extra} extra rows)`);
  for (const r of duplicateRows(db, 20)) console.log(`  ${r.random_id}  ${r.id}  ${r.status.padEnd(10)}  created ${r.created}  ${r.keep ? "keep" : "merge away"}`);
  if (!merge) return before.groups === 0 ? 0 : 1;
  const deleted = mergeDuplicates(db);
  console.log(`deleted ${deleted} duplicate rows (the rollups followed through their triggers)`);
  if (randomIdIndexUnique(db) === false) {
    const { ms } = makeRandomIdUnique(db);
    console.log(`random_id index now unique (built in ${(ms / 1000).toFixed(1)} s); restart PocketBase when convenient so that its cached copy of the collection shows it`);
  }
  return 0;
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: "string" }, migrations: { type: "string" }, merge: { type: "boolean" } },
  });
  const command = positionals[0];
  if (!command || !["status", "verify", "prepare", "discard", "rebuild", "duplicates"].includes(command) || !values.dir) {
    console.error(USAGE);
    return 2;
  }
  const db = openPocketBaseDb(values.dir);
  try {
    const status = rollupStatus(db, values.migrations ?? POCKETBASE_DIRS.migrations);
    switch (command) {
      case "status":
        printStatus(status, db);
        return 0;
      case "verify":
        return verify(status, db);
      case "rebuild":
        return rebuild(status, db);
      case "duplicates":
        return duplicates(db, values.merge ?? false);
      case "discard": {
        const dropped = discardPrepared(db);
        console.log(dropped.length ? `discarded ${dropped.join(", ")} and the change log` : "nothing prepared");
        return 0;
      }
      default: {
        const plan = preparePlan(status);
        if ("reason" in plan) {
          console.log(plan.reason);
          // Nothing to do is a success; anything else (several steps pending, another state) needs the operator.
          return plan.reason.startsWith("nothing to prepare") ? 0 : 1;
        }
        const report = prepareRollups(db, status, (line) => console.log(line));
        console.log(
          `prepared ${report.rollups.length} rollups for ${report.target} in ${report.seconds.toFixed(1)} s; ` +
            `${report.replayed} changes made meanwhile replayed; longest write transaction ${report.longestWriteMs.toFixed(0)} ms (${report.longestWrite}); ` +
            `WAL up to ${(report.walPeak / 1048576).toFixed(0)} MB. ` +
            "Restart PocketBase with the new migration files to switch them in.",
        );
        return 0;
      }
    }
  } finally {
    db.close();
  }
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
