/**
 * An alert's request body in each target's documented format (docs/ALERTS.md):
 *  - Discord execute-webhook JSON: `content` (≤ 2,000 characters) and one of `embeds` (title ≤ 256,
 *    description ≤ 4,096, ≤ 25 fields of name ≤ 256 and value ≤ 1,024, footer ≤ 2,048, 6,000 in
 *    all), `allowed_mentions: {parse: []}` so nothing in it pings anyone;
 *  - Slack incoming-webhook JSON: `text` (the notification's fallback) and Block Kit `blocks`
 *    (header plain_text ≤ 150, section mrkdwn ≤ 3,000, ≤ 10 fields of ≤ 2,000, buttons with a
 *    label ≤ 75 and a url ≤ 3,000), text escaped as Slack asks (&, <, >);
 *  - the generic webhook: `{id, event, sent_at, attempt, data}` signed with HMAC-SHA256 of the
 *    exact body (`X-Alert-Signature-256: sha256=<hex>`).
 * Pure. Commit messages and labels come from outside: escaped so they add no links or markup.
 */
import { createHmac } from "node:crypto";
import { formatInt, formatRate, truncate } from "../format";
import { bucketLabel } from "../time";
import type { AlertEvent, IncidentAlert, RegressionAlert } from "./events";

export type AlertFormat = "discord" | "slack" | "webhook";

const when = (bucket: string) => `${bucketLabel(bucket)} UTC`;
const RED = 0xd64545;
const GREEN = 0x2e9e5b;
const ORANGE = 0xe07b22;

/** One line that says what happened: the notification text. */
export function headline(e: AlertEvent): string {
  if (e.kind === "incident") {
    const what = e.exit_code === null ? `${e.category} failures` : `exit code ${e.exit_code} (${e.label})`;
    return `Incident: ${what} across ${e.apps.length} apps since ${when(e.start)}${e.end ? `, until ${when(e.end)}` : ""}`;
  }
  if (e.kind === "regression_closed") return `Recovered: ${e.nsapp} — the regression from ${when(e.start)} ended ${when(e.end ?? e.start)}`;
  return `Regression: ${e.nsapp} fails ${formatRate(e.rate)} of installs since ${when(e.start)} (usually ${formatRate(e.baseline_rate)})`;
}

function title(e: AlertEvent): string {
  if (e.kind === "incident") return e.exit_code === null ? `Incident: ${e.category}` : `Incident: exit code ${e.exit_code}`;
  return `${e.nsapp}: failure rate ${formatRate(e.baseline_rate)} → ${formatRate(e.rate)}${e.kind === "regression_closed" ? " (recovered)" : ""}`;
}

interface Fact {
  name: string;
  /** Plain text, or a link given as parts so each format writes its own syntax. */
  value: string;
  link?: { text: string; url: string; after: string };
}

function regressionFacts(e: RegressionAlert): Fact[] {
  const facts: Fact[] = [
    { name: "Window", value: `${when(e.start)} – ${e.end ? when(e.end) : "still going on"}` },
    { name: "Failure rate", value: `${formatRate(e.rate)} (${formatInt(e.failed)} of ${formatInt(e.decided)} finished runs)` },
    { name: "Before", value: `${formatRate(e.baseline_rate)} (${formatInt(e.baseline_failed)} of ${formatInt(e.baseline_decided)})` },
    { name: "Excess failures", value: formatInt(Math.round(e.excess_failures)) },
  ];
  if (e.exit_codes.length) {
    facts.push({
      name: "Exit codes that rose",
      value: e.exit_codes
        .slice(0, 5)
        .map((c) => `${c.exit_code} ${c.label}: ${formatInt(c.failed)} (${formatInt(Math.round(c.expected))} expected)`)
        .join("\n"),
    });
  }
  const c = e.likely_cause;
  if (c) {
    const before = c.hours_before === 0 ? "when it began" : `${c.hours_before} h before`;
    facts.push({
      name: "Likely change",
      value: "",
      link: { text: truncate(c.message || c.sha.slice(0, 7), 120), url: c.url, after: ` (${c.sha.slice(0, 7)}, ${before}; ${truncate(c.matched_paths.join(", "), 300)})` },
    });
  } else if (e.kind === "regression_opened") {
    facts.push({ name: "Likely change", value: "none found in the 72 hours before it began" });
  }
  return facts;
}

