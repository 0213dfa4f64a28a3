import { describe, expect, it } from "vitest";
import { methodLabel, NOT_REPORTED, osLabel, osLabels, pveLabel } from "../../lib/labels";

describe("labels", () => {
  it("give one label per spelling, as every breakdown and run row shows it", () => {
    expect(osLabels("ubuntu", "2404")).toEqual({ os: "ubuntu", version: "24.04" });
    expect(osLabels("Debian ", "13")).toEqual({ os: "debian", version: "13" });
    expect(osLabels("", "n.d.")).toEqual({ os: NOT_REPORTED, version: NOT_REPORTED });
    expect(osLabels("n.d.", "12")).toEqual({ os: NOT_REPORTED, version: NOT_REPORTED });
    expect(osLabel("debian", "")).toBe("debian (version not reported)");
    expect([pveLabel("not found"), pveLabel(" 9.0.3"), methodLabel("")]).toEqual([NOT_REPORTED, "9.0.3", NOT_REPORTED]);
  });
  it("are idempotent: a label labelled again stays the same (run rows arrive labelled)", () => {
    for (const [os, version] of [
      ["ubuntu", "2404"],
      ["debian", ""],
      ["", "n.d."],
      ["alpine", "3.24"],
    ] as const) {
      const once = osLabels(os, version);
      expect(osLabels(once.os, once.version)).toEqual(once);
      expect(osLabel(once.os, once.version)).toBe(osLabel(os, version));
    }
    expect(pveLabel(pveLabel("not found"))).toBe(NOT_REPORTED);
    expect(methodLabel(methodLabel("-"))).toBe(NOT_REPORTED);
  });
});
