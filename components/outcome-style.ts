/** Labels and colours of outcomes, shared by every chart, legend and table. */
import type { Outcome } from "@/lib/outcomes";

export const OUTCOME_STYLE: Record<Outcome, { label: string; color: string; description: string }> = {
  success: { label: "Success", color: "var(--success)", description: "finished successfully" },
  failed: { label: "Failed", color: "var(--failed)", description: "finished with an error" },
  aborted: { label: "Aborted", color: "var(--aborted)", description: "stopped by the user" },
  unknown: { label: "Unknown", color: "var(--unknown)", description: "ended with an unknown status" },
  unfinished: { label: "Unfinished", color: "var(--unfinished)", description: "still installing after the threshold" },
  running: { label: "Running", color: "var(--running)", description: "started recently, still installing" },
};

/** Stacking order in charts: verdicts first, then runs without one. */
export const CHART_OUTCOMES: Outcome[] = ["success", "failed", "aborted", "unknown", "unfinished", "running"];
