/**
 * The superuser a command-line tool writes as: POCKETBASE_SUPERUSER_EMAIL /
 * POCKETBASE_SUPERUSER_PASSWORD (lib/config.ts), else the demo's .data/credentials.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { superuserConfig } from "../../lib/config";

export function superuserCredentials(): { email: string; password: string } | null {
  const configured = superuserConfig();
  if (configured) return configured;
  const file = join(resolve(import.meta.dirname, "..", ".."), ".data", "credentials.json");
  if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { superuser: { email: string; password: string } }).superuser;
  return null;
}
