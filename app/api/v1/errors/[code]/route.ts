import { ApiError, answer } from "@/lib/api";
import { exitCodeInfo } from "@/lib/exit-codes";
import { fetchExitCodeDetail } from "@/lib/cached";

/** GET /api/v1/errors/{code}?range=30d&page=1&size=25 — one exit code: totals, daily series, apps hit (paged), OS split. CSV: the apps. */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return answer(request, `exit-code-${code.replace(/\D/g, "")}`, async (state) => {
    if (!/^(0|[1-9]\d{0,2})$/.test(code) || Number(code) > 255) throw new ApiError(404, `no exit code "${code.slice(0, 10)}" (0–255)`);
    const n = Number(code);
    const d = await fetchExitCodeDetail(n, state.range, { page: state.page, perPage: state.pageSize });
    return { meta: { explanation: exitCodeInfo(n), total_apps: d.appCount }, data: d, table: d.apps.map((a) => ({ ...a, exit_code: n })) };
  });
}
