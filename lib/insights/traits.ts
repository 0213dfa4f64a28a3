/**
 * "What is unusual about this app's failures": environment traits (OS version, PVE version,
 * install method, privileged containers, resources below the script default, …) that are
 * over-represented among failures compared with successes. Each trait value is a 2×2 table
 * (failures / successes, with / without the trait) tested with Fisher's exact test; Holm's
 * correction over every value tested keeps the chance of any spurious sentence on a page ≤ 1 %.
 * Pure; trait-counts.ts builds the tables from rollup rows.
 */
import { formatInt, formatRate, formatRatio } from "../format";
import type { HardwareDimension } from "../hardware";
import { fisherGreater, holm } from "./significance";

export type TraitDimension = "os" | "os_version" | "pve_major" | "pve" | "method" | "type" | "privilege" | "ram" | "cores" | "disk" | HardwareDimension;

export interface TraitCounts {
  dimension: TraitDimension;
  /** The value, unique within its family ("debian 12", "9.2", "advanced", "below"). */
  key: string;
  /** Completes "Fails … more often ___": "on PVE 9.2", "in privileged containers". */
  phrase: string;
  /** Traits of one family can nest ("PVE 9.x" ⊃ "PVE 9.2"); `parent` is the enclosing value's key. */
  family: string;
  parent?: string;
  failed: number;
  success: number;
  /**
   * The runs the trait is compared within, when not all of the app's: a hardware value is
   * compared with the runs that reported that field (the older protocol reports none, and its
   * runs are from another period).
   */
  within?: { failed: number; success: number };
}

export interface TraitFinding extends TraitCounts {
  rate: number;
  /** Failures and successes of the app's runs without the trait. */
  otherFailed: number;
  otherSuccess: number;
  otherRate: number;
  /** rate ÷ otherRate (Infinity when the others never failed). */
  ratio: number;
  /** Fisher's one-sided p, and after Holm's correction over all values tested. */
  p: number;
  pAdjusted: number;
  sentence: string;
}

/** Family-wise error rate per app page. */
export const TRAIT_ALPHA = 0.01;
/** A trait is named only with ≥ 5 failures, a rate at least twice the others', and ≥ 10 other decided runs. */
export const TRAIT_MIN_FAILED = 5;
export const TRAIT_MIN_RATIO = 2;
export const TRAIT_MIN_OTHER_DECIDED = 10;

export function traitSentence(f: Pick<TraitFinding, "phrase" | "rate" | "otherRate" | "ratio" | "otherFailed" | "otherSuccess">): string {
  if (f.otherRate === 0) return `Fails only ${f.phrase}: ${formatRate(f.rate)}, none of ${formatInt(f.otherFailed + f.otherSuccess)} other runs`;
  return `Fails ${formatRatio(f.ratio)} more often ${f.phrase}: ${formatRate(f.rate)} vs ${formatRate(f.otherRate)}`;
}

/**
 * Of a finding and its parent (one level of nesting: "PVE 9.x" ⊃ "PVE 9.2"), keeps the child
 * when it fails significantly more than the parent's other runs (the 9.2 hosts explain 9.x),
 * else the parent (the whole of 9.x fails, not one version in it).
 */
function pruneNested(findings: TraitFinding[]): TraitFinding[] {
  const byKey = new Map(findings.map((f) => [`${f.family}/${f.key}`, f]));
  const beaten = new Set<TraitFinding>();
  for (const f of findings) {
    const parent = f.parent === undefined ? undefined : byKey.get(`${f.family}/${f.parent}`);
    if (!parent) continue;
    const aboveSiblings = fisherGreater(f.failed, f.success, parent.failed - f.failed, parent.success - f.success) <= TRAIT_ALPHA;
    beaten.add(aboveSiblings ? parent : f);
  }
  return findings.filter((f) => !beaten.has(f));
}

/**
 * Significant over-represented traits, strongest first; empty when nothing is significant.
 * `total` holds the app's failures and successes over the same runs the traits partition.
 */
export function unusualTraits(traits: readonly TraitCounts[], total: { failed: number; success: number }): TraitFinding[] {
  const tested = traits
    .filter((t) => t.failed > 0)
    .map((t) => {
      const base = t.within ?? total;
      const otherFailed = base.failed - t.failed;
      const otherSuccess = base.success - t.success;
      const rate = t.failed / (t.failed + t.success);
      const otherDecided = otherFailed + otherSuccess;
      const otherRate = otherDecided > 0 ? otherFailed / otherDecided : 0;
      const ratio = otherRate > 0 ? rate / otherRate : Infinity;
      const p = otherDecided > 0 ? fisherGreater(t.failed, t.success, otherFailed, otherSuccess) : 1;
      return { ...t, rate, otherFailed, otherSuccess, otherRate, ratio, p, pAdjusted: 1, sentence: "" };
    });
  const adjusted = holm(tested.map((t) => t.p));
  const significant = tested
    .map((t, i) => ({ ...t, pAdjusted: adjusted[i]! }))
    .filter((t) => t.pAdjusted <= TRAIT_ALPHA && t.failed >= TRAIT_MIN_FAILED && t.ratio >= TRAIT_MIN_RATIO && t.otherFailed + t.otherSuccess >= TRAIT_MIN_OTHER_DECIDED)
    .map((t) => ({ ...t, sentence: traitSentence(t) }));
  return pruneNested(significant).sort((a, b) => a.pAdjusted - b.pAdjusted || b.ratio - a.ratio || a.key.localeCompare(b.key));
}
