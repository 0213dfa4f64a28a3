import { appExists, fetchAppDetail, fetchAppDurations, firstDataDay } from "@/lib/data";
import { badgeFor, badgeSvg, problemBadge, shieldsJson, type Badge } from "@/lib/embed/badge";
import { NSAPP_PATTERN, parseBadgeOptions } from "@/lib/embed/options";
import { EMBED_RETRY_AFTER, reply, respond, TYPES } from "@/lib/http/respond";

/**
 * GET /badge/{nsapp}.svg and /badge/{nsapp}.json (shields.io endpoint schema) — see
 * lib/embed/badge.ts. Unknown app: a grey "unknown app" badge with 404; a bad option: a grey
 * badge naming it with 400 (an image cannot show a note, and a badge quietly showing another
 * metric than asked would mislead); PocketBase unavailable: 503 with Retry-After.
 */
export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  const file = (await params).file;
  const match = /^(.+)\.(svg|json)$/.exec(file);
  const format = match?.[2] === "json" ? "json" : "svg";
  let nsapp = match?.[1] ?? file;
  try {
    nsapp = decodeURIComponent(nsapp);
  } catch {
    // malformed escapes: not an app name, answered as unknown below
  }
  const { options, notes } = parseBadgeOptions(new URL(request.url).searchParams, new Date(), await firstDataDay());
  const label = NSAPP_PATTERN.test(nsapp) ? nsapp : "badge";
  const body = (badge: Badge, isError: boolean) =>
    format === "json" ? { body: JSON.stringify(shieldsJson(badge, isError)), type: TYPES.json } : { body: badgeSvg(badge, options.theme), type: TYPES.svg };

  if (!match) return reply({ ...body(problemBadge("badge", "use .svg or .json"), true), status: 404 });
  if (notes.length) return reply({ ...body(problemBadge(label, notes[0]!.replace(/^Ignored /, "bad ").replace(/: expected .*$/, "")), true), status: 400 });
  return respond(
    async () => {
      if (!NSAPP_PATTERN.test(nsapp) || !(await appExists(nsapp))) return reply({ ...body(problemBadge(label, "unknown app"), true), status: 404 });
      const range = options.view.range;
      if (options.metric === "install-time") {
        const time = await fetchAppDurations(nsapp, range);
        return reply(body(badgeFor(nsapp, options, { runs: 0, success: 0, failed: 0, installTime: time.success }), false));
      }
      const t = (await fetchAppDetail(nsapp, range, false)).totals;
      return reply(body(badgeFor(nsapp, options, { runs: t.runs, success: t.success, failed: t.failed }), false));
    },
    { reply: () => body(problemBadge(label, "statistics unavailable"), true), retryAfter: EMBED_RETRY_AFTER, log: `badge ${nsapp}` },
  );
}
