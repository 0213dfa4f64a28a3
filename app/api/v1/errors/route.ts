import { answer } from "@/lib/api";
import { exitCodeInfo } from "@/lib/exit-codes";
import { fetchExitCodeRanking } from "@/lib/cached";

/** GET /api/v1/errors?range=30d — exit codes of failed and aborted runs, ranked, with their explanation. */
export async function GET(request: Request) {
  return answer(request, "exit-codes", async (state) => {
    const r = await fetchExitCodeRanking(state.range);
    const rows = r.codes.map((c) => {
      const { message, section, category } = exitCodeInfo(c.exitCode);
      return { exit_code: c.exitCode, message, section, category, failed: c.failed, aborted: c.aborted, share: c.share };
    });
    return { meta: { failed: r.failed, aborted: r.aborted }, data: rows, table: rows };
  });
}
