/**
 * The prepare/switch contract (lib/rollups/shadow.ts, lib/rollups/entry.ts): the prepare tool
 * and the generated migration agree on what a rollup's definition is and which rollups a step
 * rebuilds; the shadow's SQL is the rollup's own SQL aimed at another table.
 */
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { definitionKey, entryDims, isDaily, rebuildSelect, rebuiltRollups } from "../../lib/rollups/entry";
import { rollupState } from "../../lib/rollups/migration";
import type { RollupEntry } from "../../lib/rollups/state";
import { rollupMigrationSource } from "../../lib/rollups/migration-source";
import { ROLLUPS } from "../../lib/rollups/spec";
import { liveTriggersSql, loggedColumns, logSql, replayTriggersSql, shadowIndexSql, shadowTableSql } from "../../lib/rollups/shadow";

const state = rollupState();
const entry = (name: string) => state.rollups.find((r) => r.name === name)!;

/** The generated migration's own functions, evaluated as PocketBase would (minus PocketBase). */
function migrationFunctions(source: string): { definition: (r: RollupEntry) => unknown } {
  const context: Record<string, unknown> = { migrate: () => {} };
  runInNewContext(`${source}\nthis.definition = definition;`, context);
  return context as unknown as { definition: (r: RollupEntry) => unknown };
}

describe("prepared rollups", () => {
  it("the generated migration and the prepare tool compute the same definition", () => {
    const { definition } = migrationFunctions(rollupMigrationSource(null, state));
    for (const r of state.rollups) expect(JSON.stringify(definition(r))).toBe(definitionKey(r));
  });

  it("a step rebuilds new and changed rollups, not those whose purpose alone changed", () => {
    const changed = rollupState([
      ...ROLLUPS.filter((s) => s.name !== "stats_pve").map((s) =>
        s.name === "stats_app" ? { ...s, purpose: "other words" } : s.name === "stats_method" ? { ...s, lookup: "method" } : s,
      ),
      { name: "stats_new", grain: "day", dims: [{ column: "ct_type", source: "ct_type", kind: "number" }], purpose: "new" },
    ]);
    expect(rebuiltRollups(state, changed).map((r) => r.name)).toEqual(["stats_method", "stats_new"]);
    expect(rebuiltRollups(null, state)).toHaveLength(state.rollups.length);
    expect(rebuiltRollups(state, state)).toEqual([]);
  });

  it("reads key columns, grain and the rebuild query from an entry", () => {
    expect(entryDims(entry("stats_app_env"))).toEqual(["nsapp", "pve_version", "method", "ct_type", "repo"]);
    expect([isDaily(entry("stats_app")), isDaily(entry("stats_app_hourly"))]).toEqual([true, false]);
    const { columns, select } = rebuildSelect(entry("stats_app"));
    expect(columns.slice(0, 5)).toEqual(["id", "bucket", "valid_until", "nsapp", "type"]);
    expect(select).toMatch(/^SELECT .* FROM _dev_telemetry_data r GROUP BY/);
  });

  it("the shadow gets PocketBase's column types and, where a name is taken, the other index name", () => {
    const r = entry("stats_code");
    expect(shadowTableSql(r, "_shadow_stats_code")).toMatch(/^CREATE TABLE _shadow_stats_code \(`id` TEXT PRIMARY KEY DEFAULT .*`exit_code` NUMERIC DEFAULT 0 NOT NULL/);
    const { create, final } = shadowIndexSql(r, "_shadow_stats_code", new Set(["idx_stats_code_key"]));
    expect(create[0]).toBe("CREATE UNIQUE INDEX idx_stats_code_key_s ON _shadow_stats_code (exit_code, repo, bucket)");
    expect(final[0]).toBe("CREATE UNIQUE INDEX idx_stats_code_key_s ON stats_code (exit_code, repo, bucket)");
    expect(final[1]).toBe("CREATE INDEX idx_stats_code_bucket ON stats_code (bucket)");
  });

  it("the shadow's triggers are the rollup's, aimed at the shadow; replay reads a logged row as NEW", () => {
    const r = entry("stats_app");
    const live = liveTriggersSql(r, "_shadow_stats_app");
    expect(live.map((sql) => /TRIGGER IF NOT EXISTS (\w+)/.exec(sql)![1])).toEqual(["_shadow_stats_app_ai", "_shadow_stats_app_ad", "_shadow_stats_app_au"]);
    expect(live.join("\n")).not.toMatch(/\bstats_app\b/);
    expect(live[0]).toBe(r.triggers[0]!.replaceAll("stats_app", "_shadow_stats_app"));
    const [ri, rd] = replayTriggersSql(r, "_shadow_stats_app");
    expect(ri).toMatch(/AFTER INSERT ON _rollup_replay WHEN NEW.op = 'i' BEGIN/);
    expect(rd).toMatch(/AFTER INSERT ON _rollup_replay WHEN NEW.op = 'd' BEGIN/);
    expect(rd).not.toMatch(/\bOLD\./);
  });

  it("logs every column the rollups' triggers read, an update as a removal and an addition", () => {
    const cols = loggedColumns(state.rollups);
    expect(cols).toEqual([
      "arch",
      "core_count",
      "cpu_vendor",
      "created",
      "ct_type",
      "disk_size",
      "execution_id",
      "exit_code",
      "fail_command",
      "fail_line",
      "gpu_passthrough",
      "gpu_vendor",
      "install_duration",
      "method",
      "nsapp",
      "os_type",
      "os_version",
      "platform",
      "pve_version",
      "ram_size",
      "random_id",
      "repo_source",
      "status",
      "type",
    ]);
    const au = logSql(cols).find((sql) => sql.includes("_rollup_log_au"))!;
    expect(au).toMatch(/VALUES \('d', OLD\.arch.*VALUES \('i', NEW\.arch/);
  });
});
