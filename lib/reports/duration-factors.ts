/**
 * The install-time-by-factor report — the app page's tables under "Install time" and the rows of
 * `install_time.by_factor` in /api/v1/apps/{nsapp} (and OpenAPI) — declared once. Rows from
 * lib/data (loadAppDurationFactors, lib/duration-factors.ts): one per value of a factor.
 */
import { z } from "zod";
import type { FactorValue } from "../data";
import { formatDuration, formatInt, formatRatio } from "../format";
import { field, report } from "./report";

const int = z.number().int().nonnegative();
const seconds = z.number().int().nonnegative().nullable();

/** n, p50 and p90 of runs with a duration (the API's shape of every install time). */
export const durationSide = (what: string) =>
  z
    .strictObject({
      n: int.describe(`${what} with a duration (today's protocol) in the range`),
      p50: seconds.describe(
        "median in seconds, nearest rank, rounded down to its bucket: within 5 s under a minute, at most 8.3 % below up to 2 h, 12.5 % beyond (/methodology); null when n = 0",
      ),
      p90: seconds.describe("90th percentile in seconds, same method; null when n = 0"),
    })
    .describe(`install time of ${what} (method: /methodology)`);

/** "2.9× slower", "1.6× faster", "same". */
function comparison(ratio: number | null): string {
  if (ratio === null) return "–";
  if (ratio === 1) return "same";
  return ratio > 1 ? `${formatRatio(ratio)} slower` : `${formatRatio(1 / ratio)} faster`;
}

export const DURATION_FACTOR_VALUES = report<FactorValue, null>([
  field("value", z.string().describe('the value: "2 cores", "4 GB", an install method, "debian 13"; "not reported" where the run sent none'), (r) => r.value, {
    table: { label: "Value", cell: (r) => ({ kind: "text", value: r.value, muted: r.value === "not reported" }) },
  }),
  field("success", durationSide("successful runs with this value"), (r) => r.success, {
    table: { label: "Typical (median)", cell: (r) => ({ kind: "text", value: formatDuration(r.success.p50), note: `n ${formatInt(r.success.n)}` }) },
  }),
  field("rest", durationSide("the app's other successful runs (every other value)"), (r) => r.rest, {
    table: { label: "Others' median", priority: 2, cell: (r) => ({ kind: "text", value: formatDuration(r.rest.p50), note: `n ${formatInt(r.rest.n)}` }) },
  }),
  field("ratio", z.number().nonnegative().nullable().describe("success.p50 ÷ rest.p50; null when either is unknown or the rest's is 0"), (r) => r.ratio, {
    table: {
      label: "Against the others",
      cell: (r) => ({ kind: "text", value: comparison(r.ratio), muted: !r.differs, note: r.differs ? "differs" : r.p_adjusted === null ? "too few runs to test" : undefined }),
    },
  }),
  field(
    "p_adjusted",
    z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("Benjamini–Hochberg adjusted p of the rank-sum test against the rest, over every value tested for the app; null when either side has fewer than 10 runs"),
    (r) => r.p_adjusted,
  ),
  field("differs", z.boolean().describe("p_adjusted ≤ 0.05 and the medians at least 1.25× apart beyond bucket precision (/methodology#install-time)"), (r) => r.differs),
]);
