import { answer, csvTable } from "@/lib/api";
import { RegressionsSchema } from "@/lib/api-schemas";
import { publicSuspect } from "@/lib/changes/public";
import { fetchInsights, fetchLikelyCauses } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/regressions?range=30d — apps whose failure rate rose clearly above their own
 * baseline (docs/INSIGHTS.md), overlapping the range: open ones first, then by excess failures;
 * each with its window, rates, the exit codes that rose, the environment split, the traits that
 * explain it, the incident it belongs to, and its likely causes — the script changes before it
 * (lib/changes/likely-cause.ts, docs/CHANGES.md) — (lib/api-schemas.ts RegressionsSchema). CSV:
 * one row per regression, the likely cause in its last columns.
 */

/** At most this many suspects per regression: the first is the likely cause, the next two the runners-up. */
const MAX_CAUSES = 3;

export async function GET(request: Request) {
  return answer(request, "regressions", VIEWS.apiRegressions, RegressionsSchema, async (state) => {
    const [{ regressions: found }, causes] = await Promise.all([fetchInsights(state.range), fetchLikelyCauses(state.range)]);
    const regressions = found.map((r) => ({ ...r, likely_causes: (causes[`${r.nsapp} ${r.start}`] ?? []).slice(0, MAX_CAUSES).map(publicSuspect) }));
    const table = regressions.map((r) => ({
      nsapp: r.nsapp,
      start: r.start,
      end: r.end,
      failed: r.failed,
      decided: r.decided,
      rate: r.rate,
      baseline_rate: r.baseline_rate,
      peak_rate: r.peak_rate,
      peak_bucket: r.peak_bucket,
      expected_failures: r.expected_failures,
      excess_failures: r.excess_failures,
      q_value: r.q_value,
      exit_codes: r.exit_codes.map((c) => `${c.exit_code} (${c.failed})`).join(" "),
      causes: r.causes.map((c) => c.sentence).join("; "),
      incident_exit_code: r.incident?.exit_code ?? null,
      incident_category: r.incident?.category ?? null,
      incident_start: r.incident?.start ?? null,
      likely_cause_sha: r.likely_causes[0]?.sha ?? null,
      likely_cause_url: r.likely_causes[0]?.url ?? null,
      likely_cause_message: r.likely_causes[0]?.message ?? null,
      likely_cause_hours_before: r.likely_causes[0]?.hours_before ?? null,
      baseline_failed: r.baseline_failed,
      baseline_decided: r.baseline_decided,
      failing_command: r.failing_command?.command ?? null,
      failing_command_line: r.failing_command?.line ?? null,
    }));
    return {
      extra: { totals: { regressions: regressions.length, open: regressions.filter((r) => r.end === null).length } },
      data: regressions,
      table: csvTable(table, {
        nsapp: true,
        start: true,
        end: true,
        failed: true,
        decided: true,
        rate: true,
        baseline_rate: true,
        peak_rate: true,
        peak_bucket: true,
        expected_failures: true,
        excess_failures: true,
        q_value: true,
        exit_codes: true,
        causes: true,
        incident_exit_code: true,
        incident_category: true,
        incident_start: true,
        likely_cause_sha: true,
        likely_cause_url: true,
        likely_cause_message: true,
        likely_cause_hours_before: true,
        baseline_failed: true,
        baseline_decided: true,
        failing_command: true,
        failing_command_line: true,
      }),
    };
  });
}
