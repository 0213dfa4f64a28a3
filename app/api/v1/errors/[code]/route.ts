import { ApiError, answer, csvTable } from "@/lib/api";
import { ExitCodeSchema } from "@/lib/api-schemas";
import { fetchExitCodeDetail } from "@/lib/data";
import { exitCodeInfo } from "@/lib/exit-codes";
import { isExitCodeParam } from "@/lib/exit-codes";
import { VIEWS } from "@/lib/views";

/** GET /api/v1/errors/{code}?range=30d&page=1&size=25 — one exit code (lib/api-schemas.ts ExitCodeSchema). CSV: the apps. */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return answer(request, `exit-code-${code.replace(/\D/g, "").slice(0, 3)}`, VIEWS.apiError, ExitCodeSchema, async (state) => {
    if (!isExitCodeParam(code)) throw new ApiError(404, `no exit code "${code.slice(0, 10)}": exit codes are 0 to 255`);
    const n = Number(code);
    const d = await fetchExitCodeDetail(n, state.range, { page: state.page, perPage: state.pageSize });
    const { message, section, category } = exitCodeInfo(n);
    return {
      page: { number: state.page, size: state.pageSize, total: d.appCount },
      data: {
        exit_code: n,
        message,
        section,
        category,
        failed: d.failed,
        aborted: d.aborted,
        series: d.series.map((p) => ({ bucket: p.bucket, partial: p.partial, runs: p.values[0] ?? 0 })),
        apps: d.apps,
        os: d.os.map((o) => ({ os: o.osType, version: o.osVersion, failed: o.failed, aborted: o.aborted, share: o.share })),
      },
      table: csvTable(
        d.apps.map((a) => ({ ...a, exit_code: n })),
        { nsapp: true, failed: true, aborted: true, exit_code: true },
      ),
    };
  });
}
