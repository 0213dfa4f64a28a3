import { ApiError, answer } from "@/lib/api";
import { appExists, fetchRuns } from "@/lib/cached";
import type { Outcome } from "@/lib/outcomes";

/** One page of an app's runs, newest first; `outcome` overrides the query's (failed-runs). */
export function answerRuns(request: Request, nsapp: string, outcome?: Outcome) {
  const name = `${outcome ? `${outcome}-` : ""}runs-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`;
  return answer(request, name, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const res = await fetchRuns(nsapp, state.range, outcome ?? state.outcome, state.page, state.pageSize);
    return { meta: { total: res.totalItems, page: res.page, size: res.perPage }, data: res.items, table: res.items.map((r) => ({ ...r })) };
  });
}
