/**
 * An app page's outcomes and failure rate over the range, with its regressions marked and
 * described (what changed, the likely script change, a link to report it) and its script changes.
 */
import Link from "next/link";
import { headers } from "next/headers";
import { ChangeList } from "@/components/ChangeList";
import { OutcomeChart } from "@/components/charts/OutcomeChart";
import { RateChart } from "@/components/charts/RateChart";
import type { Marker } from "@/components/charts/series";
import { Loaded } from "@/components/Section";
import { pointOf } from "@/lib/buckets";
import type { Suspect } from "@/lib/changes/likely-cause";
import { changeMarks } from "@/lib/changes/markers";
import { regressionIssueUrl } from "@/lib/changes/regression-report";
import { loadAppChanges, loadAppSummary, loadInsights, loadLikelyCauses } from "@/lib/data";
import { explainExitCode } from "@/lib/exit-codes";
import { formatInt, formatRate, truncate } from "@/lib/format";
import { originFromHeaders } from "@/lib/http/origin";
import type { Regression } from "@/lib/insights/find-regressions";
import { STORED_SERIES } from "@/lib/outcome-style";
import { viewHref, type ViewState } from "@/lib/params";
import { customRange, spanLabel } from "@/lib/range";
import { bucketLabel, utcDay, utcHour } from "@/lib/time";
import { VIEWS } from "@/lib/views";

export async function AppTrend({ nsapp, state }: { nsapp: string; state: ViewState }) {
  const unit = state.range.bucket;
  const [summary, insights, changes, causes, requestHeaders] = await Promise.all([
    loadAppSummary(nsapp, state.range),
    loadInsights(state.range),
    loadAppChanges(nsapp, state.range),
    loadLikelyCauses(state.range),
    headers(),
  ]);
  const origin = originFromHeaders(requestHeaders, "localhost");
  const regressions = insights.ok ? insights.value.regressions.filter((r) => r.nsapp === nsapp) : [];
  const appChanges = changes.ok ? changes.value : [];
  const { grain, from, to } = state.range;
  const changePoint = (ms: number) => {
    const raw = grain === "hour" ? utcHour(new Date(ms)) : utcDay(new Date(ms));
    return raw < from || raw > to ? null : pointOf(state.range, raw);
  };
  // Markers at the series' own points (a regression's day or hour, inside a week or month), and the app's own script changes.
  const markers: Marker[] = [
    ...regressions.flatMap((r) => [
      { bucket: pointOf(state.range, r.start), label: "regression starts", side: "left" as const },
      ...(r.end ? [{ bucket: pointOf(state.range, r.end), label: "ends", side: "right" as const }] : []),
    ]),
    ...changeMarks(appChanges, nsapp, changePoint).map((m) => ({ bucket: m.point, label: m.label, tone: "change" as const, title: m.title })),
  ];
  const causeOf = (r: Regression): Suspect | null => (causes.ok ? (causes.value[`${r.nsapp} ${r.start}`]?.[0] ?? null) : null);
  return (
    <Loaded result={summary}>
      {({ series }) => (
        <>
          <div className="grid-2 charts">
            <div>
              <h3>Runs per {unit} by outcome</h3>
              <OutcomeChart data={series} series={STORED_SERIES} markers={markers} unit={unit} label={`Runs of ${nsapp} per ${unit} by outcome, last ${spanLabel(state.range)}`} />
            </div>
            <div>
              <h3>Failure rate per {unit}</h3>
              <RateChart
                unit={unit}
                markers={markers}
                points={series.map((d) => ({
                  bucket: d.bucket,
                  partial: d.partial,
                  runs: d.success + d.failed + d.aborted + d.unknown + d.installing,
                  failed: d.failed,
                  decided: d.success + d.failed,
                }))}
                label={`Failure rate of ${nsapp} per ${unit} with its 95 % interval`}
              />
            </div>
          </div>
          {regressions.map((r) => (
            <RegressionNote key={r.start} r={r} nsapp={nsapp} state={state} cause={causeOf(r)} report={regressionIssueUrl(origin, r, causeOf(r))} />
          ))}
          <ChangeList nsapp={nsapp} changes={appChanges} failed={!changes.ok} />
        </>
      )}
    </Loaded>
  );
}

function RegressionNote({ r, nsapp, state, cause, report }: { r: Regression; nsapp: string; state: ViewState; cause: Suspect | null; report: string }) {
  const window: ViewState = { ...state, preset: "custom", range: customRange(r.start.slice(0, 10), r.last.slice(0, 10)), outcome: null, page: 1 };
  const code = r.exit_codes[0];
  return (
    <div className="notes regression" data-testid="regression">
      <p>
        <strong>
          Regression {r.end ? "from" : "since"} {bucketLabel(r.start)}
          {r.end ? ` to ${bucketLabel(r.end)}` : " (still open)"}
        </strong>
        : failure rate {formatRate(r.baseline_rate)} usually, {formatRate(r.rate)} during it (peak {formatRate(r.peak_rate)} on {bucketLabel(r.peak_bucket)}), about{" "}
        {formatInt(Math.round(r.excess_failures))} more failures than usual.
        {code ? ` Mostly exit code ${code.exit_code} (${explainExitCode(code.exit_code, r.start)}).` : ""}
      </p>
      {r.causes.length > 0 && (
        <ul>
          {r.causes.map((c) => (
            <li key={c.dimension + c.key}>{c.sentence}</li>
          ))}
        </ul>
      )}
      <p>
        {cause ? (
          <>
            Likely change:{" "}
            <a href={cause.change.url} data-testid="likely-change">
              {truncate(cause.change.message || cause.change.sha.slice(0, 7), 80)}
            </a>{" "}
            ({cause.hoursBefore === 0 ? "when it began" : `${cause.hoursBefore.toFixed(1)} h before`}
            {cause.kind === "shared" ? ", a shared library" : ""}).{" "}
          </>
        ) : (
          "No change to its scripts in the 72 hours before. "
        )}
        <Link prefetch={false} href={`${viewHref(VIEWS.app, `/apps/${encodeURIComponent(nsapp)}`, window)}#runs`}>
          Failed runs of those days →
        </Link>{" "}
        ·{" "}
        <a href={report} data-testid="report-issue">
          Report on GitHub
        </a>
      </p>
    </div>
  );
}
