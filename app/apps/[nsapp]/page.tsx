import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { BreakdownTable } from "@/components/BreakdownTable";
import { DataError } from "@/components/DataError";
import { ExitCode } from "@/components/ExitCode";
import { FilterLinks } from "@/components/FilterLinks";
import { Notes } from "@/components/Notes";
import { OutcomeChart } from "@/components/charts/OutcomeChart";
import { OUTCOME_STYLE, STORED_SERIES } from "@/components/outcome-style";
import { Pagination } from "@/components/Pagination";
import { RangeBar } from "@/components/RangeBar";
import { Rate } from "@/components/Rate";
import { StatCards } from "@/components/StatCards";
import { explainExitCode } from "@/lib/exit-codes";
import { formatInt } from "@/lib/format";
import { OUTCOMES, type Outcome } from "@/lib/outcomes";
import { parseViewState, viewHref } from "@/lib/params";
import { type AppDetail } from "@/lib/queries/app-detail";
import { appExists, fetchAppDetail, fetchRuns } from "@/lib/cached";
import { explainDataError } from "@/lib/queries/explain-error";
import { detectShifts } from "@/lib/regressions";
import { wilson } from "@/lib/stats";
import { spanLabel } from "@/lib/range";
import { bucketLabel, utcDay } from "@/lib/time";

const CODE_ROWS = 15;
const RUN_ROWS = 20;
/** Outcomes whose runs carry a meaningful exit code. */
const WITH_CODE: readonly Outcome[] = ["failed", "aborted"];

type Props = { params: Promise<{ nsapp: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).nsapp).slice(0, 64) };
}

