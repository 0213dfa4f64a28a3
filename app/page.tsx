import { connection } from "next/server";
import { DataError } from "@/components/DataError";
import { OutcomeChart } from "@/components/charts/OutcomeChart";
import { StatCards } from "@/components/StatCards";
import { OUTCOME_SERIES } from "@/components/outcome-style";
import { formatInt, formatPbTime, formatPercent } from "@/lib/format";
import { explainDataError } from "@/lib/queries/explain-error";
import { fetchOverview, type Overview } from "@/lib/queries/overview";
import { presetRange } from "@/lib/range";

export default async function OverviewPage() {
  await connection(); // figures are live: render per request, never at build time
  const range = presetRange("30d", new Date());
  let overview: Overview;
  try {
    overview = await fetchOverview(range);
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  const t = overview.totals;
  return (
    <main>
      <h1>Install runs, last 30 days</h1>
      <p className="lede">
        <span data-testid="range-from">{range.from}</span> to <span data-testid="range-to">{range.to}</span> (UTC) · data as of <span data-testid="as-of">{formatPbTime(overview.asOf)}</span>
      </p>
      <StatCards
        stats={[
          { label: "Runs", value: formatInt(t.runs), testId: "stat-runs" },
          {
            label: "Success rate",
            value: formatPercent(t.successRate),
            hint: "successes ÷ (successes + failures)",
            testId: "stat-success-rate",
          },
          { label: "Failures", value: formatInt(t.failed), testId: "stat-failed" },
          { label: "Aborted", value: formatInt(t.aborted), hint: "stopped by the user", testId: "stat-aborted" },
          { label: "Unfinished", value: formatInt(t.unfinished), hint: "no result after 1 hour", testId: "stat-unfinished" },
          { label: "Running", value: formatInt(t.running), hint: "started within the hour", testId: "stat-running" },
        ]}
      />
      <section className="panel" aria-labelledby="daily-heading">
        <h2 id="daily-heading">Runs per day by outcome</h2>
        <OutcomeChart data={overview.daily} series={OUTCOME_SERIES} label={`Stacked bar chart of install runs per day by outcome, ${range.from} to ${range.to}`} />
      </section>
      <p className="footer">
        Counts come from exact rollups kept inside PocketBase; days are UTC. Unknown: {formatInt(t.unknown)}.
      </p>
    </main>
  );
}
