/**
 * Rollup names and key columns are types derived from lib/rollups/spec.ts: `npm run typecheck`
 * fails if a misspelt rollup or column compiles (each `@ts-expect-error` below must be needed).
 */
import { describe, expect, it } from "vitest";
import { type DailyRollup, type KeyColumn, rollupTable, type SeriesRollup } from "../../lib/rollups/spec";

describe("rollup types", () => {
  it("name each rollup's key columns and refuse misspelt ones", () => {
    const app: KeyColumn<"stats_app">[] = ["nsapp", "type"];
    const env: KeyColumn<"stats_app_env">[] = ["nsapp", "pve_version", "method", "ct_type"];
    // @ts-expect-error: stats_app has no os_type column
    const wrongColumn: KeyColumn<"stats_app"> = "os_type";
    // @ts-expect-error: no rollup is called stats_ap
    const misspelt: DailyRollup = "stats_ap";
    // @ts-expect-error: stats_pve has no series view
    const noSeries: SeriesRollup = "stats_pve";
    expect([app.length, env.length]).toEqual([2, 4]);
    expect([wrongColumn, misspelt, noSeries]).toHaveLength(3);
    expect(() => rollupTable(misspelt, "day")).toThrow(/unknown daily rollup/);
    expect(rollupTable("stats_app", "hour")).toBe("stats_app_hourly");
  });
});
