/**
 * `npm run gen:migration`: after changing ROLLUPS, the outcome mapping or the rollup SQL,
 * writes the next rollup migration (pocketbase/pb_migrations/<timestamp>_rollups.js) from
 * lib/rollups — the one source of truth — or nothing when the newest one is current.
 * Existing migration files are never rewritten (see lib/rollups/migration.ts).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MIGRATIONS_DIR, nextRollupMigration } from "../lib/rollups/migration";

const dir = fileURLToPath(new URL(`../${MIGRATIONS_DIR}`, import.meta.url));
const next = nextRollupMigration(dir);
if (next) {
  writeFileSync(join(dir, next.file), next.source, { flag: "wx" });
  console.log(`wrote ${MIGRATIONS_DIR}/${next.file}`);
} else {
  console.log("rollups unchanged: the newest rollup migration is current, nothing written");
}
