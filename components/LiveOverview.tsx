"use client";
/**
 * Headline figures and the outcome chart (daily, hourly for 24 h), refreshed every minute from /api/v1/summary. The
 * server seeds the query (HydrationBoundary), so the first paint has the data and no request.
 */
import { HydrationBoundary, useQuery, type DehydratedState, type QueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatChange, formatInt, formatInterval, formatPbTime, formatPercent } from "@/lib/format";
import { LIVE_REFRESH_MS, summaryQuery } from "@/lib/live";
import { getQueryClient } from "@/lib/query-client";
import type { Overview } from "@/lib/data";
import type { Bucket } from "@/lib/range";
import { change, wilson } from "@/lib/stats";
import { OutcomeChart } from "./charts/OutcomeChart";
import { RateChart } from "./charts/RateChart";
import { OUTCOME_SERIES } from "@/lib/outcome-style";
import { StatCards } from "./StatCards";

interface Props {
  /** The summary's range parameters (see summaryQuery). */
  range: string;
  /** What one bar of the chart is. */
  unit: Bucket;
  /** Describes the range in the chart's text alternative, e.g. "2026-10-24 to 2026-11-22". */
  span: string;
  /** The period before, when it could be loaded. */
  previous: Overview["totals"] | null;
  apps: { current: number; previous: number } | null;
  unfinishedAfterMinutes: number;
}

function vs(current: number, previous: number | undefined) {
  if (previous === undefined) return "previous period unavailable";
  const c = change(current, previous);
  return `${formatChange(c.relative, previous > 0)} vs ${formatInt(previous)} before`;
}

/**
 * Hydrates the server's seeded query and polls it. The client is passed explicitly instead of
 * through a context provider: the bundler split react-query's context module into two
 * instances ("No QueryClient set"), and an explicit client needs no context at all.
 */
export function LiveOverview({ state, ...props }: Props & { state: DehydratedState }) {
  const [client] = useState(getQueryClient);
  return (
    <HydrationBoundary state={state} queryClient={client}>
      <LiveFigures {...props} client={client} />
    </HydrationBoundary>
  );
}

function LiveFigures({ range, unit, span, previous, apps, unfinishedAfterMinutes, client }: Props & { client: QueryClient }) {
  const { data, isError, dataUpdatedAt } = useQuery(summaryQuery(range), client);
  if (!data) return null;
  const t = data.totals;
  const w = wilson(t.success, t.success + t.failed);
  return (
    <>
      <p className="lede">
        Data as of <span data-testid="as-of">{formatPbTime(data.asOf)}</span> · refreshes every {LIVE_REFRESH_MS / 60_000} min
        {isError ? " · last refresh failed, showing the previous figures" : ""}
        <span className="sr-only" aria-live="polite">
          {dataUpdatedAt ? `Figures updated` : ""}
        </span>
      </p>
      <StatCards
        stats={[
          { label: "Runs", value: formatInt(t.runs), hint: vs(t.runs, previous?.runs), testId: "stat-runs" },
          {
            label: "Success rate",
            value: formatPercent(t.successRate),
            hint: w ? `95 % interval ${formatInterval(w.low, w.high)} · before ${formatPercent(previous?.successRate ?? null)}` : undefined,
            testId: "stat-success-rate",
          },
          { label: "Failures", value: formatInt(t.failed), hint: vs(t.failed, previous?.failed), testId: "stat-failed" },
          { label: "Aborted", value: formatInt(t.aborted), hint: vs(t.aborted, previous?.aborted), testId: "stat-aborted" },
          {
            label: "Unfinished",
            value: formatInt(t.unfinished),
            hint: `no result after ${unfinishedAfterMinutes} min`,
            testId: "stat-unfinished",
          },
          { label: "Running", value: formatInt(t.running), hint: `started within ${unfinishedAfterMinutes} min`, testId: "stat-running" },
          { label: "Apps", value: apps ? formatInt(apps.current) : "–", hint: apps ? vs(apps.current, apps.previous) : undefined, testId: "stat-apps" },
        ]}
      />
      <div className="grid-2 charts">
        <section className="panel" aria-labelledby="daily-heading">
          <h2 id="daily-heading">Runs per {unit} by outcome</h2>
          <OutcomeChart data={data.series} series={OUTCOME_SERIES} unit={unit} label={`Stacked bar chart of install runs per ${unit} by outcome, ${span}`} />
        </section>
        <section className="panel" aria-labelledby="rate-heading">
          <h2 id="rate-heading">Failure rate per {unit}</h2>
          <RateChart
            unit={unit}
            points={data.series.map((d) => ({
              bucket: d.bucket,
              partial: d.partial,
              runs: d.success + d.failed + d.aborted + d.unknown + d.unfinished + d.running,
              failed: d.failed,
              decided: d.success + d.failed,
            }))}
            label={`Line chart of the failure rate per ${unit} with its 95 % interval, ${span}`}
          />
        </section>
      </div>
    </>
  );
}
