/**
 * A telemetry collection as an operator made it by hand before installing the dashboard: open
 * rules, no indexes, the statuses of the time. A migration file that creates it, for the
 * install scenarios of the duplicates test and `npm run bench:upgrade`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TELEMETRY } from "../../lib/rollups/spec";

export const HANDMADE_MIGRATION = "1700000000_handmade_telemetry.js";

const SOURCE = `migrate((app) => {
  const text = (name) => ({ name, type: "text" });
  const number = (name) => ({ name, type: "number" });
  app.save(new Collection({
    type: "base", name: "${TELEMETRY}", listRule: "", viewRule: "", createRule: "", updateRule: "",
    fields: [text("random_id"), { name: "type", type: "select", maxSelect: 1, values: ["lxc", "vm", "addon", "pve"] }, number("ct_type"), text("nsapp"),
      { name: "status", type: "select", maxSelect: 1, values: ["installing", "sucess", "failed", "unknown"] }, number("disk_size"), number("core_count"),
      number("ram_size"), text("os_type"), text("os_version"), text("pve_version"), text("method"), text("error"), number("exit_code"),
      { name: "created", type: "autodate", onCreate: true }, { name: "updated", type: "autodate", onCreate: true, onUpdate: true }],
  }));
}, () => {});
`;

/** Writes the migration into a migrations dir. */
export function writeHandmadeMigration(dir: string): void {
  writeFileSync(join(dir, HANDMADE_MIGRATION), SOURCE);
}
