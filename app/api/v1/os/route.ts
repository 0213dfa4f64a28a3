import { answer, csvTable } from "@/lib/api";
import { fetchOsVersions } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/** GET /api/v1/os?range=30d&type=lxc&os=debian&sort=-runs — runs and failure rate per type, OS and version (lib/api-schemas.ts OsSchema). */
export async function GET(request: Request) {
  return answer(request, "os", VIEWS.apiOs, async (state) => {
    const rows = (await fetchOsVersions(state.range, { type: state.type, os: state.os, sort: state.sort })).map((r) => ({
      type: r.type,
      os: r.osType,
      version: r.osVersion,
      runs: r.runs,
      success: r.success,
      failed: r.failed,
      aborted: r.aborted,
      share: r.share,
      failure_rate: r.failureRate,
      failure_low: r.failureLow,
      failure_high: r.failureHigh,
    }));
    return {
      data: rows,
      table: csvTable(rows, {
        type: true,
        os: true,
        version: true,
        runs: true,
        success: true,
        failed: true,
        aborted: true,
        share: true,
        failure_rate: true,
        failure_low: true,
        failure_high: true,
      }),
    };
  });
}
