/** Asserts every rollup equals what SQL over the raw records says; runs the rollup CLI. */
import type Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
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

/** Runs `npm run rollups -- <args>` the way an operator does (a separate process); its exit code and output. */
export function runRollupsCli(args: string[]): Promise<{ code: number; output: string }> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "rollups.ts"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}
