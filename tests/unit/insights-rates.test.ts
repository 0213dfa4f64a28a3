/** Rate change vs the previous period, rate series with bands, categories and the actionable rate. */
import { describe, expect, it } from "vitest";
import { categoryLabel, categoryPeriods, errorCategory, isOutsideScriptControl, OUTSIDE_SCRIPT_CONTROL } from "../../lib/exit-codes";
import { rateChanges } from "../../lib/insights/rate-change";
import { BAND_MIN_DECIDED, categoryCounts, outsideFailures, rateSeries, withActionable } from "../../lib/insights/rates";
import { twoProportionTest } from "../../lib/insights/significance";
import { wilson } from "../../lib/stats";

describe("rateChanges", () => {
  const rows = [
    { key: "newly", current: { failed: 40, decided: 400 }, previous: { failed: 4, decided: 400 } },
    { key: "recovered", current: { failed: 5, decided: 500 }, previous: { failed: 60, decided: 500 } },
    { key: "steady", current: { failed: 10, decided: 1000 }, previous: { failed: 11, decided: 1000 } },
    { key: "small", current: { failed: 5, decided: 9 }, previous: { failed: 0, decided: 100 } },
    { key: "new", current: { failed: 1, decided: 50 }, previous: { failed: 0, decided: 0 } },
  ];
  const out = rateChanges(rows);

  it("tests each app with the pooled two-proportion z test and BH over the apps tested", () => {
    const newly = out.get("newly")!;
    expect(newly.change).toBeCloseTo(0.09, 12);
    expect(newly.p).toBeCloseTo(twoProportionTest(40, 400, 4, 400)!.p, 15);
    expect(newly.q).toBeCloseTo(Math.min(1, (newly.p! * 3) / 2), 15); // rank 2 of 3 tested
    expect(newly).toMatchObject({ significant: true, newlyFailing: true, recovered: false });
    expect(out.get("recovered")).toMatchObject({ significant: true, newlyFailing: false, recovered: true });
    expect(out.get("steady")).toMatchObject({ significant: false, newlyFailing: false, recovered: false });
  });

  it("does not test apps with fewer than 10 decided runs in either period", () => {
    expect(out.get("small")).toMatchObject({ p: null, q: null, significant: false });
    expect(out.get("new")).toMatchObject({ rate: 0.02, previousRate: null, change: null, p: null });
  });

  it("a significant rise that does not double is not 'newly failing'", () => {
    const r = rateChanges([{ key: "x", current: { failed: 600, decided: 4000 }, previous: { failed: 400, decided: 4000 } }]).get("x")!;
    expect(r).toMatchObject({ significant: true, newlyFailing: false });
  });
});

describe("rateSeries", () => {
  it("gives every bucket a point, rates and Wilson bands only with enough decided runs", () => {
    const rows = [
      { bucket: "2026-11-01", success: 90, failed: 10, aborted: 2, unknown: 1, installing: 3 },
      { bucket: "2026-11-02", success: 5, failed: 1, aborted: 0, unknown: 0, installing: 0 },
    ];
    const s = rateSeries(["2026-11-01", "2026-11-02", "2026-11-03"], rows, new Map([["2026-11-01", 4]]));
    expect(s[0]).toMatchObject({ bucket: "2026-11-01", runs: 106, failed: 10, decided: 100, outsideFailed: 4, rate: 0.1 });
    expect(s[0]!.low).toBeCloseTo(wilson(10, 100)!.low, 12);
    expect(s[0]!.actionable).toMatchObject({ failed: 6, decided: 96, rate: 6 / 96 });
    expect(s[1]).toMatchObject({ decided: 6, rate: null, low: null, high: null });
    expect(s[2]).toMatchObject({ runs: 0, decided: 0, rate: null });
    expect(BAND_MIN_DECIDED).toBe(10);
  });

  it("withActionable removes outside failures from failures and decided runs", () => {
    expect(withActionable(10, 100, 10)).toMatchObject({ rate: 0.1, actionable: { failed: 0, decided: 90, rate: 0 } });
    expect(withActionable(0, 0, 0)).toMatchObject({ rate: null, actionable: { rate: null } });
  });
});

describe("categories", () => {
  it("maps user aborts, network, timeouts, storage, resources and Proxmox outside the script's control", () => {
    expect([...OUTSIDE_SCRIPT_CONTROL].sort()).toEqual(["network", "proxmox", "resource", "storage", "timeout", "user_aborted"]);
    expect([130, 6, 28, 214, 137, 209].map((c) => isOutsideScriptControl(errorCategory(c)))).toEqual([true, true, true, true, true, true]);
    expect([100, 1, 243, 150, 0].map((c) => isOutsideScriptControl(errorCategory(c)))).toEqual([false, false, false, false, false]);
    expect(categoryLabel("user_aborted")).toBe("user abort");
  });

  it("categorises a code by its meaning on the record's date", () => {
    expect(errorCategory(243)).toBe("runtime"); // Node.js heap OOM today
    expect(errorCategory(243, "2025-12-20")).toBe("database"); // MySQL error in Dec 2025
    expect(errorCategory(243, "2025-12-20 10:00:00.000Z")).toBe("database");
    expect(errorCategory(243, "2026-01-20")).toBe("runtime"); // between snapshots: canonical
    expect(errorCategory(212, "2025-12-04")).toBe("dependency"); // then: Python installation aborted
    expect(errorCategory(217, "2025-12-04")).toBe("storage"); // "Custom: …" reworded: the code's own
    expect(errorCategory(0)).toBe("unknown");
    expect(errorCategory(97)).toBe("unknown");
  });

  it("splits ranges where some code's category changed, so range totals stay exact", () => {
    expect(categoryPeriods("2025-11-01", "2026-03-01")).toEqual([
      { from: "2025-11-01", to: "2025-12-03" },
      { from: "2025-12-04", to: "2026-01-06" },
      { from: "2026-01-07", to: "2026-03-01" },
    ]);
    expect(categoryPeriods("2026-08-01", "2026-11-29")).toEqual([{ from: "2026-08-01", to: "2026-11-29" }]);
    expect(categoryPeriods("2025-12-10", "2025-12-10")).toEqual([{ from: "2025-12-10", to: "2025-12-10" }]);
  });

  it("counts failures per category over periods, with shares and the outside total", () => {
    const c = categoryCounts([
      {
        from: "2025-12-04",
        codes: [
          { exit_code: 243, failed: 3 },
          { exit_code: 6, failed: 2 },
        ],
      },
      {
        from: "2026-01-07",
        codes: [
          { exit_code: 243, failed: 5 },
          { exit_code: 130, failed: 0 },
        ],
      },
    ]);
    expect(c).toEqual([
      { category: "runtime", label: "runtime", failed: 5, share: 0.5, outsideScriptControl: false },
      { category: "database", label: "database", failed: 3, share: 0.3, outsideScriptControl: false },
      { category: "network", label: "network", failed: 2, share: 0.2, outsideScriptControl: true },
    ]);
    expect(outsideFailures(c)).toBe(2);
    expect(categoryCounts([])).toEqual([]);
  });
});
