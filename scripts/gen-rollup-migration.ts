/**
 * Writes pocketbase/pb_migrations/<ts>_rollups.js from lib/rollups (the one source of truth).
 * Run after changing ROLLUPS or the outcome mapping: `npm run gen:migration`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rollupMigrationPath, rollupMigrationSource } from "../lib/rollups/migration";

const path = fileURLToPath(new URL(`../${rollupMigrationPath}`, import.meta.url));
writeFileSync(path, rollupMigrationSource());
console.log(`wrote ${rollupMigrationPath}`);
