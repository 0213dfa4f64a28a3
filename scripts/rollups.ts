/**
 * `npm run rollups -- verify|rebuild --dir <pocketbase data dir>`
 *
 * verify: compares every rollup with SQL over the raw records; exits 1 and prints the first
 *         differing rows if any (exit 0 means exact). Safe while PocketBase is running.
 * rebuild: recomputes every rollup from the raw records and reinstalls the triggers, in one
 *         transaction (writers wait for it). Use after a mass purge done with triggers off.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROLLUPS } from "../lib/rollups/spec";
import { createTriggersSql, driftSql, dropTriggersSql, rebuildSql } from "../lib/rollups/sql";

const USAGE = "usage: npm run rollups -- verify|rebuild --dir <pocketbase data dir>";

function main(): number {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: "string" } } });
  const command = positionals[0];
  if ((command !== "verify" && command !== "rebuild") || !values.dir) {
    console.error(USAGE);
    return 2;
  }
  const dbPath = join(values.dir, "data.db");
  if (!existsSync(dbPath)) {
    console.error(`no PocketBase database at ${dbPath}`);
    return 2;
  }
  const db = new Database(dbPath);
  db.pragma("busy_timeout = 30000");
  try {
    if (command === "rebuild") {
      const t = performance.now();
      db.transaction(() => {
        for (const spec of ROLLUPS) {
          for (const sql of [...dropTriggersSql(spec), ...rebuildSql(spec), ...createTriggersSql(spec)]) db.exec(sql);
        }
      })();
      console.log(`rebuilt ${ROLLUPS.length} rollups in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      return 0;
    }
    let bad = 0;
    for (const spec of ROLLUPS) {
      const drift = db.prepare(driftSql(spec)).all();
      console.log(`${spec.name}: ${drift.length === 0 ? "exact" : `${drift.length} rows differ`}`);
      if (drift.length) console.log(drift.slice(0, 5));
      bad += drift.length;
    }
    return bad === 0 ? 0 : 1;
  } finally {
    db.close();
  }
}

process.exitCode = main();
