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

  it("has a range sums query for every public rollup and a distinct count for every private one, binding from and to", () => {
    type Queries = Record<string, { grain: string; sql: string }>;
    const module = { exports: {} as { QUERIES: Queries; DISTINCT: Queries } };
    runInNewContext(readFileSync(SUMS_HOOK_MODULE, "utf8"), { module, exports: module.exports });
    const names = (rollups: typeof ROLLUPS) => rollups.map((r) => r.name).sort();
    expect(Object.keys(module.exports.QUERIES).sort()).toEqual(names(ROLLUPS.filter((r) => !r.distinct)));
    expect(Object.keys(module.exports.DISTINCT).sort()).toEqual(names(ROLLUPS.filter((r) => r.distinct)));
    expect(Object.keys(module.exports.DISTINCT).length).toBeGreaterThan(0);
    for (const r of ROLLUPS) {
      const q = (r.distinct ? module.exports.DISTINCT : module.exports.QUERIES)[r.name]!;
      expect(q.grain).toBe(r.grain);
      expect(q.sql).toContain("{:from}");
      expect(q.sql).toContain("{:to}");
      // A private rollup's answer names no value of its identifier, only how many there were.
      if (r.distinct) expect(q.sql).toContain(`COUNT(DISTINCT ${r.distinct})`);
    }
  });
});
