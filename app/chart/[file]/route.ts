import { appExists, fetchAppDetail, firstDataDay } from "@/lib/data";
import { chartMessage, chartSvg } from "@/lib/embed/chart-svg";
import { NSAPP_PATTERN, parseChartOptions } from "@/lib/embed/options";
import { EMBED_RETRY_AFTER, reply, respond, TYPES } from "@/lib/http/respond";

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
  const svg = (body: string, status = 200) => reply({ body, type: TYPES.svg, status });

  if (!match) return svg(chartMessage("No chart here", "Charts are /chart/<app>.svg", options.theme), 404);
  if (notes.length) return svg(chartMessage("Bad chart option", notes.join(" "), options.theme), 400);
  return respond(
    async () => {
      if (!NSAPP_PATTERN.test(nsapp) || !(await appExists(nsapp))) {
        return svg(chartMessage("Unknown app", `No app named "${nsapp.slice(0, 64)}" has reported an install.`, options.theme), 404);
      }
      const detail = await fetchAppDetail(nsapp, options.view.range, false);
      return svg(chartSvg({ nsapp, points: detail.series, options }));
    },
    {
      reply: () => ({ body: chartMessage("Statistics unavailable", "The install statistics cannot be read right now.", options.theme), type: TYPES.svg }),
      retryAfter: EMBED_RETRY_AFTER,
      log: `chart ${nsapp}`,
    },
  );
}
