/**
 * The runs report — an app's runs table (components/AppRuns.tsx), /api/v1/apps/{nsapp}/runs and
 * its CSV — declared once: parameters from the views `app` and `apiRuns` (lib/views.ts), rows
 * from lib/data (loadRuns/fetchRuns). Start times to the minute; never ids, session ids or error text.
 */
import { z } from "zod";
import type { Run } from "../data";
import { explainExitCode } from "../exit-codes";
import { osLabel } from "../labels";
import { OUTCOME_STYLE } from "../outcome-style";
import { OUTCOMES, type Outcome } from "../outcomes";
import { field, report } from "./report";

/** Outcomes whose runs carry a meaningful exit code (others show what the outcome means instead). */
const WITH_CODE: readonly Outcome[] = ["failed", "aborted"];

export const RUNS = report<Run, null>(
  [
    field("started", z.string().describe("UTC, to the minute"), (r) => r.started, {
      table: { label: "Started (UTC)", cell: (r) => ({ kind: "text", value: r.started, nowrap: true }) },
    }),
    field("outcome", z.enum(OUTCOMES), (r) => r.outcome),
    field("type", z.string(), (r) => r.type),
    field("exit_code", z.number().int().nonnegative(), (r) => r.exitCode, {
      table: {
        key: "code",
        label: "Exit code",
        align: "left",
        cell: (r) =>
          WITH_CODE.includes(r.outcome)
            ? { kind: "code", code: r.exitCode, text: explainExitCode(r.exitCode, r.started.slice(0, 10)) }
            : { kind: "text", value: OUTCOME_STYLE[r.outcome].description, muted: true },
      },
    }),
    field("os_type", z.string().describe('OS label as in every breakdown: lower case; "not reported" for "n.d.", blanks and the like'), (r) => r.osType, {
      table: { key: "os", label: "OS", priority: 2, cell: (r) => ({ kind: "text", value: osLabel(r.osType, r.osVersion) }) },
    }),
    field("os_version", z.string().describe('version label: Ubuntu "2404" is "24.04"; "not reported" when the OS or the version is missing'), (r) => r.osVersion),
    field("pve_version", z.string().describe('Proxmox VE version; "not reported" for old rows\' "not found" and blanks'), (r) => r.pveVersion, {
      table: { key: "pve", label: "PVE", priority: 2, cell: (r) => ({ kind: "text", value: r.pveVersion }) },
    }),
    field("method", z.string().describe('install method; "not reported" when missing'), (r) => r.method, {
      table: { label: "Method", priority: 3, cell: (r) => ({ kind: "text", value: r.method }) },
    }),
  ],
  { csvOrder: ["started", "method", "pve_version", "exit_code", "os_type", "type", "os_version", "outcome"] },
);
