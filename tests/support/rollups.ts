/** Asserts every rollup equals what SQL over the raw records says. */
import type Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { entryDriftSql } from "../../lib/rollups/entry";
import { MIGRATIONS_DIR, stateOfMigration } from "../../lib/rollups/migration";
import { ROLLUPS, type RollupSpec } from "../../lib/rollups/spec";
import { driftSql } from "../../lib/rollups/sql";

export function expectRollupsExact(db: Database.Database, specs: readonly RollupSpec[] = ROLLUPS): void {
  const drift: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const rows = db.prepare(driftSql(spec)).all();
    if (rows.length) drift[spec.name] = rows.slice(0, 5);
  }
  expect(drift).toEqual({});
}

/**
 * The same for a database in any released state (migrated down, or not yet up): each rollup
 * checked by the definition of the newest rollup migration applied to it (lib/rollups/entry.ts).
 */
export function expectRollupsExactAsMigrated(db: Database.Database): void {
  const applied = db.prepare("SELECT file FROM _migrations WHERE file LIKE '%_rollups.js' ORDER BY file DESC LIMIT 1").pluck().get() as string | undefined;
  expect(applied, "a rollup migration applied").toBeDefined();
  const dir = fileURLToPath(new URL(`../../${MIGRATIONS_DIR}/`, import.meta.url));
  const state = stateOfMigration(readFileSync(join(dir, applied!), "utf8"));
  const drift: Record<string, unknown[]> = {};
  for (const entry of state.rollups) {
    const rows = db.prepare(entryDriftSql(entry)).all();
    if (rows.length) drift[entry.name] = rows.slice(0, 5);
  }
  expect(drift).toEqual({});
}
