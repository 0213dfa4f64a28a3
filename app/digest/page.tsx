import type { Metadata } from "next";
import { Suspense } from "react";
import { DigestFigures, Movers, NewlyFailing, Recovered, StillFailingApps, WeekIncidents } from "@/components/DigestSections";
import { Notes } from "@/components/Notes";
import { Section, Skeleton } from "@/components/Section";
import { WeekBar } from "@/components/WeekBar";
import { formatDaySpan } from "@/lib/format";
import { type RawParams, viewHref } from "@/lib/params";
import { VIEWS } from "@/lib/views";
import { loadDigest, readViewState } from "@/lib/data";
import { describeDigest } from "@/lib/meta/describe";
import { pageMetadata, SITE_FEED } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";
import { isoWeek, weekContaining } from "@/lib/week";

const VIEW = VIEWS.digest;
const PATH = "/digest";

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  const m = await metaContext(VIEW, PATH, await searchParams);
  const week = weekContaining(m.state.range.from);
  const iso = isoWeek(week.monday);
  const span = formatDaySpan(week.monday, week.sunday);
  const digest = await loadDigest(week.monday, m.state.repo);
  return pageMetadata(m.origin, {
    title: `Weekly digest: week ${iso.week} of ${iso.year}`,
    description: digest.ok
      ? describeDigest(span, digest.value.totals, { newlyFailing: digest.value.newly_failing.length, recovered: digest.value.recovered.length })
      : `Week of ${span} against the week before: apps newly failing, recovered and still failing.`,
    canonical: m.canonical,
    image: previewImagePath({ kind: "site" }, m.state),
    imageAlt: `Proxmox VE script installs, week of ${span}: runs per day by outcome and success rate`,
    feeds: [SITE_FEED],
    index: !m.permutation,
  });
}

export default async function DigestPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  const week = weekContaining(state.range.from);
  const iso = isoWeek(week.monday);
  const p = { state };
  const api = `/api/v1/digest?week=${week.monday}`;
  return (
    <main>
      <h1>
        Weekly digest: week {iso.week} of {iso.year}
      </h1>
      <p className="lede">
        <span data-testid="digest-week">{formatDaySpan(week.monday, week.sunday)}</span> (Monday to Sunday, UTC) against the week before: which apps started failing, which
        recovered, which are still failing, who moved most, and failures that hit many apps at once. <a href="/methodology#digest">How weeks are compared</a>.
      </p>
      <WeekBar view={VIEW} path={PATH} state={state} week={week} now={now} />
      <p className="muted subscribe">
        <a href={viewHref(VIEWS.feed, "/feed.xml", state)} type="application/atom+xml" data-testid="feed-link">
          Subscribe (Atom)
        </a>{" "}
        to regressions, incidents and each new digest; every app has its own feed on its page. This week as <a href={api}>JSON</a> or{" "}
        <a href={`/api/v1/digest.csv?week=${week.monday}`}>CSV</a>.
      </p>
      <Notes notes={notes} />
      <Suspense fallback={<Skeleton height={110} />}>
        <DigestFigures {...p} />
      </Suspense>
      <Section id="newly-failing" title="Newly failing">
        <NewlyFailing {...p} />
      </Section>
      <Section id="recovered" title="Fixed or recovered">
        <Recovered {...p} />
      </Section>
      <Section id="still-failing" title="Still failing">
        <StillFailingApps {...p} />
      </Section>
      <Section id="movers" title="Biggest movers">
        <Movers {...p} />
      </Section>
      <Section id="incidents" title="Incidents across apps">
        <WeekIncidents {...p} />
      </Section>
    </main>
  );
}
