/**
 * The preview image's content for each subject, from the figures its page shows: the site
 * (overview totals), one app, one exit code. Pure; lib/og/respond.tsx loads the figures.
 */
import { MIN_SAMPLE } from "../embed/catalog";
import { formatDaySpan, formatInt, formatPercent } from "../format";
import type { ViewState } from "../params";
import { presetTitle } from "../range";
import { bucketLabel } from "../time";
import { SITE_NAME } from "../meta/page";
import { OG_COLORS, type OgBar, type OgCard, type OgFigure } from "./card";

type RangeState = Pick<ViewState, "preset" | "range">;

interface Outcomes {
  runs: number;
  success: number;
  failed: number;
}

/** Per bucket: successes, failures, aborts and the rest (unknown and still installing). */
export interface OutcomePoint {
  success: number;
  failed: number;
  aborted: number;
  other: number;
}

const LEGEND = [
  { label: "succeeded", color: OG_COLORS.success },
  { label: "failed", color: OG_COLORS.failed },
  { label: "aborted", color: OG_COLORS.aborted },
  { label: "other", color: OG_COLORS.other },
];

function rangeTitle(state: RangeState): string {
  return state.preset === "custom" ? formatDaySpan(state.range.from, state.range.to) : presetTitle(state.preset);
}

function footer(state: RangeState): string {
  return `${bucketLabel(state.range.from)} to ${bucketLabel(state.range.to)} (UTC)`;
}

/** The success rate with its n; "–" below MIN_SAMPLE finished runs, as on badges. */
export function successFigure(t: Outcomes): OgFigure {
  const n = t.success + t.failed;
  if (n < MIN_SAMPLE) return { value: "–", label: `success rate · n ${formatInt(n)} (< ${MIN_SAMPLE})` };
  return { value: formatPercent(t.success / n), label: `succeeded · n ${formatInt(n)}` };
}

function outcomeBars(points: readonly OutcomePoint[]): OgBar[] {
  return points.map((p) => [
    { value: p.success, color: OG_COLORS.success },
    { value: p.failed, color: OG_COLORS.failed },
    { value: p.aborted, color: OG_COLORS.aborted },
    { value: p.other, color: OG_COLORS.other },
  ]);
}

export function siteCard(t: Outcomes, apps: number | null, points: readonly OutcomePoint[], unit: string, state: RangeState): OgCard {
  return {
    kicker: `${SITE_NAME} · ${rangeTitle(state)}`,
    title: "Install statistics",
    subtitle: "Proxmox VE community scripts, every app",
    figures: [{ value: formatInt(t.runs), label: "runs" }, successFigure(t), ...(apps === null ? [] : [{ value: formatInt(apps), label: "apps" }])],
    bars: outcomeBars(points),
    barsLabel: `Runs per ${unit} by outcome`,
    legend: LEGEND,
    footer: footer(state),
  };
}

export function appCard(nsapp: string, name: string | null, types: readonly string[], t: Outcomes, points: readonly OutcomePoint[], unit: string, state: RangeState): OgCard {
  return {
    kicker: `${SITE_NAME} · ${rangeTitle(state)}`,
    title: name ?? nsapp,
    subtitle: [nsapp, ...types].join(" · "),
    figures: [{ value: formatInt(t.runs), label: "runs" }, successFigure(t), { value: formatInt(t.failed), label: "failed" }],
    bars: outcomeBars(points),
    barsLabel: `Runs per ${unit} by outcome`,
    legend: LEGEND,
    footer: footer(state),
  };
}

export function codeCard(
  code: number,
  message: string,
  d: { failed: number; aborted: number; appCount: number },
  perPoint: readonly number[],
  unit: string,
  state: RangeState,
): OgCard {
  return {
    kicker: `${SITE_NAME} · ${rangeTitle(state)}`,
    title: `Exit code ${code}`,
    subtitle: message,
    figures: [
      { value: formatInt(d.failed), label: "failed runs" },
      { value: formatInt(d.aborted), label: "aborted runs" },
      { value: formatInt(d.appCount), label: d.appCount === 1 ? "app hit" : "apps hit" },
    ],
    bars: perPoint.map((v) => [{ value: v, color: OG_COLORS.failed }]),
    barsLabel: `Failed and aborted runs with exit code ${code} per ${unit}`,
    legend: [],
    footer: footer(state),
  };
}
