/**
 * Descriptions of pages from their figures, as link previews and search results show them:
 * "jellyfin: 17,337 installs in 30 days, 92.6 % succeeded (n 16,987)." The figures are the
 * ones the page itself shows (same loaders, same formatters); a rate needs MIN_SAMPLE finished
 * runs, as on badges. Pure.
 */
import { DEFAULT_REPO, REPO_PHRASE, REPO_SHORT_LABEL } from "../repo";
import { MIN_SAMPLE } from "../embed/catalog";
import { formatDaySpan, formatInt, formatPercent } from "../format";
import type { ViewState } from "../params";
import { PRESET_LABELS } from "../range";

type RangeState = Pick<ViewState, "preset" | "range">;

/** "in 30 days", "in 24 hours", "to date", "in 1–7 Nov 2026"; another selection than the official one named: "in 30 days (development repository)". */
export function rangePhrase(state: RangeState): string {
  const repo = state.range.repo === DEFAULT_REPO ? "" : ` (${REPO_PHRASE[state.range.repo]})`;
  if (state.preset === "custom") return `in ${formatDaySpan(state.range.from, state.range.to)}${repo}`;
  if (state.preset === "all") return `to date${repo}`;
  return `in ${PRESET_LABELS[state.preset]}${repo}`;
}

/** "92.6 % succeeded (n 16,987)", or why there is no rate. */
export function successPhrase(success: number, failed: number): string {
  const n = success + failed;
  if (n === 0) return "none finished yet";
  if (n < MIN_SAMPLE) return `too few finished for a success rate (n ${formatInt(n)})`;
  return `${formatPercent(success / n)} succeeded (n ${formatInt(n)})`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatInt(n)} ${n === 1 ? one : many}`;

interface Outcomes {
  runs: number;
  success: number;
  failed: number;
}

export function describeApp(nsapp: string, t: Outcomes, state: RangeState): string {
  if (t.runs === 0) return `${nsapp}: no installs ${rangePhrase(state)}. Install statistics of the Proxmox VE community script.`;
  return `${nsapp}: ${plural(t.runs, "install")} ${rangePhrase(state)}, ${successPhrase(t.success, t.failed)}. Failures, exit codes and environments of the Proxmox VE community script.`;
}

export function describeOverview(t: Outcomes, apps: number | null, state: RangeState): string {
  const of = apps === null ? "" : ` of ${plural(apps, "app")}`;
  return `Proxmox VE community scripts: ${plural(t.runs, "install")}${of} ${rangePhrase(state)}, ${successPhrase(t.success, t.failed)}. Runs, success rates and failures per app.`;
}

export function describeApps(apps: number, minRuns: number, state: RangeState): string {
  const floor = minRuns > 0 ? ` with at least ${plural(minRuns, "run")}` : "";
  return `${plural(apps, "app")}${floor} ${rangePhrase(state)}: runs, failures and failure rates with their 95 % intervals, most failing first.`;
}

export function describeErrors(failed: number, top: { code: number; message: string } | null, state: RangeState): string {
  const lead = `${plural(failed, "failed install")} ${rangePhrase(state)}, by exit code`;
  return top ? `${lead}; the most frequent: ${top.code} (${top.message}). Each code explained, with the apps it hits.` : `${lead}. Each code explained, with the apps it hits.`;
}

export function describeExitCode(code: number, message: string, d: { failed: number; aborted: number; appCount: number }, state: RangeState): string {
  const runs = `${plural(d.failed, "failed run")}${d.aborted ? ` and ${plural(d.aborted, "aborted run")}` : ""}`;
  return `Exit code ${code} (${message}): ${runs} ${rangePhrase(state)}, in ${plural(d.appCount, "app")}. Its trend, the apps and OS versions it hits.`;
}

export function describeOs(runs: number, top: { os: string; runs: number } | null, state: RangeState): string {
  const lead =
    top && runs > 0 ? `${top.os} ran ${formatPercent(top.runs / runs)} of ${plural(runs, "install")} ${rangePhrase(state)}` : `${plural(runs, "install")} ${rangePhrase(state)}`;
  return `${lead}. Operating systems and versions of Proxmox VE script installs, their shares over time and failure rates.`;
}

export function describeRegressions(regressions: number, incidents: number, state: RangeState): string {
  return `${plural(regressions, "regression")} (an app's failure rate above its own baseline) and ${plural(incidents, "incident")} (an exit code spiking across apps) ${rangePhrase(state)}, with their exit codes and environments.`;
}

export function describeDigest(span: string, w: { runs: number; rate: number | null; previous_rate: number | null }, counts: { newlyFailing: number; recovered: number }): string {
  const rate = w.rate === null ? "" : `, ${formatPercent(w.rate)} failed${w.previous_rate === null ? "" : ` (${formatPercent(w.previous_rate)} the week before)`}`;
  return `Week of ${span}: ${plural(w.runs, "install")}${rate}; ${plural(counts.newlyFailing, "app")} newly failing, ${plural(counts.recovered, "app")} recovered.`;
}

/**
 * The active filters of a list, named as the folded filter control on a phone shows them:
 * ["30 days", "Development", "“jelly”", "vm", "OS debian", "≥ 20 runs"]. The range is always
 * named; the others (a repository other than the official one among them) only when set.
 */
export function activeFilters(state: Pick<ViewState, "preset" | "range" | "q" | "type" | "os" | "minRuns">): string[] {
  const range = state.preset === "custom" ? formatDaySpan(state.range.from, state.range.to) : PRESET_LABELS[state.preset];
  const named = [range];
  if (state.range.repo !== DEFAULT_REPO) named.push(REPO_SHORT_LABEL[state.range.repo]);
  if (state.q) named.push(`“${state.q}”`);
  if (state.type) named.push(state.type);
  if (state.os) named.push(`OS ${state.os}`);
  if (state.minRuns > 0) named.push(`≥ ${formatInt(state.minRuns)} runs`);
  return named;
}
