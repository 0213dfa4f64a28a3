/**
 * GET /og/… — a page's Open Graph image (lib/og/paths.ts) as a PNG of 1200 × 630, from the
 * figures its page shows (the same loaders). Cached like widgets and badges (shared caches keep
 * it a minute and serve it stale on origin errors). An image cannot show a note, so a bad
 * option is a 400, an unknown app a 404, PocketBase unavailable a 503 with Retry-After — each
 * a short text, since link-preview crawlers only follow the URLs the pages give them.
 */
import "server-only";
import { ImageResponse } from "next/og";
import { appExists, fetchAppDetail, fetchExitCodeDetail, fetchOverview, firstDataDay, loadAppRanking, valueOrThrow } from "../data";
import { parsePreviewOptions } from "../embed/options";
import { explainExitCode } from "../exit-codes";
import type { ViewState } from "../params";
import { CACHE, EMBED_RETRY_AFTER, reply, respond, TYPES } from "../http/respond";
import { APPS } from "../reference/apps";
import { OG_SIZE, OgImage, type OgCard } from "./card";
import { appCard, codeCard, siteCard } from "./cards";
import { parsePreviewPath, type PreviewSubject } from "./paths";

function plain(status: number, text: string): Response {
  return reply({ body: text, type: TYPES.text, status });
}

async function cardFor(subject: PreviewSubject, state: ViewState): Promise<OgCard | null> {
  const { range } = state;
  if (subject.kind === "site") {
    const [o, ranking] = await Promise.all([fetchOverview(range, null), loadAppRanking(range)]);
    const points = o.series.map((p) => ({ success: p.success, failed: p.failed, aborted: p.aborted, other: p.unknown + p.unfinished + p.running }));
    return siteCard(o.totals, valueOrThrow(ranking).apps.current, points, range.bucket, state);
  }
  if (subject.kind === "app") {
    if (!(await appExists(subject.nsapp))) return null;
    const d = await fetchAppDetail(subject.nsapp, range, false);
    const points = d.series.map((p) => ({ success: p.success, failed: p.failed, aborted: p.aborted, other: p.unknown + p.installing }));
    const catalogue = APPS.filter((a) => a.nsapp === subject.nsapp);
    return appCard(
      subject.nsapp,
      catalogue[0]?.name ?? null,
      catalogue.map((a) => a.type),
      d.totals,
      points,
      range.bucket,
      state,
    );
  }
  const d = await fetchExitCodeDetail(subject.code, range);
  return codeCard(
    subject.code,
    explainExitCode(subject.code),
    d,
    d.series.map((p) => p.values[0] ?? 0),
    range.bucket,
    state,
  );
}

/** `segments`: the path under /og/ ("apps", "jellyfin.png"). */
export async function respondPreview(request: Request, segments: readonly string[]): Promise<Response> {
  const subject = parsePreviewPath(segments);
  if (!subject) return plain(404, "No preview image here: /og/site.png, /og/apps/<app>.png or /og/errors/<code>.png.");
  const { state, notes } = parsePreviewOptions(new URL(request.url).searchParams, new Date(), await firstDataDay());
  if (notes.length) return plain(400, notes.join(" "));
  return respond(
    async () => {
      const card = await cardFor(subject, state);
      if (card === null) return plain(404, "No such app has reported an install.");
      return new ImageResponse(<OgImage card={card} />, { ...OG_SIZE, headers: { "cache-control": CACHE.SHARED } });
    },
    { reply: () => ({ body: "The install statistics cannot be read right now.", type: TYPES.text }), retryAfter: EMBED_RETRY_AFTER, log: `preview image ${segments.join("/")}` },
  );
}
