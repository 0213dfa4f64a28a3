import { appExists, fetchAppDetail, firstDataDay } from "@/lib/cached";
import { badgeFor, badgeSvg, problemBadge, shieldsJson, type Badge } from "@/lib/embed/badge";
import { EMBED_CACHE_CONTROL, RETRY_AFTER_SECONDS } from "@/lib/embed/respond";
import { NSAPP_PATTERN, parseBadgeOptions } from "@/lib/embed/options";
import { explainDataError } from "@/lib/queries/explain-error";

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

  function reply(badge: Badge, status = 200, extra: Record<string, string> = {}) {
    const headers = { "cache-control": EMBED_CACHE_CONTROL, ...extra };
    if (format === "json") return Response.json(shieldsJson(badge, status !== 200), { status, headers });
    return new Response(badgeSvg(badge, options.theme), { status, headers: { "content-type": "image/svg+xml; charset=utf-8", ...headers } });
  }

  if (!match) return reply(problemBadge("badge", "use .svg or .json"), 404);
  if (notes.length) return reply(problemBadge(label, notes[0]!.replace(/^Ignored /, "bad ").replace(/: expected .*$/, "")), 400);
  try {
    if (!NSAPP_PATTERN.test(nsapp) || !(await appExists(nsapp))) return reply(problemBadge(label, "unknown app"), 404);
    const t = (await fetchAppDetail(nsapp, options.view.range, false)).totals;
    return reply(badgeFor(nsapp, options, { runs: t.runs, success: t.success, failed: t.failed }));
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    console.error(`badge ${nsapp}: ${message}`);
    return reply(problemBadge(label, "statistics unavailable"), 503, { "cache-control": "no-store", "retry-after": String(RETRY_AFTER_SECONDS) });
  }
}
