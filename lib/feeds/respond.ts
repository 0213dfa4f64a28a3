/**
 * The Atom feeds' route handlers: `/feed.xml` (regressions, incidents and weekly digests) and
 * `/apps/<nsapp>/feed.xml` (one app's regressions and the weeks it was newly failing or
 * recovered), newest first. Cacheable like the API; an unknown app is a 404, PocketBase
 * unavailable a 503 with Retry-After. Security headers are the server's (server/: like the
 * API's, `default-src 'none'`).
 */
import "server-only";
import { appExists, fetchDigest, fetchInsights, fetchLikelyCauses } from "../data";
import { presetRange, withRepo } from "../range";
import { parseViewState, withRepoQuery } from "../params";
import { VIEWS } from "../views";
import { reply, respond as answer, TYPES } from "../http/respond";
import { APPS } from "../reference/apps";
import { completeWeeks, lastCompleteWeek } from "../week";
import { atomXml, type AtomEntry } from "./atom";
import { appWeekEntries, digestEntry, incidentEntry, regressionEntry, segment, tagId, weekUpdated, type DigestOfWeek, type FeedContext } from "./entries";
import { publicOrigin } from "../http/origin";

/** Entries per feed: about a quarter's events. */
export const FEED_ENTRIES = 50;
/** Weekly digests in the feeds (about two months). */
export const FEED_WEEKS = 8;
/** Regressions and incidents of the last 90 days (the /regressions range of that name). */
const FEED_RANGE = "90d";

const AUTHOR_NAME = "Proxmox VE script install statistics";

async function digests(ctx: FeedContext): Promise<DigestOfWeek[]> {
  return Promise.all(completeWeeks(ctx.now, FEED_WEEKS).map(async (week) => ({ week, digest: await fetchDigest(week.monday, ctx.repo) })));
}

/** Newest first (by `updated`, then id for a stable order), at most FEED_ENTRIES. */
function newestFirst(entries: AtomEntry[]): AtomEntry[] {
  return entries.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.id.localeCompare(b.id))).slice(0, FEED_ENTRIES);
}

async function respond(build: (ctx: FeedContext) => Promise<string | null>, request: Request): Promise<Response> {
  const now = new Date();
  // `?repo=` through the one parser; any other parameter is ignored, as pages ignore them.
  const { state, notes } = parseViewState(Object.fromEntries(new URL(request.url).searchParams), now, VIEWS.feed);
  if (notes.length) return reply({ body: notes.join(" "), type: TYPES.text, status: 400 });
  const ctx: FeedContext = { origin: publicOrigin(request), now, repo: state.repo };
  return answer(
    async () => {
      const xml = await build(ctx);
      if (xml === null) return reply({ body: "No such app has reported an install.", type: TYPES.text, status: 404 });
      return reply({ body: xml, type: TYPES.atom });
    },
    { reply: (failure) => ({ body: failure.message, type: TYPES.text }), retryAfter: "source" },
  );
}

export function siteFeed(request: Request): Promise<Response> {
  return respond(async (ctx) => {
    const range = withRepo(presetRange(FEED_RANGE, ctx.now), ctx.repo);
    const [found, causes, weeks] = await Promise.all([fetchInsights(range), fetchLikelyCauses(range), digests(ctx)]);
    const entries = [
      ...found.regressions.map((r) => regressionEntry(ctx, r, causes[`${r.nsapp} ${r.start}`]?.[0] ?? null)),
      ...found.incidents.map((i) => incidentEntry(ctx, i)),
      ...weeks.map((w) => digestEntry(ctx, w)),
    ];
    return atomXml({
      id: tagId(ctx, "feed"),
      title: "Proxmox VE script installs: regressions, incidents and weekly digests",
      subtitle: "Apps whose failure rate rose above their own baseline, exit codes spiking across apps, and each week against the week before.",
      self: withRepoQuery(`${ctx.origin}/feed.xml`, ctx.repo),
      alternate: withRepoQuery(`${ctx.origin}/digest`, ctx.repo),
      author: { name: AUTHOR_NAME, uri: ctx.origin },
      emptyUpdated: weekUpdated(lastCompleteWeek(ctx.now)),
      entries: newestFirst(entries),
    });
  }, request);
}

export function appFeed(request: Request, nsapp: string): Promise<Response> {
  return respond(async (ctx) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) return null;
    const range = withRepo(presetRange(FEED_RANGE, ctx.now), ctx.repo);
    const [found, causes, weeks] = await Promise.all([fetchInsights(range), fetchLikelyCauses(range), digests(ctx)]);
    const path = `/apps/${segment(nsapp)}`;
    const name = APPS.find((a) => a.nsapp === nsapp)?.name ?? nsapp;
    const entries = [
      ...found.regressions.filter((r) => r.nsapp === nsapp).map((r) => regressionEntry(ctx, r, causes[`${r.nsapp} ${r.start}`]?.[0] ?? null)),
      ...appWeekEntries(ctx, nsapp, weeks),
    ];
    return atomXml({
      id: tagId(ctx, `apps/${segment(nsapp)}/feed`),
      title: `${name} (${nsapp}): install failures — Proxmox VE script installs`,
      subtitle: `Regressions of ${nsapp}'s failure rate, and the weeks it was newly failing or recovered.`,
      self: withRepoQuery(`${ctx.origin}${path}/feed.xml`, ctx.repo),
      alternate: withRepoQuery(`${ctx.origin}${path}`, ctx.repo),
      author: { name: AUTHOR_NAME, uri: ctx.origin },
      emptyUpdated: weekUpdated(lastCompleteWeek(ctx.now)),
      entries: newestFirst(entries),
    });
  }, request);
}
