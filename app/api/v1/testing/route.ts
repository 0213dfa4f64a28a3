import { answer, csvTable } from "@/lib/api";
import { TestingSchema } from "@/lib/api-schemas";
import { fetchTestingScripts } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/testing?range=30d — scripts in testing: the development repository's apps, each
 * with its finished runs and distinct sessions, failure rate and interval and whether it is ready to promote
 * (lib/testing.ts; method: /methodology#testing), and the command its development runs failed at
 * most (the normalised failure signature, never the trace).
 */
export async function GET(request: Request) {
  return answer(request, "testing", VIEWS.apiTesting, TestingSchema, async (state) => {
    const view = await fetchTestingScripts(state.range);
    const rows = view.scripts.map((s) => ({
      nsapp: s.nsapp,
      runs: s.success + s.failed,
      sessions: s.sessions,
      success: s.success,
      failed: s.failed,
      failure_rate: s.failureRate,
      failure_low: s.failureLow,
      failure_high: s.failureHigh,
      verdict: s.verdict,
      top_failing_command: s.topCommand,
    }));
    return {
      extra: { official_median_failure_rate: view.officialMedian },
      data: rows,
      table: csvTable(
        rows.map(({ top_failing_command: top, sessions, ...r }) => ({
          ...r,
          top_failing_command: top?.command ?? "",
          top_failing_command_line: top?.line ?? null,
          top_failing_command_failed: top?.failed ?? null,
          sessions,
        })),
        {
          nsapp: true,
          runs: true,
          success: true,
          failed: true,
          failure_rate: true,
          failure_low: true,
          failure_high: true,
          verdict: true,
          top_failing_command: true,
          top_failing_command_line: true,
          top_failing_command_failed: true,
          // Added after the others (2026-12-07): a CSV reader by position keeps its columns.
          sessions: true,
        },
      ),
    };
  });
}
