/**
 * The failing-commands report — the app page's "Where it fails" table, /api/v1/apps/{nsapp}/failing-commands,
 * its CSV and its OpenAPI entry — declared once. Rows come from the one loader (lib/data:
 * loadFailingCommands/fetchFailingCommands, lib/data/queries/failing-commands.ts). A command is
 * its normalised signature (pb_hooks/telemetry-signature.cjs): never the error text.
 */
import { z } from "zod";
import type { FailingCommand } from "../data";
import { explainExitCode } from "../exit-codes";
import { bucketLabel } from "../time";
import { field, report } from "./report";

const int = z.number().int().nonnegative();

/** "22 ×5, 100 ×2": the exit codes a command ended with, most first. */
export function exitCodesText(c: Pick<FailingCommand, "exit_codes">): string {
  return c.exit_codes.map((e) => `${e.exit_code} ×${e.failed}`).join(", ");
}

export const FAILING_COMMANDS = report<FailingCommand, null>([
  field(
    "command",
    z.string().describe("the failing command, normalised: versions, numbers, hashes, temporary paths, addresses, host and user names, secrets masked (/methodology)"),
    (r) => r.command,
    {
      table: { label: "Command", cell: (r) => ({ kind: "text", value: r.command, note: r.line ? `line ${r.line}` : "line not reported" }) },
    },
  ),
  field("line", int.describe("the script line it failed at; 0 when not reported"), (r) => r.line),
  field("failed", int, (r) => r.failed, { table: { label: "Failures", cell: (r) => ({ kind: "integer", value: r.failed }) } }),
  field("share", z.number().min(0).max(1).describe("of the app's failures in the range, with a command or not"), (r) => r.share, {
    table: { label: "Share of failures", priority: 2, cell: (r) => ({ kind: "percent", value: r.share }) },
  }),
  field("first_seen", z.string().describe("first bucket (day; hour for 24h) with a failure at it in the range"), (r) => r.first_seen, {
    table: { label: "First seen", priority: 3, cell: (r) => ({ kind: "text", value: bucketLabel(r.first_seen), nowrap: true }) },
  }),
  field("last_seen", z.string().describe("last bucket with a failure at it in the range"), (r) => r.last_seen, {
    table: { label: "Last seen", priority: 3, cell: (r) => ({ kind: "text", value: bucketLabel(r.last_seen), nowrap: true }) },
  }),
  field("exit_codes", z.array(z.strictObject({ exit_code: int, failed: int })).describe("the exit codes its failures ended with, most first"), (r) => r.exit_codes, {
    csv: { exit_codes: (v) => (v as FailingCommand["exit_codes"]).map((e) => `${e.exit_code}:${e.failed}`).join(" ") },
    table: {
      label: "Exit codes",
      priority: 2,
      cell: (r) => ({ kind: "text", value: exitCodesText(r), note: r.exit_codes[0] ? explainExitCode(r.exit_codes[0].exit_code) : undefined }),
    },
  }),
]);
