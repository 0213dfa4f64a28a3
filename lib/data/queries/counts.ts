/** Outcome counts and the rates derived from them (pure; shared by queries and components). */
import type { Outcome } from "../../outcomes";

export type OutcomeCounts = Record<Outcome, number>;

export function emptyCounts(): OutcomeCounts {
  return { success: 0, failed: 0, aborted: 0, unknown: 0, unfinished: 0, running: 0 };
}

/**
 * Success rate = successes / (successes + failures). Aborted runs (the user stopped them),
 * unknown, unfinished and running runs have no verdict and are left out. Null when no run
 * finished either way.
 */
export function successRate(c: Pick<OutcomeCounts, "success" | "failed">): number | null {
  const finished = c.success + c.failed;
  return finished === 0 ? null : c.success / finished;
}
