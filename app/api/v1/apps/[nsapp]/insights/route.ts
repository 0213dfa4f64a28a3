import { ApiError, answer, csvTable } from "@/lib/api";
import { AppInsightsSchema } from "@/lib/api-schemas";
import { appExists, fetchAppInsights } from "@/lib/data";
import { VIEWS } from "@/lib/views";

/**
 * GET /api/v1/apps/{nsapp}/insights?range=30d — one app's failure rate over time with its 95 %
 * interval (null where too few runs), one point per range.bucket (weeks or months for long ranges), totals with the actionable rate, failures per category,
 * and what is unusual about its failures (traits over-represented among them, as sentences;
 * empty when nothing is significant). Method: docs/INSIGHTS.md. CSV: the series.
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `insights-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiInsights, AppInsightsSchema, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const insights = await fetchAppInsights(nsapp, state.range);
    return {
      data: insights,
      table: csvTable(insights.series, {
        bucket: true,
        runs: true,
        failed: true,
        decided: true,
        rate: true,
        low: true,
        high: true,
        outside_failed: true,
        actionable_failed: true,
        actionable_decided: true,
        actionable_rate: true,
        actionable_low: true,
        actionable_high: true,
        partial: true,
      }),
    };
  });
}
