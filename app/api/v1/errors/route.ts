import { answer } from "@/lib/api";
import { ExitCodesSchema } from "@/lib/api-schemas";
import { fetchExitCodeRanking } from "@/lib/data";
import { ERRORS } from "@/lib/reports/errors";
import { shareContext } from "@/lib/reports/report";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/errors?range=30d&aborts=include — exit codes of failed runs ranked, with their
 * explanation (the exit-codes report, lib/reports/errors.ts). User aborts are left out unless aborts=include.
 */
export async function GET(request: Request) {
  return answer(request, "exit-codes", VIEWS.apiErrors, ExitCodesSchema, async (state) => {
    const r = await fetchExitCodeRanking(state.range, state.aborts);
    const ctx = shareContext(state, r.codes);
    return {
      extra: { totals: { failed: r.failed, aborted: r.aborted, user_aborts_included: r.aborts } },
      data: r.codes.map((c) => ERRORS.json(c, ctx)),
      table: ERRORS.csv(r.codes, ctx),
    };
  });
}
