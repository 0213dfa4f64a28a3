import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AppCodes, AppEnvironment, AppInsights, AppInstallTime, AppResources, AppSummary } from "@/components/AppSections";
import { AppRuns } from "@/components/AppRuns";
import { AppTrend } from "@/components/AppTrend";
import { BackLink, CopyLink } from "@/components/ClientLinks";
import { FailingCommands } from "@/components/FailingCommands";
import { HardwarePlatform } from "@/components/HardwarePlatform";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { Section, Skeleton } from "@/components/Section";
import { UnknownApp } from "@/components/UnknownApp";
import { loadAppExists, loadAppSummary, readViewState } from "@/lib/data";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import { APPS } from "@/lib/reference/apps";
import { bucketLabel } from "@/lib/time";
import { describeApp } from "@/lib/meta/describe";
import { pageMetadata } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { isActiveApp } from "@/lib/meta/active";
import { appPreview, previewImagePath } from "@/lib/og/paths";
import { VIEWS } from "@/lib/views";

const VIEW = VIEWS.app;

type Props = { params: Promise<{ nsapp: string }>; searchParams: Promise<RawParams> };

function appName(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const nsapp = appName((await params).nsapp);
  if (nsapp === null || nsapp.length > 128) return { title: "Unknown app", robots: { index: false } };
  const path = `/apps/${encodeURIComponent(nsapp)}`;
  const m = await metaContext(VIEW, path, await searchParams);
  const [exists, summary] = await Promise.all([loadAppExists(nsapp), loadAppSummary(nsapp, m.state.range)]);
  if (exists.ok && !exists.value) return { title: `Unknown app “${nsapp.slice(0, 64)}”`, robots: { index: false } };
  const totals = summary.ok ? summary.value.totals : null;
  const name = APPS.find((a) => a.nsapp === nsapp)?.name ?? nsapp;
  return pageMetadata(m.origin, {
    title: `${name}: installs and success rate`,
    description: totals ? describeApp(nsapp, totals, m.state) : `${nsapp}: install statistics of the Proxmox VE community script.`,
    canonical: m.canonical,
    image: previewImagePath(appPreview(nsapp), m.state),
    imageAlt: `${nsapp}: runs per ${m.state.range.bucket} by outcome and success rate`,
    feeds: [{ path: viewHref(VIEWS.feed, `${path}/feed.xml`, m.state), title: `${nsapp.slice(0, 64)}: regressions and weekly changes (Atom)` }],
    // Indexed: the default view of an app with runs in the sitemap's window (lib/meta/sitemap.ts).
    index: !m.permutation && (await isActiveApp(nsapp, m.now)),
  });
}

/** An app endpoint for this view (`/api/v1/apps/<nsapp>/<part>`), as JSON and CSV. */
function appApi(nsapp: string, part: "failing-commands" | "hardware", state: ViewState) {
  const view = part === "hardware" ? VIEWS.apiAppHardware : VIEWS.apiFailingCommands;
  const path = `/api/v1/apps/${encodeURIComponent(nsapp)}/${part}`;
  return { json: viewHref(view, path, state), csv: viewHref(view, `${path}.csv`, state) };
}

export default async function AppPage({ params, searchParams }: Props) {
  const now = new Date();
  const nsapp = appName((await params).nsapp);
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  if (nsapp === null || nsapp.length > 128) notFound();
  const exists = await loadAppExists(nsapp);
  if (exists.ok && !exists.value) return <UnknownApp nsapp={nsapp} />;
  const path = `/apps/${encodeURIComponent(nsapp)}`;
  const catalogue = APPS.filter((a) => a.nsapp === nsapp);
  const cat = catalogue[0];
  const p = { nsapp, state };
  return (
    <main>
      <PageHead
        before={
          <p className="muted back">
            <BackLink
              href={viewHref(VIEWS.apps, "/apps", state, { page: 1, minRuns: VIEWS.apps.defaultMinRuns, sort: VIEWS.apps.defaultSort })}
              listPath="/apps"
              label="← All apps"
            />{" "}
            <CopyLink />{" "}
            <a href={viewHref(VIEWS.feed, `${path}/feed.xml`, state)} type="application/atom+xml" data-testid="app-feed-link">
              Subscribe (Atom)
            </a>
          </p>
        }
        title={cat?.name ?? nsapp}
        lede={
          <>
            <code>{nsapp}</code> · {catalogue.map((c) => c.type).join(", ") || <strong>not in the script catalogue</strong>}
            {cat?.ramMb ? ` · script defaults: ${cat.cpu} cores, ${cat.ramMb} MB RAM, ${cat.diskGb} GB disk, ${cat.os} ${cat.osVersion}` : ""} · {bucketLabel(state.range.from)} to{" "}
            {bucketLabel(state.range.to)} (UTC)
          </>
        }
        view={VIEW}
        path={path}
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <Suspense fallback={<Skeleton height={110} />}>
        <AppSummary {...p} />
      </Suspense>
      <Section id="trend" title="Outcomes and failure rate" skeleton={<Skeleton height={330} />}>
        <AppTrend {...p} />
      </Section>
      <Section id="install-time" title="Install time" skeleton={<Skeleton height={110} />}>
        <AppInstallTime {...p} />
      </Section>
      <Section id="insights" title="Why it fails" skeleton={<Skeleton height={180} />}>
        <AppInsights {...p} />
      </Section>
      <Section id="commands" title="Where it fails: the failing commands">
        <FailingCommands nsapp={nsapp} range={state.range} api={appApi(nsapp, "failing-commands", state)} />
      </Section>
      <div className="grid-2">
        <Section id="codes" title="Exit codes">
          <AppCodes {...p} path={path} />
        </Section>
        <Section id="os" title="OS versions">
          <AppEnvironment {...p} part="os" />
        </Section>
        <Section id="pve" title="Proxmox VE versions">
          <AppEnvironment {...p} part="pve" />
        </Section>
        <Section id="methods" title="Install methods">
          <AppEnvironment {...p} part="methods" />
        </Section>
      </div>
      <Section id="resources" title="Resources against the script defaults">
        <AppResources {...p} />
      </Section>
      <Section id="hardware" title="Hardware and platform">
        <HardwarePlatform nsapp={nsapp} range={state.range} api={appApi(nsapp, "hardware", state)} />
      </Section>
      <AppRuns nsapp={nsapp} path={path} state={state} />
    </main>
  );
}
