import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AppFilters } from "@/components/AppFilters";
import { DataError } from "@/components/DataError";
import { Notes } from "@/components/Notes";
import { Pagination } from "@/components/Pagination";
import { RangeBar } from "@/components/RangeBar";
import { Rate } from "@/components/Rate";
import { SortHeader } from "@/components/SortHeader";
import { Sparkline } from "@/components/Sparkline";
import { formatChange, formatInt } from "@/lib/format";
import { parseViewState, rangeHref, viewHref } from "@/lib/params";
import { APP_SORT, type AppList } from "@/lib/queries/apps";
import { fetchAppList } from "@/lib/cached";
import { explainDataError } from "@/lib/queries/explain-error";
import { change } from "@/lib/stats";
import { spanLabel } from "@/lib/range";
import { bucketLabel, utcDay } from "@/lib/time";

export const metadata: Metadata = { title: "Apps" };

const COLUMNS: { key: string; label: string; numeric: boolean }[] = [
  { key: "nsapp", label: "App", numeric: false },
  { key: "runs", label: "Runs", numeric: true },
  { key: "success", label: "Successes", numeric: true },
  { key: "failed", label: "Failures", numeric: true },
  { key: "failure_low", label: "Failure rate (95 % interval)", numeric: true },
];

export default async function AppsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const now = new Date();
  const { state, notes } = parseViewState(await searchParams, now, APP_SORT);
  let list: AppList;
  try {
    list = await fetchAppList(state);
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  return (
    <main>
      <h1>Apps</h1>
      <p className="lede">
        {bucketLabel(state.range.from)} to {bucketLabel(state.range.to)} (UTC). Default order: most failing first, by the lower bound of the failure rate&apos;s
        95 % interval, so one failure in two runs does not outrank a chronically broken app.
      </p>
      <Notes notes={notes} />
      <RangeBar path="/apps" state={state} opts={APP_SORT} today={utcDay(now)} />
      <AppFilters state={state} action="/apps" />
      <div className="panel table-wrap">
        <table data-testid="apps-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <SortHeader key={c.key} path="/apps" state={state} opts={APP_SORT} column={c.key} label={c.label} firstDescending={c.numeric} />
              ))}
              <th scope="col">vs previous {spanLabel(state.range)}</th>
              <th scope="col">
                {state.range.grain === "hour" ? "Hourly" : "Daily"} runs{list.sparkFrom !== state.range.from ? ` since ${list.sparkFrom}` : ""}
              </th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => {
              const ch = change(r.runs, r.previousRuns);
              return (
                <tr key={`${r.nsapp}/${r.type}`}>
                  <td>
                    <Link href={rangeHref(`/apps/${encodeURIComponent(String(r.nsapp))}`, state)}>{r.nsapp}</Link> <span className="muted">{r.type}</span>
                  </td>
                  <td>{formatInt(r.runs)}</td>
                  <td>{formatInt(r.success)}</td>
                  <td>{formatInt(r.failed)}</td>
                  <td>
                    <Rate rate={r.failure_rate} low={r.failure_low} high={r.failure_high} />
                  </td>
                  <td>{formatChange(ch.relative, r.previousRuns > 0)}</td>
                  <td>
                    <Sparkline values={r.spark} label={`${formatInt(r.spark.reduce((a, b) => a + b, 0))} runs, ${state.range.grain === "hour" ? "hourly" : "daily"}`} />
                  </td>
                </tr>
              );
            })}
            {list.rows.length === 0 && (
              <tr>
                <td colSpan={7}>No app matches these filters in this range.</td>
              </tr>
            )}
          </tbody>
        </table>
        <Pagination
          page={state.page}
          pageSize={state.pageSize}
          total={list.total}
          label="Apps"
          href={(page) => viewHref("/apps", state, { page }, APP_SORT)}
        />
      </div>
    </main>
  );
}