function incidentFacts(e: IncidentAlert): Fact[] {
  return [
    { name: "Window", value: `${when(e.start)} – ${e.end ? when(e.end) : "still going on"}` },
    { name: "Excess failures", value: `${formatInt(Math.round(e.excess_failures))} (${formatInt(e.failed)} failures)` },
    {
      name: `Apps (${e.apps.length})`,
      value: e.apps
        .slice(0, 15)
        .map((a) => `${a.nsapp} +${formatInt(Math.round(a.excess_failures))}`)
        .join(", "),
    },
  ];
}

const facts = (e: AlertEvent) => (e.kind === "incident" ? incidentFacts(e) : regressionFacts(e));
const mainLink = (e: AlertEvent) => (e.kind === "incident" ? e.links.regressions : e.links.app);

/** Discord markdown made inert: a backslash before every character that formats or links. */
const discordText = (text: string) => text.replace(/[\\`*_~|>#[\]()<@]/g, (c) => `\\${c}`);

export function discordPayload(e: AlertEvent): Record<string, unknown> {
  const fields = facts(e).map((f) => ({
    name: truncate(f.name, 256),
    value: truncate(f.link ? `[${discordText(f.link.text)}](${f.link.url})${discordText(f.link.after)}` : discordText(f.value), 1024),
    inline: f.name !== "Exit codes that rose" && f.name !== "Likely change" && !f.name.startsWith("Apps"),
  }));
  const link = mainLink(e);
  const report = e.kind === "incident" ? null : e.links.report;
  const lines = [link ? `[Open the dashboard](${link})` : null, report && report.length <= 2000 ? `[Report on GitHub](${report})` : null].filter(Boolean);
  const embed: Record<string, unknown> = {
    title: truncate(title(e), 256),
    color: e.kind === "regression_opened" ? RED : e.kind === "regression_closed" ? GREEN : ORANGE,
    fields,
    footer: { text: "PVE script install telemetry" },
  };
  if (link) embed.url = link;
  if (lines.length) embed.description = lines.join(" · ");
  return { content: truncate(discordText(headline(e)), 2000), embeds: [embed], allowed_mentions: { parse: [] } };
}

/** Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackPayload(e: AlertEvent): Record<string, unknown> {
  const fields = facts(e).map((f) => ({
    type: "mrkdwn",
    text: truncate(`*${f.name}*\n${f.link ? `<${f.link.url}|${slackText(f.link.text).replace(/\|/g, "¦")}>${slackText(f.link.after)}` : slackText(f.value)}`, 2000),
  }));
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: truncate(title(e), 150), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: truncate(slackText(headline(e)), 3000) } },
    { type: "section", fields: fields.slice(0, 10) },
  ];
  const buttons: Record<string, unknown>[] = [];
  const link = mainLink(e);
  if (link) buttons.push({ type: "button", text: { type: "plain_text", text: "Open the dashboard" }, url: link });
  const report = e.kind === "incident" ? null : e.links.report;
  if (report && report.length <= 3000) buttons.push({ type: "button", text: { type: "plain_text", text: "Report on GitHub" }, url: report });
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });
  return { text: truncate(slackText(headline(e)), 3000), blocks };
}

/** The generic webhook's body; `id` is the delivery's (the same on every retry), so receivers can drop repeats. */
export function webhookBody(e: AlertEvent, delivery: { id: string; attempt: number; sentAt: Date }): Record<string, unknown> {
  return { id: delivery.id, event: e.kind, sent_at: delivery.sentAt.toISOString(), attempt: delivery.attempt, data: e };
}

/** `sha256=` + hex HMAC-SHA256 of the exact body bytes, as `X-Alert-Signature-256` carries it. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The body and headers of one attempt in the subscription's format. */
export function renderAlert(
  format: AlertFormat,
  e: AlertEvent,
  delivery: { id: string; attempt: number; sentAt: Date },
  secret: string,
): { body: string; headers: Record<string, string> } {
  if (format === "discord") return { body: JSON.stringify(discordPayload(e)), headers: {} };
  if (format === "slack") return { body: JSON.stringify(slackPayload(e)), headers: {} };
  const body = JSON.stringify(webhookBody(e, delivery));
  return { body, headers: { "x-alert-event": e.kind, "x-alert-delivery": delivery.id, "x-alert-signature-256": signature(secret, body) } };
}