export default async function AppPage({ params, searchParams }: Props) {
  await connection();
  const now = new Date();
  const nsapp = decodeURIComponent((await params).nsapp);
  const { state, notes } = parseViewState(await searchParams, now);
  const path = `/apps/${encodeURIComponent(nsapp)}`;
  let detail: AppDetail;
  let runs: Awaited<ReturnType<typeof fetchRuns>>;
  // The run list shows failed runs unless the URL asks for another outcome.
  const outcome = state.outcome ?? "failed";
  try {
    if (nsapp.length > 128 || !(await appExists(nsapp))) notFound();
    [detail, runs] = await Promise.all([fetchAppDetail(nsapp, state.range), fetchRuns(nsapp, state.range, outcome, state.page, RUN_ROWS)]);
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  const t = detail.totals;
  const rate = wilson(t.success, t.success + t.failed);
  const shifts = detectShifts(detail.series.map((d) => ({ bucket: d.bucket, failed: d.failed, decided: d.success + d.failed })));
  const markers = shifts.flatMap((s) => [{ bucket: s.start, label: "rate up" }, ...(s.end ? [{ bucket: s.end, label: "back" }] : [])]);
  const unit = state.range.grain;
  const cat = detail.catalogue[0];
  return (
    <main>
      <p className="muted">
        <Link href={viewHref("/apps", { ...state, page: 1, sort: "-failure_low", outcome: null })}>← All apps</Link>
      </p>
      <h1>{cat?.name ?? nsapp}</h1>
      <p className="lede">
        <code>{nsapp}</code> · {detail.catalogue.map((c) => c.type).join(", ") || "not in the script catalogue"}
        {cat?.ramMb ? ` · script defaults: ${cat.cpu} cores, ${cat.ramMb} MB RAM, ${cat.diskGb} GB disk, ${cat.os} ${cat.osVersion}` : ""} ·{" "}
        {bucketLabel(state.range.from)} to {bucketLabel(state.range.to)} (UTC)
      </p>
      <Notes notes={notes} />
      <RangeBar path={path} state={state} today={utcDay(now)} />
      <StatCards
        stats={[
          { label: "Runs", value: formatInt(t.runs), testId: "app-runs" },
          {
            label: "Success rate",
            value: rate ? `${(rate.rate * 100).toFixed(1)} %` : "–",
            hint: rate ? `95 % interval ${(rate.low * 100).toFixed(1)}–${(rate.high * 100).toFixed(1)} %` : undefined,
            testId: "app-success-rate",
          },
          { label: "Failures", value: formatInt(t.failed), testId: "app-failed" },
          { label: "Aborted", value: formatInt(t.aborted), testId: "app-aborted" },
          { label: "No result yet", value: formatInt(t.installing), hint: "still installing (running or unfinished)", testId: "app-installing" },
        ]}
      />
      <section className="panel" aria-labelledby="trend">
        <h2 id="trend">Runs per {unit}</h2>
        <OutcomeChart data={detail.series} series={STORED_SERIES} markers={markers} label={`Runs of ${nsapp} per ${unit} by outcome, last ${spanLabel(state.range)}`} />
        {shifts.map((s) => (
          <p key={s.start} className="notes" data-testid="regression">
            Failure rate jumped {unit === "hour" ? "at" : "on"} {bucketLabel(s.start)} (peak {(s.peak * 100).toFixed(0)} % against a usual{" "}
            {(s.baseline * 100).toFixed(1)} %){s.end ? ` and was back to normal after ${bucketLabel(s.end)}.` : " and is still high."}
          </p>
        ))}
      </section>
      <div className="grid-2">
        <section className="panel table-wrap" aria-labelledby="codes">
          <h2 id="codes">Exit codes</h2>
          <table data-testid="app-exit-codes">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Failures</th>
                <th scope="col">Aborted</th>
                <th scope="col">Share of failures</th>
              </tr>
            </thead>
            <tbody>
              {detail.codes.slice(0, CODE_ROWS).map((c) => (
                <tr key={c.exit_code}>
                  <td>
                    <ExitCode code={Number(c.exit_code)} />
                  </td>
                  <td>{formatInt(c.failed)}</td>
                  <td>{formatInt(c.aborted)}</td>
                  <td>{t.failed ? `${((c.failed / t.failed) * 100).toFixed(1)} %` : "–"}</td>
                </tr>
              ))}
              {detail.codes.length === 0 && (
                <tr>
                  <td colSpan={4}>No failures in this range.</td>
                </tr>
              )}
              {detail.codes.length > CODE_ROWS && (
                <tr>
                  <td colSpan={4} className="muted">
                    and {detail.codes.length - CODE_ROWS} rarer codes
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
        <BreakdownTable title="OS versions" keyLabel="OS" rows={detail.os} testId="app-os" />
        <BreakdownTable title="Proxmox VE versions" keyLabel="PVE" rows={detail.pve} />
        <BreakdownTable title="Install methods" keyLabel="Method" rows={detail.methods} />
        <section className="panel table-wrap" aria-labelledby="resources">
          <h2 id="resources">Resources against the script defaults</h2>
          <table data-testid="app-resources">
            <thead>
              <tr>
                <th scope="col">Chosen</th>
                <th scope="col">Runs</th>
                <th scope="col">Failures</th>
                <th scope="col">Failure rate</th>
              </tr>
            </thead>
            {detail.resources.map((res) => (
              <tbody key={res.resource}>
                <tr>
                  <th scope="rowgroup" colSpan={4} className="text">
                    {res.resource}
                    {res.default !== null ? ` (default ${formatInt(res.default)} ${res.unit})` : " (no default known)"}
                  </th>
                </tr>
                {res.choices.map((r) => (
                  <tr key={r.relation}>
                    <td>{r.relation === "default" ? "the default" : r.relation === "no default" ? "not comparable" : `${r.relation} the default`}</td>
                    <td>{formatInt(r.runs)}</td>
                    <td>{formatInt(r.failed)}</td>
                    <td>
                      <Rate rate={r.failureRate} />
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </section>
      </div>
      <section className="panel table-wrap" aria-labelledby="runs" style={{ marginTop: 20 }}>
        <h2 id="runs">Recent {OUTCOME_STYLE[outcome].label.toLowerCase()} runs</h2>
        <FilterLinks
          label="Outcome"
          path={path}
          state={state}
          hash="#runs"
          items={OUTCOMES.map((o) => ({ text: OUTCOME_STYLE[o].label, patch: { outcome: o === "failed" ? null : o }, current: o === outcome }))}
        />
        <table data-testid="runs">
          <thead>
            <tr>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Exit code</th>
              <th scope="col" className="text">
                Explanation
              </th>
              <th scope="col">OS</th>
              <th scope="col">PVE</th>
              <th scope="col">Method</th>
            </tr>
          </thead>
          <tbody>
            {runs.items.map((r, i) => (
              <tr key={`${r.created}-${i}`}>
                <td>{r.created.slice(0, 19)}</td>
                <td>{WITH_CODE.includes(r.outcome) ? <ExitCode code={r.exit_code} at={r.created} /> : "–"}</td>
                <td className="muted text">{WITH_CODE.includes(r.outcome) ? explainExitCode(r.exit_code, r.created) : OUTCOME_STYLE[r.outcome].description}</td>
                <td>
                  {r.os_type} {r.os_version}
                </td>
                <td>{r.pve_version}</td>
                <td>{r.method}</td>
              </tr>
            ))}
            {runs.items.length === 0 && (
              <tr>
                <td colSpan={6}>No {OUTCOME_STYLE[outcome].label.toLowerCase()} runs in this range.</td>
              </tr>
            )}
          </tbody>
        </table>
        <Pagination page={state.page} pageSize={RUN_ROWS} total={runs.totalItems} label="Runs" href={(page) => `${viewHref(path, state, { page })}#runs`} />
      </section>
    </main>
  );
}
