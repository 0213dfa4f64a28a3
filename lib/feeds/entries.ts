/**
 * What the Atom feeds say: one entry per regression, per cross-app incident, per weekly digest,
 * and — in an app's own feed — per week the app was newly failing or recovered. Ids are tag:
 * URIs named after the event (app and start day, code and start day, the week's Monday), so an
 * entry keeps its id while its figures grow, also when its start moves from an hour to its
 * day as it leaves the hourly window. Links are absolute, to the pages with the event's dates
 * as their range. Pure.
 */
import type { Suspect } from "../changes/likely-cause";
import { html, htmlText, type Html } from "../embed/html";
import { explainExitCode } from "../exit-codes";
import { formatDaySpan, formatInt, formatPoints, formatRate } from "../format";
import type { DigestApp, WeekDigest } from "../insights/digest";
import type { Incident } from "../insights/find-incidents";
import { failingCommandSentence, type Regression } from "../insights/find-regressions";
import { bucketSpan } from "../insights/scan-plan";
import { parseViewState, viewHref, withRepoQuery } from "../params";
import { FIRST_DAY } from "../range";
import { addDays, bucketLabel, utcDay } from "../time";
import { VIEWS, type View } from "../views";
import { DEFAULT_REPO, type Repo } from "../repo";
import { isoWeek, type Week } from "../week";
import type { AtomEntry } from "./atom";

export interface FeedContext {
  /** "https://stats.example.org": where links point. */
  origin: string;
  now: Date;
  /** Whose runs the feed follows (`?repo=`, lib/repo.ts): its entries, links and ids are that selection's. */
  repo: Repo;
}

export interface DigestOfWeek {
  week: Week;
  digest: WeekDigest;
}

/** tag: URIs (RFC 4151) under the site's host name; the date only dates the naming scheme. Another selection's entries are other entries. */
export function tagId(ctx: FeedContext, specific: string): string {
  return `tag:${new URL(ctx.origin).hostname},2026:${ctx.repo === DEFAULT_REPO ? "" : `repo/${ctx.repo}/`}${specific}`;
}

const instant = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
/** When a bucket ended (an open one: now). */
const bucketEnd = (bucket: string, now: Date) => instant(Math.min(bucketSpan(bucket)[1], now.getTime()));
/** encodeURIComponent throws on a lone surrogate: it becomes U+FFFD first. */
export const segment = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
const appPath = (nsapp: string) => `/apps/${segment(nsapp)}`;
/** A week's entries change when it ends (Monday 00:00 UTC after it). */
export const weekUpdated = (w: Week) => instant(Date.parse(`${addDays(w.sunday, 1)}T00:00:00Z`));

/** An absolute link to a page of `view` showing the days from…to (through the one parser: invalid days give its default range). */
export function rangeLink(ctx: FeedContext, view: View, path: string, from: string, to: string): string {
  const today = utcDay(ctx.now);
  const { state } = parseViewState({ from: from < FIRST_DAY ? FIRST_DAY : from, to: to > today ? today : to, repo: ctx.repo }, ctx.now, view);
  return `${ctx.origin}${viewHref(view, path, state)}`;
}

export function weekLink(ctx: FeedContext, w: Week): string {
  return withRepoQuery(`${ctx.origin}/digest?week=${w.monday}`, ctx.repo);
}

function weekTitle(w: Week): string {
  return `${formatDaySpan(w.monday, w.sunday)} (week ${isoWeek(w.monday).week})`;
}

function codeText(code: number, at: string): string {
  return `${code} (${explainExitCode(code, at.slice(0, 10))})`;
}

/** The likely change in a sentence: its message, commit link and how long before the regression it reached users. */
function causeText(s: Suspect): string {
  const when = s.hoursBefore === 0 ? "when it began" : `${s.hoursBefore.toFixed(1)} h before it began`;
  return ` Likely change: "${s.change.message || s.change.sha.slice(0, 7)}" (${s.change.url}, ${s.kind === "shared" ? "a shared library, " : ""}${when}).`;
}

export function regressionEntry(ctx: FeedContext, r: Regression, likelyCause: Suspect | null = null): AtomEntry {
  const start = r.start.slice(0, 10);
  const when = r.end === null ? `since ${bucketLabel(r.start)}, still open` : `${bucketLabel(r.start)} to ${bucketLabel(r.end)}`;
  const codes = r.exit_codes.map((c) => codeText(c.exit_code, r.start));
  const incident = r.incident
    ? ` Part of a cross-app incident of ${r.incident.exit_code !== null ? `exit code ${r.incident.exit_code}` : r.incident.category} from ${bucketLabel(r.incident.start)}.`
    : "";
  const summary =
    `${r.nsapp} failed ${formatRate(r.rate)} of ${formatInt(r.decided)} decided runs (${when}) against a usual ${formatRate(r.baseline_rate)}: ` +
    `${formatInt(r.failed)} failures, ${formatInt(Math.round(r.excess_failures))} more than expected.` +
    (codes.length ? ` Exit codes that rose: ${codes.join(", ")}.` : "") +
    r.causes.map((c) => ` ${c.sentence}.`).join("") +
    (r.failing_command ? ` ${failingCommandSentence(r)}.` : "") +
    incident +
    (likelyCause ? causeText(likelyCause) : "");
  return {
    id: tagId(ctx, `regression/${segment(r.nsapp)}/${start}`),
    title: `${r.nsapp}: failure rate up from ${formatRate(r.baseline_rate)} to ${formatRate(r.rate)}, ${when}`,
    updated: bucketEnd(r.last, ctx.now),
    // A week of baseline before and (at most) a week after, so the page shows the change.
    link: rangeLink(ctx, VIEWS.app, appPath(r.nsapp), addDays(start, -7), addDays(r.last.slice(0, 10), 7)),
    summary,
    categories: ["regression", r.nsapp],
  };
}

