/**
 * The hardware report — the "Hardware and platform" tables (app page, /os), the API answers
 * /api/v1/apps/{nsapp}/hardware and /api/v1/hardware, their CSVs and OpenAPI entries — declared
 * once. Rows from lib/data (loadAppHardware/loadHardware, lib/data/queries/hardware.ts): one per
 * (dimension, value), "not reported" (value "") included so that each dimension's shares sum
 * to 1 and n is every run.
 */
import { z } from "zod";
import type { HardwareValue } from "../data";
import { DIMENSION_LABELS, HARDWARE_DIMENSIONS, hardwareLabel, NOT_REPORTED } from "../hardware";
import { field, report } from "./report";

const int = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();

/** The table's context: the largest share of the dimension shown (the bars' full width). */
export interface HardwareContext {
  maxShare: number;
}

export const HARDWARE = report<HardwareValue, HardwareContext>([
  field("dimension", z.enum(HARDWARE_DIMENSIONS).describe(`one of ${HARDWARE_DIMENSIONS.join(", ")}`), (r) => r.dimension),
  field(
    "value",
    z.string().describe('the reported value, normalised (lower case, blanks trimmed); "" = not reported (the older protocol sends none of these fields)'),
    (r) => r.value,
    {
      table: {
        label: "Value",
        cell: (r) =>
          r.value === NOT_REPORTED
            ? { kind: "text", value: "not reported", muted: true, note: "e.g. older protocol" }
            : { kind: "text", value: hardwareLabel(r.dimension, r.value) },
      },
    },
  ),
  field("runs", int, (r) => r.runs, { table: { label: "Runs", cell: (r) => ({ kind: "integer", value: r.runs }) } }),
  field("share", z.number().min(0).max(1).describe("of all runs in the range, not reported included"), (r) => r.share, {
    table: { label: "Share", priority: 2, cell: (r, { maxShare }) => ({ kind: "share", value: r.share, max: maxShare, color: "var(--accent)" }) },
  }),
  field("success", int, (r) => r.success),
  field("failed", int, (r) => r.failed, { table: { label: "Failures", priority: 3, cell: (r) => ({ kind: "integer", value: r.failed }) } }),
  field("aborted", int, (r) => r.aborted),
  field("unknown", int, (r) => r.unknown),
  field("installing", int, (r) => r.installing),
  field("decided", int.describe("runs that ended either way (success + failed): the n of failure_rate and its interval"), (r) => r.decided, {
    table: { label: "n", priority: 3, cell: (r) => ({ kind: "integer", value: r.decided }) },
  }),
  field("failure_rate", rate.describe("failed ÷ decided; null without decided runs"), (r) => r.failure_rate, {
    table: { label: "Failure rate (95 % interval)", cell: (r) => ({ kind: "rate", value: r.failure_rate, low: r.failure_low, high: r.failure_high }) },
  }),
  field("failure_low", rate.describe("Wilson 95 % interval, lower bound"), (r) => r.failure_low),
  field("failure_high", rate.describe("Wilson 95 % interval, upper bound"), (r) => r.failure_high),
]);

/** The rows of one dimension, with their table context. */
export function dimensionRows(values: readonly HardwareValue[], dimension: (typeof HARDWARE_DIMENSIONS)[number]) {
  const rows = values.filter((v) => v.dimension === dimension);
  return { label: DIMENSION_LABELS[dimension], rows, ctx: { maxShare: Math.max(0, ...rows.map((r) => r.share)) } };
}
