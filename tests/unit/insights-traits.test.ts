/** "What is unusual": trait tables from rollup rows, the Fisher/Holm test, sentences, nesting. */
import { describe, expect, it } from "vitest";
import { formatRate, formatRatio } from "../../lib/format";
import { fisherGreater } from "../../lib/insights/significance";
import { traitCounts, traitTotal, type EnvRow, type OsRow, type ResourceRow } from "../../lib/insights/trait-counts";
import { traitSentence, unusualTraits, type TraitCounts } from "../../lib/insights/traits";

const env = (pve_version: string, method: string, ct_type: number, failed: number, success: number): EnvRow => ({ pve_version, method, ct_type, failed, success });
const os = (os_type: string, os_version: string, failed: number, success: number, type = "lxc"): OsRow => ({ type, os_type, os_version, failed, success });
const res = (core_count: number, ram_size: number, disk_size: number, failed: number, success: number): ResourceRow => ({ core_count, ram_size, disk_size, failed, success });
const DEFAULTS = { cpu: 2, ramMb: 2048, diskGb: 8 };

describe("traitCounts", () => {
  const rows = {
    os: [os("debian", "13", 10, 900), os("debian", "12", 20, 70)],
    env: [env("9.2.1", "default", 1, 25, 300), env("9.1.4", "default", 1, 3, 500), env("8.4.1", "advanced", 0, 2, 170)],
    resources: [res(2, 2048, 8, 20, 900), res(1, 1024, 8, 10, 70)],
  };
  const traits = traitCounts(rows, DEFAULTS);
  const find = (dimension: string, key: string) => traits.find((t) => t.dimension === dimension && t.key === key);

  it("sums rows into traits, nesting versions in their family", () => {
    expect(find("os_version", "debian 12")).toMatchObject({ family: "os", parent: "debian", failed: 20, success: 70, phrase: "on Debian 12" });
    expect(find("os", "debian")).toMatchObject({ failed: 30, success: 970 });
    expect(find("pve", "9.2")).toMatchObject({ family: "pve", parent: "9.x", failed: 25, success: 300, phrase: "on PVE 9.2" });
    expect(find("pve_major", "9.x")).toMatchObject({ failed: 28, success: 800 });
    expect(find("method", "advanced")).toMatchObject({ failed: 2, success: 170 });
    expect(find("privilege", "privileged")).toMatchObject({ failed: 2, success: 170, phrase: "in privileged containers" });
    expect(find("ram", "below")).toMatchObject({ failed: 10, success: 70, phrase: "with RAM below the script default (2,048 MB)" });
    expect(find("cores", "below")).toMatchObject({ failed: 10, success: 70 });
    expect(find("disk", "below")).toBeUndefined();
    expect(find("type", "lxc")).toBeUndefined(); // one type: nothing to compare
    expect(traitTotal(rows.env)).toEqual({ failed: 30, success: 970 });
  });

  it("skips unreported values: blank OS, 'not found' PVE, resources of 0, apps without defaults", () => {
    const t = traitCounts(
      { os: [os("", "", 5, 5, "vm"), os("debian", "", 1, 1, "lxc")], env: [env("not found", "", 2, 1, 1)], resources: [res(0, 0, 0, 3, 3)] },
      { cpu: null, ramMb: 2048, diskGb: null },
    );
    expect(t.map((x) => `${x.dimension}:${x.key}`).sort()).toEqual(["os:debian", "type:lxc", "type:vm"]);
  });
});

describe("unusualTraits", () => {
  const trait = (key: string, failed: number, success: number, extra: Partial<TraitCounts> = {}): TraitCounts => ({
    dimension: "pve",
    family: "pve",
    key,
    phrase: `on PVE ${key}`,
    failed,
    success,
    ...extra,
  });

  it("names an over-represented trait with rates, ratio, Fisher p and Holm's correction", () => {
    const traits = [trait("9.2", 31, 69), trait("9.1", 3, 297), trait("8.4", 2, 198)];
    const [f, ...rest] = unusualTraits(traits, { failed: 36, success: 564 });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ key: "9.2", failed: 31, otherFailed: 5, otherSuccess: 495, rate: 0.31, otherRate: 0.01 });
    expect(f!.ratio).toBeCloseTo(31, 9);
    expect(f!.p).toBeCloseTo(fisherGreater(31, 69, 5, 495), 30);
    expect(f!.pAdjusted).toBeCloseTo(f!.p * 3, 30);
    expect(f!.sentence).toBe("Fails 31× more often on PVE 9.2: 31 % vs 1.0 %");
  });

  it("says nothing when nothing is significant, too small or too weak", () => {
    expect(unusualTraits([trait("9.2", 4, 6), trait("9.1", 1, 89)], { failed: 5, success: 95 })).toEqual([]); // 4 failures
    expect(unusualTraits([trait("9.2", 30, 470), trait("9.1", 20, 480)], { failed: 50, success: 950 })).toEqual([]); // ×1.5
    expect(unusualTraits([trait("9.2", 8, 2)], { failed: 9, success: 10 })).toEqual([]); // 9 other runs
    expect(unusualTraits([], { failed: 0, success: 0 })).toEqual([]);
  });

  it("of nested findings keeps the version when it fails more than its siblings, else the family", () => {
    // 9.2 fails, 9.0/9.1 do not: "PVE 9.2", not "PVE 9.x" (even though 8.x never failed).
    const minor = trait("9.2", 30, 70, { parent: "9.x" });
    const major = trait("9.x", 32, 400, { dimension: "pve_major" });
    expect(unusualTraits([minor, major, trait("8.4", 0, 500)], { failed: 32, success: 900 }).map((f) => f.key)).toEqual(["9.2"]);
    // Every 9.x version fails alike: "PVE 9.x".
    const wideMajor = trait("9.x", 60, 140, { dimension: "pve_major" });
    const narrow = trait("9.2", 30, 70, { parent: "9.x" });
    expect(unusualTraits([wideMajor, narrow, trait("8.4", 1, 400)], { failed: 61, success: 540 }).map((f) => f.key)).toEqual(["9.x"]);
  });

  it("phrases a trait whose complement never failed", () => {
    expect(traitSentence({ phrase: "on Alpine 3.24", rate: 0.4, otherRate: 0, ratio: Infinity, otherFailed: 0, otherSuccess: 1234 })).toBe(
      "Fails only on Alpine 3.24: 40 %, none of 1,234 other runs",
    );
  });
});

describe("formatting", () => {
  it("rates and ratios read like the examples", () => {
    expect([formatRate(0.31), formatRate(0.034), formatRate(0.0045), formatRate(0), formatRate(1)]).toEqual(["31 %", "3.4 %", "0.45 %", "0 %", "100 %"]);
    expect([formatRatio(9.1), formatRatio(2.44), formatRatio(31)]).toEqual(["9×", "2.4×", "31×"]);
  });
});
