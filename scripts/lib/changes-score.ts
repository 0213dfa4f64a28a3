/**
 * Scores "likely cause" (lib/changes/likely-cause.ts) against the demo's seeded changes
 * (demo-changes.ts): for the regressions the insights found in generated data, is the top
 * suspect the seeded change of that regression's event, and is a change that must not be
 * blamed ever a suspect. Shared by the tests and the benchmark.
 */
import { catalogueType, likelyCauses } from "../../lib/changes/likely-cause";
import type { Regression } from "../../lib/insights/find-regressions";
import { spansOverlap } from "../../lib/insights/scan-plan";
import type { DemoChange } from "./demo-changes";
import type { EventTruth } from "./demo-events";

export interface CauseScore {
  /** Regressions whose top suspect is their event's seeded change. */
  truePositives: number;
  /** Regressions that name a top suspect that is not their event's seeded change (or have no event). */
  falsePositives: number;
  /** Seeded regression events, and those for which some found regression names the seeded change first. */
  events: number;
  eventsNamed: number;
  precision: number;
  recall: number;
  /** "<nsapp> <start>: <message>" for every suspect, at any rank, that must not be blamed. */
  unrelatedBlamed: string[];
  misses: string[];
}

export function scoreLikelyCauses(truth: readonly EventTruth[], regressions: readonly Regression[], changes: readonly DemoChange[]): CauseScore {
  const events = truth.filter((t) => t.kind === "regression");
  const eventOf = (r: Regression) => events.find((t) => t.apps.includes(r.nsapp) && spansOverlap(r, t));
  let tp = 0;
  let fp = 0;
  const named = new Set<string>();
  const unrelatedBlamed: string[] = [];
  const misses: string[] = [];
  for (const r of regressions) {
    const suspects = likelyCauses(r, catalogueType(r.nsapp), changes);
    const event = eventOf(r);
    const expected = event ? changes.find((c) => c.causes === event.id) : undefined;
    const top = suspects[0]?.change as DemoChange | undefined;
    for (const s of suspects) if ((s.change as DemoChange).causes === null) unrelatedBlamed.push(`${r.nsapp} ${r.start}: ${s.change.message}`);
    if (!top) {
      if (expected) misses.push(`${r.nsapp} ${r.start}: nothing named, seeded "${expected.message}"`);
      continue;
    }
    if (expected && top.sha === expected.sha) {
      tp++;
      named.add(event!.id);
    } else {
      fp++;
      misses.push(`${r.nsapp} ${r.start}: named "${top.message}"${expected ? `, seeded "${expected.message}"` : ", no seeded cause"}`);
    }
  }
  for (const t of events) if (!named.has(t.id) && !regressions.some((r) => eventOf(r) === t)) misses.push(`${t.id}: regression not found`);
  return {
    truePositives: tp,
    falsePositives: fp,
    events: events.length,
    eventsNamed: named.size,
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: events.length ? named.size / events.length : 1,
    unrelatedBlamed,
    misses,
  };
}
