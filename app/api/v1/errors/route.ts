import { answer, csvTable } from "@/lib/api";
import { fetchExitCodeRanking } from "@/lib/data";
import { exitCodeInfo } from "@/lib/exit-codes";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/errors?range=30d&aborts=include — exit codes of failed runs ranked, with their
 * explanation (lib/api-schemas.ts ExitCodesSchema). User aborts are left out unless aborts=include.
 */
export async function GET(request: Request) {
  return answer(request, "exit-codes", VIEWS.apiErrors, async (state) => {
    const r = await fetchExitCodeRanking(state.range, state.aborts);
    const rows = r.codes.map((c) => {
      const { message, section, category } = exitCodeInfo(c.exitCode);
      return { exit_code: c.exitCode, message, section, category, failed: c.failed, aborted: c.aborted, total: c.total, share: c.share };
    });
    return {
      extra: { totals: { failed: r.failed, aborted: r.aborted, user_aborts_included: r.aborts } },
      data: rows,
      table: csvTable(rows, { exit_code: true, message: true, section: true, category: true, failed: true, aborted: true, total: true, share: true }),
    };
  });
}
