/**
 * "Report on GitHub": a link to the scripts repository's new-issue form, prefilled with a
 * regression's figures — a URL, no credentials, nothing sent anywhere until the maintainer
 * submits the form. Pure; the repository and its form are configuration (ISSUE_TARGET default).
 *
 * community-scripts/ProxmoxVE turns blank issues off (`blank_issues_enabled: false`), so a
 * plain `?title=&body=` link would land on the template chooser without the text. Its bug
 * form, `bug_report.yml`, is prefilled field by field instead: GitHub fills an issue form's
 * input and textarea fields from query parameters named by the field's `id`.
 */
import { explainExitCode } from "../exit-codes";
import { formatInt, formatPercent, truncate } from "../format";
import type { RisingCode, SplitRow } from "../insights/window-details";
import type { Suspect } from "./likely-cause";

export interface IssueTarget {
  /** owner/name on GitHub. */
  repository: string;
  /** The issue form's file name; null: a repository with blank issues (title and body). */
  template: string | null;
  /** The form's field ids for the report (a textarea) and the script's name (an input). */
  fields: { report: string; app: string | null };
}

/** community-scripts/ProxmoxVE's "Script Issue Report" form (.github/ISSUE_TEMPLATE/bug_report.yml). */
export const ISSUE_TARGET: IssueTarget = {
  repository: "community-scripts/ProxmoxVE",
  template: "bug_report.yml",
  fields: { report: "issue_description", app: "script_name" },
};

export interface IssueReport {
  nsapp: string;
  /** First and last elevated bucket ("YYYY-MM-DD" or "YYYY-MM-DD HH"); end null while open. */
  start: string;
  end: string | null;
  /** Finished runs (successes + failures) and failures before (the baseline) and during the regression. */
  before: { failed: number; decided: number };
  during: { failed: number; decided: number };
  exitCodes: readonly RisingCode[];
  environment: readonly SplitRow[];
  /** The top suspect (lib/changes/likely-cause.ts), if any. */
  likelyCause: Suspect | null;
  /** Absolute URL of the exact dashboard view the report is about. */
  link: string;
  /** Absolute URL of the methodology page. */
  methodology: string;
}

/** GitHub answers 414 beyond about 8 KB of URL; the report's lists are cut well below that. */
export const MAX_URL_LENGTH = 8000;
const MAX_CODES = 5;
const MAX_ENVIRONMENT = 6;
const MAX_TEXT = 140;

const rateOf = (o: { failed: number; decided: number }) => (o.decided ? o.failed / o.decided : null);
const withN = (o: { failed: number; decided: number }) => `${formatPercent(rateOf(o))} (${formatInt(o.failed)} of ${formatInt(o.decided)} finished runs)`;
const cut = (text: string) => truncate(text, MAX_TEXT);
/** Markdown-inert text: a commit message or label cannot add links, mentions or formatting. */
const inert = (text: string) => cut(text).replace(/[\\`*_[\]<>#|@!~]/g, (c) => `\\${c}`);

export function issueTitle(r: IssueReport): string {
  const code = r.exitCodes[0] ? ` (exit code ${r.exitCodes[0].exit_code})` : "";
  return `${r.nsapp}: failure rate up from ${formatPercent(rateOf(r.before))} to ${formatPercent(rateOf(r.during))} since ${r.start}${code}`;
}

export function issueBody(r: IssueReport): string {
  const lines = [
    `The public install telemetry shows **${r.nsapp}** failing more often than before.`,
    "",
    `- **Window:** ${r.start} – ${r.end ?? "still going on"} (UTC)`,
    `- **Failure rate before:** ${withN(r.before)}`,
    `- **Failure rate since:** ${withN(r.during)}`,
  ];
  if (r.exitCodes.length) {
    lines.push("- **Exit codes that rose:**");
    for (const c of r.exitCodes.slice(0, MAX_CODES)) {
      lines.push(`  - ${c.exit_code} ${inert(explainExitCode(c.exit_code))}: ${formatInt(c.failed)} failures, ${formatInt(Math.round(c.expected))} expected`);
    }
  }
  const env = r.environment.filter((e) => e.decided > 0).slice(0, MAX_ENVIRONMENT);
  if (env.length) lines.push(`- **Environment:** ${env.map((e) => `${inert(e.value)} ${formatPercent(e.rate)} (n ${formatInt(e.decided)})`).join("; ")}`);
  const s = r.likelyCause;
  if (s) {
    const when = s.hoursBefore === 0 ? "when it began" : `${s.hoursBefore.toFixed(1)} h before it began`;
    lines.push(
      `- **Likely change:** [${inert(s.change.message) || s.change.sha.slice(0, 7)}](${s.change.url}) (${s.change.sha.slice(0, 7)}, ${when}; ${s.paths.map(inert).join(", ")})`,
    );
  } else {
    lines.push("- **Likely change:** none found in the 72 hours before it began");
  }
  lines.push(`- **Dashboard:** ${r.link}`, "", `Figures and method: ${r.methodology}`);
  return lines.join("\n");
}

function url(r: IssueReport, target: IssueTarget, body: (r: IssueReport) => string): string {
  const params = new URLSearchParams();
  if (target.template) params.set("template", target.template);
  params.set("title", issueTitle(r));
  params.set(target.template ? target.fields.report : "body", body(r));
  if (target.template && target.fields.app) params.set(target.fields.app, r.nsapp);
  return `https://github.com/${target.repository}/issues/new?${params.toString()}`;
}

/** The prefilled new-issue URL, at most MAX_URL_LENGTH long. */
export function newIssueUrl(r: IssueReport, target: IssueTarget = ISSUE_TARGET): string {
  const full = url(r, target, issueBody);
  if (full.length <= MAX_URL_LENGTH) return full;
  // Only absurd input (labels of thousands of characters) gets here: the lists go, the figures stay.
  const short = url({ ...r, exitCodes: r.exitCodes.slice(0, 1), environment: [] }, target, issueBody);
  if (short.length <= MAX_URL_LENGTH) return short;
  const linkOnly = url(r, target, () => `Dashboard: ${r.link}`);
  return linkOnly.length <= MAX_URL_LENGTH ? linkOnly : url(r, target, () => `Figures and method: ${r.methodology}`);
}
