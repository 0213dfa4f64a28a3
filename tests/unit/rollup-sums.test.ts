/** The hook's copy of the range sums' SQL (pocketbase/pb_hooks/rollup-sums.cjs) is the generator's. */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { ROLLUPS } from "../../lib/rollups/spec";
import { SUMS_HOOK_MODULE, sumsHookModule } from "../../scripts/lib/sums-hook";

describe("pocketbase/pb_hooks/rollup-sums.cjs", () => {
  it("is current (else run npm run gen:sums-hook)", () => {
    expect(readFileSync(SUMS_HOOK_MODULE, "utf8")).toBe(sumsHookModule());
  });

  it("has a query for every rollup, binding from and to", () => {
    const module = { exports: {} as { QUERIES: Record<string, { grain: string; sql: string }> } };
    runInNewContext(readFileSync(SUMS_HOOK_MODULE, "utf8"), { module, exports: module.exports });
    expect(Object.keys(module.exports.QUERIES).sort()).toEqual(ROLLUPS.map((r) => r.name).sort());
    for (const r of ROLLUPS) {
      const q = module.exports.QUERIES[r.name]!;
      expect(q.grain).toBe(r.grain);
      expect(q.sql).toContain("{:from}");
      expect(q.sql).toContain("{:to}");
    }
  });
});
