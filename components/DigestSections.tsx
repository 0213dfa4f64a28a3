/**
 * The weekly digest's sections (app/digest/page.tsx), each loading the digest on its own (the
 * data cache shares one load): headline figures, newly failing, recovered, still failing, the
 * biggest movers and the week's incidents. Every app and exit code links to its page with the
 * week as the range.
 */
import Link from "next/link";
import { DataTable } from "@/components/DataTable";
import type { Column } from "@/lib/table";
import { Loaded } from "@/components/Section";
import { StatCards } from "@/components/StatCards";
import { loadDigest } from "@/lib/data";
import { explainExitCode } from "@/lib/exit-codes";
import { formatChange, formatInt, formatInterval, formatPercent, formatPoints } from "@/lib/format";
import type { DigestApp, DigestRegressionRef, StillFailing, WeekDigest } from "@/lib/insights/digest";
import { viewHref, type ViewState } from "@/lib/params";
import { wilson } from "@/lib/stats";
import { bucketLabel } from "@/lib/time";
import { VIEWS } from "@/lib/views";

type Props = { state: ViewState };
type Flagged = WeekDigest["newly_failing"][number];

const monday = (state: ViewState) => state.range.from;
/** The app's page over the digest's week (the state's range is the week). */
const appHref = (nsapp: string, state: ViewState) => viewHref(VIEWS.app, `/apps/${encodeURIComponent(nsapp)}`, state, { page: 1, outcome: null });
/** "regression since 2026-11-09", or "regression 2026-11-09 to 2026-11-13" when it ended before the week's Sunday. */
const regressionNote = (r: DigestRegressionRef, state: ViewState) =>
  r.last.slice(0, 10) < state.range.to ? `regression ${bucketLabel(r.start)} to ${bucketLabel(r.last)}` : `regression since ${bucketLabel(r.start)}`;

function appColumn<R extends DigestApp>(state: ViewState, note?: (r: R) => string | undefined): Column<R> {
  return { key: "app", label: "App", cell: (r) => ({ kind: "link", value: r.nsapp, href: appHref(r.nsapp, state), note: note?.(r) }) };
}

/**
 * The week's rate, the week before's and the change come first (a phone shows those); the
 * interval and counts move into the row's details on narrow screens. `flag`: mark significant
 * changes (not where the section already says so).
 */
function rateColumns<R extends DigestApp>(flag: boolean): Column<R>[] {
  return [
    { key: "rate", label: "Failure rate", testId: "digest-rate", cell: (r) => ({ kind: "rate", value: r.rate }) },
    { key: "previous", label: "Week before", priority: 2, cell: (r) => ({ kind: "rate", value: r.previous_rate }) },
    { key: "change", label: "Change", cell: (r) => ({ kind: "change", points: r.change, flag: flag && r.significant ? "significant" : undefined }) },
    {
      key: "interval",
      label: "95 % interval",
      priority: 3,
      cell: (r) => {
        const w = wilson(r.failed, r.decided);
        return { kind: "text", value: w ? formatInterval(w.low, w.high) : null, muted: true, nowrap: true };
      },
    },
    { key: "failed", label: "Failures", priority: 2, testId: "digest-failed", cell: (r) => ({ kind: "integer", value: r.failed, of: r.decided }) },
    { key: "runs", label: "Runs", priority: 3, testId: "digest-runs", cell: (r) => ({ kind: "integer", value: r.runs }) },
  ];
}

const rowProps = (r: DigestApp) => ({ "data-nsapp": r.nsapp });

export async function DigestFigures({ state }: Props) {
  return (
    <Loaded result={await loadDigest(monday(state), state.repo)}>
      {(d) => {
        const t = d.totals;
        const runsChange = t.previous_runs > 0 ? (t.runs - t.previous_runs) / t.previous_runs : null;
        const rateChange = t.rate !== null && t.previous_rate !== null ? t.rate - t.previous_rate : null;
        return (
          <StatCards
            stats={[
              {
                label: "Runs",
                value: formatInt(t.runs),
                hint: `week before ${formatInt(t.previous_runs)} (${formatChange(runsChange, t.previous_runs > 0)})`,
                testId: "digest-total-runs",
              },
              {
                label: "Failure rate",
                value: formatPercent(t.rate),
                hint: `week before ${formatPercent(t.previous_rate)} (${formatPoints(rateChange)})`,
                testId: "digest-total-rate",
              },
              { label: "Newly failing", value: formatInt(d.newly_failing.length), hint: "apps", testId: "digest-count-newly-failing" },
              { label: "Recovered", value: formatInt(d.recovered.length), hint: "apps", testId: "digest-count-recovered" },
              { label: "Still failing", value: formatInt(d.still_failing.length), hint: "apps", testId: "digest-count-still-failing" },
              { label: "Incidents", value: formatInt(d.incidents.length), hint: "across apps", testId: "digest-count-incidents" },
            ]}
          />
        );
      }}
    </Loaded>
  );
}

export async function NewlyFailing({ state }: Props) {
  return (
    <Loaded result={await loadDigest(monday(state), state.repo)}>
      {(d) => (
        <DataTable
          testId="digest-newly-failing"
          rows={d.newly_failing}
          rowKey={(r) => r.nsapp}
          rowProps={rowProps}
          columns={[appColumn<Flagged>(state, (r) => (r.regression ? regressionNote(r.regression, state) : undefined)), ...rateColumns<Flagged>(false)]}
          empty="No app's failure rate rose significantly this week."
        />
      )}
    </Loaded>
  );
}

