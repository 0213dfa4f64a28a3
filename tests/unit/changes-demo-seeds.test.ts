/**
 * "Likely cause" over the demo's seeds: the regressions the insights find in generated data
 * (the end-to-end volume, 30 days × 3,000 runs a day, several generator seeds) each name their
 * seeded change first, and no change seeded as unrelated is ever a suspect. Precision and
 * recall are printed for the report and docs/CHANGES.md.
 */
import { describe, expect, it } from "vitest";
import { findInsights } from "../../lib/insights/find-insights";
import { customRange } from "../../lib/range";
import { addDays, utcDay } from "../../lib/time";
import { scoreLikelyCauses } from "../../scripts/lib/changes-score";
import { DEMO_REPOSITORY, demoChanges } from "../../scripts/lib/demo-changes";
import { DEMO_EVENTS, eventTruth } from "../../scripts/lib/demo-events";
import { generateRows } from "../../scripts/lib/generate";
import { memorySource } from "../../scripts/lib/memory-source";

const end = new Date();
const SEEDS = [1, 2, 3, 4];

describe("likely cause on the demo's seeds", () => {
  it("seeds one cause before each regression and unrelated changes, as the scripts' repository would have them", () => {
    const changes = demoChanges(end);
    const regressions = DEMO_EVENTS.filter((e) => e.kind === "regression");
    for (const r of regressions) {
      const causes = changes.filter((c) => c.causes === r.id);
      expect(causes, r.id).toHaveLength(1);
      expect(causes[0]!.apps).toContain(r.nsapp);
    }
    expect(changes.filter((c) => c.causes === null).length).toBeGreaterThanOrEqual(5);
    expect(new Set(changes.map((c) => c.sha)).size).toBe(changes.length);
    for (const c of changes) expect(c.url).toBe(`https://github.com/${DEMO_REPOSITORY}/commit/${c.sha}`);
  });

  it("names the seeded change first for every seeded regression, and never an unrelated one", { timeout: 120_000 }, async () => {
    const range = customRange(addDays(utcDay(end), -29), utcDay(end));
    const changes = demoChanges(end);
    const totals = { tp: 0, fp: 0, events: 0, named: 0 };
    for (const seed of SEEDS) {
      const source = memorySource(generateRows({ seed, days: 30, runsPerDay: 3000, end }), end);
      const { regressions } = await findInsights(source, range, end);
      const score = scoreLikelyCauses(eventTruth(end), regressions, changes);
      expect(score.unrelatedBlamed, `seed ${seed}`).toEqual([]);
      expect(score.misses, `seed ${seed}`).toEqual([]);
      totals.tp += score.truePositives;
      totals.fp += score.falsePositives;
      totals.events += score.events;
      totals.named += score.eventsNamed;
    }
    const precision = totals.tp / (totals.tp + totals.fp);
    const recall = totals.named / totals.events;
    console.log(
      `likely cause over seeds ${SEEDS.join(", ")} (30 days × 3,000 runs/day): precision ${precision} (${totals.tp}/${totals.tp + totals.fp}), recall ${recall} (${totals.named}/${totals.events})`,
    );
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  });
});