export function incidentEntry(ctx: FeedContext, i: Incident): AtomEntry {
  const what = i.exit_code !== null ? `exit code ${codeText(i.exit_code, i.start)}` : `${i.label} failures`;
  const when = i.end === null ? `since ${bucketLabel(i.start)} UTC, still open` : `${bucketLabel(i.start)} to ${bucketLabel(i.end)} UTC`;
  const apps = i.apps.map((a) => `${a.nsapp} (${formatInt(a.failed)})`).join(", ");
  const from = i.start.slice(0, 10);
  const to = i.last.slice(0, 10);
  return {
    id: tagId(ctx, `incident/${i.exit_code ?? segment(i.category)}/${from}`),
    title: `Incident: ${what} across ${i.apps.length} apps, ${when}`,
    updated: bucketEnd(i.last, ctx.now),
    link: i.exit_code !== null ? rangeLink(ctx, VIEWS.error, `/errors/${i.exit_code}`, from, to) : rangeLink(ctx, VIEWS.errors, "/errors", from, to),
    summary: `${formatInt(i.failed)} failures, ${formatInt(Math.round(i.excess_failures))} more than expected, in ${apps}.`,
    categories: ["incident", ...i.apps.map((a) => a.nsapp)],
  };
}

function appList(ctx: FeedContext, w: Week, title: string, rows: readonly DigestApp[], detail: (r: DigestApp) => string): Html | null {
  if (rows.length === 0) return null;
  const items = rows.map((r) => html`<li><a href="${rangeLink(ctx, VIEWS.app, appPath(r.nsapp), w.monday, w.sunday)}">${r.nsapp}</a> ${detail(r)}</li>`);
  return html`<h3>${title}</h3><ul>${items}</ul>`;
}

const rates = (r: DigestApp) => `${r.rate === null ? "–" : formatRate(r.rate)} (week before ${r.previous_rate === null ? "–" : formatRate(r.previous_rate)})`;

export function digestEntry(ctx: FeedContext, { week, digest: d }: DigestOfWeek): AtomEntry {
  const t = d.totals;
  const counts = [
    `${d.newly_failing.length} newly failing`,
    `${d.recovered.length} recovered`,
    `${d.still_failing.length} still failing`,
    `${d.incidents.length} incident${d.incidents.length === 1 ? "" : "s"}`,
  ].join(", ");
  const change = t.rate !== null && t.previous_rate !== null ? ` (${formatPoints(t.rate - t.previous_rate)})` : "";
  const summary = `${counts}. ${formatInt(t.runs)} runs (week before ${formatInt(t.previous_runs)}), failure rate ${t.rate === null ? "–" : formatRate(t.rate)}${change}.`;
  const content = html`<p>${summary}</p>${[
    appList(ctx, week, "Newly failing", d.newly_failing, rates),
    appList(ctx, week, "Recovered", d.recovered, rates),
    appList(ctx, week, "Still failing", d.still_failing, rates),
  ]}${
    d.incidents.length
      ? html`<h3>Incidents</h3><ul>${d.incidents.map((i) => html`<li>${i.exit_code !== null ? `exit code ${codeText(i.exit_code, i.start)}` : i.label} in ${i.apps.length} apps from ${bucketLabel(i.start)} UTC</li>`)}</ul>`
      : null
  }<p><a href="${weekLink(ctx, week)}">The whole digest</a></p>`;
  return {
    id: tagId(ctx, `digest/${week.monday}`),
    title: `Weekly digest, ${weekTitle(week)}`,
    updated: weekUpdated(week),
    link: weekLink(ctx, week),
    summary,
    content: htmlText(content),
    categories: ["digest"],
  };
}

/** An app's own feed: the weeks it was newly failing or recovered. */
export function appWeekEntries(ctx: FeedContext, nsapp: string, weeks: readonly DigestOfWeek[]): AtomEntry[] {
  return weeks.flatMap(({ week, digest }) => {
    const newly = digest.newly_failing.find((r) => r.nsapp === nsapp);
    const recovered = digest.recovered.find((r) => r.nsapp === nsapp);
    const row = newly ?? recovered;
    if (!row) return [];
    const what = newly ? "newly failing" : "recovered";
    const ended = recovered?.regression ? ` Its regression from ${bucketLabel(recovered.regression.start)} ended ${bucketLabel(recovered.regression.last)}.` : "";
    return [
      {
        id: tagId(ctx, `digest/${week.monday}/${segment(nsapp)}`),
        title: `${nsapp} ${what} in the week of ${weekTitle(week)}: ${rates(row)}`,
        updated: weekUpdated(week),
        link: rangeLink(ctx, VIEWS.app, appPath(nsapp), week.monday, week.sunday),
        summary: `${formatInt(row.failed)} failures in ${formatInt(row.decided)} decided runs (week before: ${formatInt(row.previous_failed)} in ${formatInt(row.previous_decided)}).${ended}`,
        categories: ["digest", what],
      },
    ];
  });
}
