/** The weekly digest's computation on known counts, regressions and incidents (lib/insights/digest.ts). */
import { describe, expect, it } from "vitest";
import { CHRONIC_MIN_LOW, MOVERS, weekDigest, type AppWeekCounts } from "../../lib/insights/digest";
import type { Incident } from "../../lib/insights/find-incidents";
import type { Regression } from "../../lib/insights/find-regressions";
import { rateChanges } from "../../lib/insights/rate-change";
import { wilson } from "../../lib/stats";

const SUNDAY = "2026-11-22";

function app(nsapp: string, previous: [number, number, number], current: [number, number, number]): AppWeekCounts {
  const c = ([runs, failed, decided]: [number, number, number]) => ({ runs, failed, decided });
  return { nsapp, previous: c(previous), current: c(current) };
}

function regression(nsapp: string, start: string, end: string | null, excess = 20): Regression {
  return {
    nsapp,
    start,
    end,
    last: end ?? SUNDAY,
    failed: 30,
    decided: 100,
    rate: 0.3,
    baseline_rate: 0.01,
    baseline_failed: 10,
    baseline_decided: 1000,
    peak_rate: 0.4,
    peak_bucket: start,
    expected_failures: 1,
    excess_failures: excess,
    q_value: 1e-6,
    described: false,
    exit_codes: [],
    environment: [],
    causes: [],
    failing_command: null,
    incident: null,
  };
}

const INCIDENT: Incident = {
  exit_code: 22,
  category: "network",
  label: "HTTP error",
  start: "2026-11-19 14",
  end: "2026-11-19 18",
  last: "2026-11-19 18",
  failed: 60,
  expected_failures: 2,
  excess_failures: 58,
  rate: 0.05,
  baseline_rate: 0.001,
  q_value: 1e-9,
  apps: [{ nsapp: "plex", failed: 10, expected_failures: 0.2, excess_failures: 9.8, p_value: 1e-6 }],
  other_exit_codes: [],
};

const APPS = [
  app("rising", [210, 2, 200], [215, 40, 200]),
  app("falling", [220, 40, 200], [205, 2, 200]),
  app("broken", [120, 30, 100], [110, 28, 100]),
  app("steady", [1000, 10, 990], [1500, 12, 1490]),
  app("fixed-midweek", [300, 60, 300], [300, 40, 300]),
  app("regressing", [300, 3, 300], [300, 20, 300]),
  app("gone", [400, 4, 380], [0, 0, 0]),
  app("tiny", [3, 1, 3], [4, 2, 4]),
];
const REGRESSIONS = [regression("fixed-midweek", "2026-11-10", "2026-11-18"), regression("regressing", "2026-11-20", null, 15), regression("rising", "2026-11-17", "2026-11-22")];

describe("weekDigest", () => {
  const d = weekDigest(SUNDAY, APPS, REGRESSIONS, [INCIDENT]);

  it("flags newly failing and recovered apps with the rate-change test over the apps with runs this week", () => {
    const changes = rateChanges(APPS.filter((a) => a.current.runs > 0).map((a) => ({ key: a.nsapp, current: a.current, previous: a.previous })));
    expect(d.newly_failing.map((a) => a.nsapp)).toEqual(["rising", "regressing"]); // largest rise first
    expect(d.newly_failing[0]).toMatchObject({ rate: 0.2, previous_rate: 0.01, failed: 40, decided: 200, runs: 215, previous_runs: 210, significant: true });
    expect(d.newly_failing[0]!.q_value).toBe(changes.get("rising")!.q);
    expect(d.newly_failing[0]!.regression).toEqual({ start: "2026-11-17", last: SUNDAY, excess_failures: 20 });
    expect(d.recovered.map((a) => a.nsapp).sort()).toEqual(["falling", "fixed-midweek"]);
    expect(d.recovered.find((a) => a.nsapp === "falling")!.regression).toBeNull();
    expect(d.recovered.find((a) => a.nsapp === "fixed-midweek")!.regression).toMatchObject({ last: "2026-11-18" });
  });

  it("still failing: regressions elevated on the week's last day first, then apps failing often in both weeks", () => {
    expect(d.still_failing.map((a) => [a.nsapp, a.reason])).toEqual([
      ["rising", "regression"],
      ["regressing", "regression"],
      ["broken", "chronic"],
    ]);
    expect(wilson(28, 100)!.low).toBeGreaterThanOrEqual(CHRONIC_MIN_LOW);
    // An app regressing at the week's end has not recovered, even if an earlier regression ended.
    const again = weekDigest(SUNDAY, APPS, [...REGRESSIONS, regression("fixed-midweek", "2026-11-21", null)], []);
    expect(again.recovered.map((a) => a.nsapp)).toEqual(["falling"]);
    expect(again.still_failing.map((a) => a.nsapp)).toContain("fixed-midweek");
    // Broken and fixed within the week: newly failing (its week against the last), not recovered.
    const blip = weekDigest(SUNDAY, APPS, [regression("regressing", "2026-11-17", "2026-11-19")], []);
    expect(blip.newly_failing.find((a) => a.nsapp === "regressing")!.regression).toMatchObject({ start: "2026-11-17", last: "2026-11-19" });
    expect(blip.recovered.map((a) => a.nsapp)).toEqual(["falling"]);
  });

  it("ranks movers by the change in runs, and in failure rate among apps with 20 decided runs in both weeks", () => {
    expect(d.movers.runs.map((a) => [a.nsapp, a.runs - a.previous_runs])).toEqual([
      ["steady", 500],
      ["gone", -400],
      ["falling", -15],
      ["broken", -10],
      ["rising", 5],
      ["tiny", 1],
    ]);
    // Ranked by the failures the change accounts for: steady's −0.2 points over 1,490 runs outrank broken's −2 over 100.
    expect(d.movers.failure_rate.map((a) => a.nsapp)).toEqual(["falling", "rising", "fixed-midweek", "regressing", "steady", "broken"]);
    expect(d.movers.failure_rate.every((a) => a.decided >= 20 && a.previous_decided >= 20)).toBe(true);
    const many = Array.from({ length: 30 }, (_, i) => app(`a${i}`, [10, 0, 10], [10 + i + 1, 0, 10]));
    expect(weekDigest(SUNDAY, many, [], []).movers.runs).toHaveLength(MOVERS);
  });

  it("sums the totals over every app, and passes the week's incidents on", () => {
    expect(d.totals.runs).toBe(APPS.reduce((s, a) => s + a.current.runs, 0));
    expect(d.totals.previous_decided).toBe(APPS.reduce((s, a) => s + a.previous.decided, 0));
    expect(d.totals.rate).toBeCloseTo(d.totals.failed / d.totals.decided, 15);
    expect(d.incidents).toEqual([INCIDENT]);
  });

  it("an empty week has empty sections and no rates", () => {
    expect(weekDigest(SUNDAY, [], [], [])).toEqual({
      totals: { runs: 0, previous_runs: 0, failed: 0, decided: 0, rate: null, previous_failed: 0, previous_decided: 0, previous_rate: null },
      newly_failing: [],
      recovered: [],
      still_failing: [],
      movers: { runs: [], failure_rate: [] },
      incidents: [],
    });
  });
});
