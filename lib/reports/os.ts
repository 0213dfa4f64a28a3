/**
 * The OS report — the /os table, /api/v1/os and its CSV — declared once: parameters from the
 * views `os` and `apiOs` (lib/views.ts), rows from lib/data (loadOsVersions/fetchOsVersions).
 */
import { z } from "zod";
import type { OsVersionRow } from "../data";
import { NOT_REPORTED } from "../labels";
import { viewHref } from "../params";
import { VIEWS } from "../views";
import { field, report, type ShareContext } from "./report";

const int = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();

export const OS = report<OsVersionRow, ShareContext>([
  field("type", z.string(), (r) => r.type),
  field("os", z.string(), (r) => r.osType, {
    table: {
      label: "OS and version",
      cell: (r, { state }) =>
        r.osType === NOT_REPORTED
          ? { kind: "text", value: NOT_REPORTED, muted: true, note: r.type }
          : {
              kind: "link",
              value: `${r.osType} ${r.osVersion === NOT_REPORTED ? "(version not reported)" : r.osVersion}`,
              href: viewHref(VIEWS.os, "/os", state, { os: r.osType }),
              note: r.type,
            },
    },
  }),
  field("version", z.string(), (r) => r.osVersion),
  field("runs", int, (r) => r.runs, { table: { label: "Runs", sortable: true, testId: "os-runs", cell: (r) => ({ kind: "integer", value: r.runs }) } }),
  field("success", int, (r) => r.success),
  field("failed", int, (r) => r.failed, {
    table: { label: "Failures", sortable: true, priority: 2, testId: "os-failed", cell: (r) => ({ kind: "integer", value: r.failed }) },
  }),
  field("aborted", int, (r) => r.aborted),
  field("share", z.number().min(0).max(1), (r) => r.share, {
    table: { label: "Share of type", priority: 3, cell: (r, { maxShare }) => ({ kind: "share", value: r.share, max: maxShare, color: "var(--accent)" }) },
  }),
  field("failure_rate", rate, (r) => r.failureRate, {
    table: { label: "Failure rate (95 % interval)", sortable: true, cell: (r) => ({ kind: "rate", value: r.failureRate, low: r.failureLow, high: r.failureHigh }) },
  }),
  field("failure_low", rate, (r) => r.failureLow),
  field("failure_high", rate, (r) => r.failureHigh),
]);
