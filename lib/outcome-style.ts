/** Labels and colours of outcomes, shared by every chart, legend and table. */
import type { Outcome } from "./outcomes";

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

/** Chart series for the six outcomes (overview), and for stored outcomes (per-app pages). */
export const OUTCOME_SERIES = CHART_OUTCOMES.map((o) => ({ key: o, label: OUTCOME_STYLE[o].label, color: OUTCOME_STYLE[o].color }));
export const STORED_SERIES = [
  ...(["success", "failed", "aborted", "unknown"] as const).map((o) => ({ key: o, label: OUTCOME_STYLE[o].label, color: OUTCOME_STYLE[o].color })),
  { key: "installing", label: "No result yet", color: OUTCOME_STYLE.unfinished.color },
];