export async function Recovered({ state }: Props) {
  return (
    <Loaded result={await loadDigest(monday(state), state.repo)}>
      {(d) => (
        <DataTable
          testId="digest-recovered"
          rows={d.recovered}
          rowKey={(r) => r.nsapp}
          rowProps={rowProps}
          columns={[appColumn<Flagged>(state, (r) => (r.regression ? regressionNote(r.regression, state) : undefined)), ...rateColumns<Flagged>(false)]}
          empty="No app recovered this week."
        />
      )}
    </Loaded>
  );
}

export async function StillFailingApps({ state }: Props) {
  const why = (r: StillFailing) =>
    r.regression ? `${regressionNote(r.regression, state)}, ${formatInt(Math.round(r.regression.excess_failures))} excess failures` : "fails often in both weeks";
  return (
    <Loaded result={await loadDigest(monday(state), state.repo)}>
      {(d) => (
        <DataTable
          testId="digest-still-failing"
          rows={d.still_failing}
          rowKey={(r) => r.nsapp}
          rowProps={(r) => ({ ...rowProps(r), "data-reason": r.reason })}
          columns={[appColumn<StillFailing>(state), { key: "why", label: "Why", priority: 2, cell: (r) => ({ kind: "text", value: why(r) }) }, ...rateColumns<StillFailing>(true)]}
          empty="No app was failing at the end of the week."
        />
      )}
    </Loaded>
  );
}

export async function Movers({ state }: Props) {
  return (
    <Loaded result={await loadDigest(monday(state), state.repo)}>
      {(d) => (
        <>
          <div className="movers-part">
            <h3>Runs</h3>
            <DataTable
              testId="digest-movers-runs"
              rows={d.movers.runs}
              rowKey={(r) => r.nsapp}
              rowProps={rowProps}
              columns={[
                appColumn(state),
                { key: "runs", label: "Runs", testId: "digest-runs", cell: (r) => ({ kind: "integer", value: r.runs }) },
                { key: "previous", label: "Week before", testId: "digest-previous-runs", cell: (r) => ({ kind: "integer", value: r.previous_runs }) },
                {
                  key: "change",
                  label: "Change",
                  priority: 2,
                  cell: (r) => ({ kind: "change", relative: r.previous_runs > 0 ? (r.runs - r.previous_runs) / r.previous_runs : null, hadPrevious: r.previous_runs > 0 }),
                },
              ]}
              empty="No app's runs changed."
            />
          </div>
          <div className="movers-part">
            <h3>Failure rate</h3>
            <p className="muted table-note">Ranked by the failures the change accounts for (change × the week's decided runs); apps with 20 decided runs in both weeks.</p>
            <DataTable
              testId="digest-movers-rate"
              rows={d.movers.failure_rate}
              rowKey={(r) => r.nsapp}
              rowProps={rowProps}
              columns={[appColumn(state), ...rateColumns(true).filter((c) => c.key !== "runs")]}
              empty="No app with 20 decided runs in both weeks changed its failure rate."
            />
          </div>
        </>
      )}
    </Loaded>
  );
}

export async function WeekIncidents({ state }: Props) {
  return (
    <Loaded result={await loadDigest(monday(state), state.repo)}>
      {(d) =>
        d.incidents.length === 0 ? (
          <p className="muted">No exit code spiked across several apps this week.</p>
        ) : (
          d.incidents.map((i) => (
            <div key={`${i.exit_code ?? i.category}-${i.start}`} className="incident" data-testid="digest-incident" data-code={i.exit_code ?? ""}>
              <h3>
                {i.exit_code !== null ? (
                  <Link href={viewHref(VIEWS.error, `/errors/${i.exit_code}`, state, { page: 1 })} prefetch={false}>
                    Exit code {i.exit_code}
                  </Link>
                ) : (
                  `Category ${i.label}`
                )}{" "}
                <span className="muted">
                  {i.exit_code !== null ? explainExitCode(i.exit_code, i.start.slice(0, 10)) : ""} ·{" "}
                  {i.end === i.start ? bucketLabel(i.start) : `${bucketLabel(i.start)} to ${i.end ? bucketLabel(i.end) : "still open"}`} UTC · {formatInt(i.failed)} failures,{" "}
                  {formatInt(Math.round(i.excess_failures))} more than expected
                </span>
              </h3>
              <DataTable
                rows={i.apps}
                rowKey={(a) => a.nsapp}
                rowProps={(a) => ({ "data-nsapp": a.nsapp })}
                columns={[
                  { key: "app", label: "App", cell: (a) => ({ kind: "link", value: a.nsapp, href: appHref(a.nsapp, state) }) },
                  { key: "failed", label: "Failures", cell: (a) => ({ kind: "integer", value: a.failed }) },
                  { key: "excess", label: "More than expected", cell: (a) => ({ kind: "integer", value: Math.round(a.excess_failures) }) },
                ]}
              />
            </div>
          ))
        )
      }
    </Loaded>
  );
}
