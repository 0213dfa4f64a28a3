/** Asserts every rollup equals what SQL over the raw records says. */
import type Database from "better-sqlite3";
import { expect } from "vitest";
import { ROLLUPS, type RollupSpec } from "../../lib/rollups/spec";
import { driftSql } from "../../lib/rollups/sql";

/** The rollups of the spec a database has tables for (one migrated down, or to an earlier release, lacks the newer ones). */
export function rollupsPresent(db: Database.Database): RollupSpec[] {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
  return ROLLUPS.filter((spec) => tables.has(spec.name));
}

export function expectRollupsExact(db: Database.Database, specs: readonly RollupSpec[] = ROLLUPS): void {
  const drift: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const rows = db.prepare(driftSql(spec)).all();
    if (rows.length) drift[spec.name] = rows.slice(0, 5);
  }
  expect(drift).toEqual({});
}
