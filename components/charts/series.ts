/** What the outcome, rate and share charts draw, shared by the charts and their recharts plots (no React). */

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface Marker {
  bucket: string;
  label: string;
  /** Which side of its line the label reads on (starts: left, ends: right). */
  side?: "left" | "right";
  /** "regression" (default): red, labelled at the top; "change" (a script change) or "shared" (a shared library's): labelled at the bottom. */
  tone?: "regression" | "change" | "shared";
  /** Said on hover and to screen readers (a commit's message). */
  title?: string;
}

export interface OutcomePoint {
  bucket: string;
  partial?: boolean;
}

/** A point's count for a series key (outcome points carry one number per outcome). */
export function countOf(p: OutcomePoint, key: string): number {
  return Number((p as unknown as Record<string, unknown>)[key] ?? 0);
}

export interface RateInput {
  bucket: string;
  partial?: boolean;
  runs: number;
  failed: number;
  /** Successes + failures. */
  decided: number;
}

export interface RatePoint extends RateInput {
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface SharePoint {
  bucket: string;
  partial?: boolean;
  /** Counts; `values[i]` belongs to `categories[i]`. */
  values: number[];
}

export interface ShareRow extends SharePoint {
  total: number;
  shares: number[];
}

/** One point of an install-time trend: timed successful runs and their percentiles (seconds). */
export interface DurationPoint {
  bucket: string;
  partial?: boolean;
  n: number;
  p50: number | null;
  p90: number | null;
}
