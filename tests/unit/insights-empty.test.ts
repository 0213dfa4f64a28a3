/** The finders on no data at all, and on data without any event: empty answers, never errors. */
import { describe, expect, it } from "vitest";
import { findIncidents } from "../../lib/insights/find-incidents";
import { findInsights } from "../../lib/insights/find-insights";
import { findAppInsights, findFailureOverview } from "../../lib/insights/find-rates";
import { seriesPoints } from "../../lib/buckets";
import { allTimeRange, presetRange } from "../../lib/range";
import { generateRows } from "../../scripts/lib/generate";
import { memorySource } from "../../scripts/lib/memory-source";

const now = new Date("2026-11-29T21:36:00Z");

describe("insights without data", () => {
  const empty = memorySource([], now);
  for (const preset of ["24h", "30d", "all"] as const) {
    it(`answers empty for ${preset}`, async () => {
      const range = preset === "all" ? allTimeRange(now, "2024-03-01") : presetRange(preset, now);
      expect(await findInsights(empty, range, now)).toEqual({ regressions: [], incidents: [] });
      expect(await findIncidents(empty, range, now)).toEqual([]);
      const app = await findAppInsights(empty, "docker", range);
      expect(app).toMatchObject({ unusual: [], categories: [], totals: { failed: 0, decided: 0, rate: null, actionable_rate: null } });
      expect(app.series).toHaveLength(seriesPoints(range, now).length);
      expect((await findFailureOverview(empty, range)).totals.runs).toBe(0);
    });
  }

  it("finds nothing in healthy data (40 days of generated runs without events)", async () => {
    const rows = generateRows({ seed: 3, days: 40, runsPerDay: 3000, end: now, events: [] });
    const found = await findInsights(memorySource(rows, now), presetRange("30d", now), now);
    expect(found).toEqual({ regressions: [], incidents: [] });
  });
});
