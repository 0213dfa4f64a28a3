import { appExists, fetchAppDetail, firstDataDay } from "@/lib/cached";
import { chartMessage, chartSvg } from "@/lib/embed/chart-svg";
import { EMBED_CACHE_CONTROL, RETRY_AFTER_SECONDS } from "@/lib/embed/respond";
import { NSAPP_PATTERN, parseChartOptions } from "@/lib/embed/options";
import { explainDataError } from "@/lib/queries/explain-error";

/**
 * GET /chart/{nsapp}.svg — one app's runs per day by outcome (or `metric=failure-rate`) as an
 * SVG image for READMEs (lib/embed/chart-svg.ts). Like badges: cached by shared caches, an
 * unknown app a grey message with 404, a bad option one naming it with 400 (an image cannot
 * show a note), PocketBase unavailable 503 with Retry-After.
 */
export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  const file = (await params).file;
  const match = /^(.+)\.svg$/.exec(file);
  let nsapp = match?.[1] ?? file;
  try {
    nsapp = decodeURIComponent(nsapp);
  } catch {
    // malformed escapes: not an app name, answered as unknown below
  }
  const { options, notes } = parseChartOptions(new URL(request.url).searchParams, new Date(), await firstDataDay());
  const reply = (svg: string, status = 200, extra: Record<string, string> = {}) =>
    new Response(svg, { status, headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": EMBED_CACHE_CONTROL, ...extra } });

  if (!match) return reply(chartMessage("No chart here", "Charts are /chart/<app>.svg", options.theme), 404);
  if (notes.length) return reply(chartMessage("Bad chart option", notes.join(" "), options.theme), 400);
  try {
    if (!NSAPP_PATTERN.test(nsapp) || !(await appExists(nsapp)))
      return reply(chartMessage("Unknown app", `No app named "${nsapp.slice(0, 64)}" has reported an install.`, options.theme), 404);
    const detail = await fetchAppDetail(nsapp, options.view.range, false);
    return reply(chartSvg({ nsapp, points: detail.series, options }));
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    console.error(`chart ${nsapp}: ${message}`);
    return reply(chartMessage("Statistics unavailable", "The install statistics cannot be read right now.", options.theme), 503, {
      "cache-control": "no-store",
      "retry-after": String(RETRY_AFTER_SECONDS),
    });
  }
}
