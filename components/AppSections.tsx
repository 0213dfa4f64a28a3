/**
 * An app page's sections that read one figure each: its totals, install time, why it fails,
 * its exit codes, environment breakdowns and resource choices (app/apps/[nsapp]/page.tsx lays
 * them out; the trend is components/AppTrend.tsx).
 */
import { CategoryTable } from "@/components/CategoryTable";
import { DataTable } from "@/components/DataTable";
import { FilterLinks } from "@/components/FilterLinks";
import { InstallTime, InstallTimeFactors, InstallTrend } from "@/components/InstallTime";
import { Loaded } from "@/components/Section";
import { StatCards } from "@/components/StatCards";
import {
  type Breakdown,
  loadAppCodes,
  loadAppDurationFactors,
  loadAppDurations,
  loadAppEnvironment,
  loadAppInsights,
  loadAppResources,
  loadAppSummary,
  loadInstallTrend,
} from "@/lib/data";
import { explainExitCode } from "@/lib/exit-codes";
import { formatInt, formatInterval, formatPercent, formatRate } from "@/lib/format";
import { viewHref, type ViewState } from "@/lib/params";
import { wilson } from "@/lib/stats";
import type { Column } from "@/lib/table";
import { VIEWS } from "@/lib/views";

export async function AppSummary({ nsapp, state }: { nsapp: string; state: ViewState }) {
  return (
    <Loaded result={await loadAppSummary(nsapp, state.range)}>
      {({ totals: t }) => {
        const rate = wilson(t.success, t.success + t.failed);
        return (
          <StatCards
            stats={[
              { label: "Runs", value: formatInt(t.runs), testId: "app-runs" },
              {
                label: "Success rate",
                value: rate ? formatPercent(rate.rate) : "–",
                hint: rate ? `95 % interval ${formatInterval(rate.low, rate.high)} · n ${formatInt(t.success + t.failed)}` : undefined,
                testId: "app-success-rate",
              },
              { label: "Failures", value: formatInt(t.failed), testId: "app-failed" },
              { label: "Aborted", value: formatInt(t.aborted), testId: "app-aborted" },
              { label: "No result yet", value: formatInt(t.installing), hint: "still installing (running or unfinished)", testId: "app-installing" },
            ]}
          />
        );
      }}
    </Loaded>
  );
}

export async function AppInstallTime({ nsapp, state }: { nsapp: string; state: ViewState }) {
  const [durations, trend, factors] = await Promise.all([loadAppDurations(nsapp, state.range), loadInstallTrend(nsapp, state.range), loadAppDurationFactors(nsapp, state.range)]);
  return (
    <>
      <Loaded result={durations}>{(d) => <InstallTime d={d} />}</Loaded>
      <Loaded result={trend}>{(t) => t && <InstallTrend nsapp={nsapp} trend={t} />}</Loaded>
      <Loaded result={factors}>{(f) => <InstallTimeFactors f={f} />}</Loaded>
    </>
  );
}

/** What is unusual about the app's failures, its failure categories and its actionable rate. */
export async function AppInsights({ nsapp, state }: { nsapp: string; state: ViewState }) {
  return (
    <Loaded result={await loadAppInsights(nsapp, state.range)}>
      {(ins) => (
        <div className="grid-2">
          <div>
            <h3>What stands out in its failures</h3>
            {ins.unusual.length ? (
              <ul data-testid="unusual">
                {ins.unusual.map((c) => (
                  <li key={c.dimension + c.key}>{c.sentence}</li>
                ))}
              </ul>
            ) : (
              <p className="muted" data-testid="unusual-none">
                Nothing: no OS, Proxmox VE version, method, install type, resource choice or hardware fails significantly more often than the app&apos;s other runs.
              </p>
            )}
            <p className="muted">
              Actionable failure rate (failures the script can fix):{" "}
              <strong data-testid="actionable-rate">{ins.totals.actionable_rate === null ? "–" : formatRate(ins.totals.actionable_rate)}</strong>
              {ins.totals.actionable_low !== null && ` (95 % interval ${formatInterval(ins.totals.actionable_low, ins.totals.actionable_high)})`}; all failures:{" "}
              {ins.totals.rate === null ? "–" : formatRate(ins.totals.rate)}.
            </p>
          </div>
          <div>
            <h3>Failures by category</h3>
            <CategoryTable testId="app-categories" rows={ins.categories} share="percent" />
          </div>
        </div>
      )}
    </Loaded>
  );
}

/** The app's exit codes, user aborts left out unless included — the rule of every exit-code list (/errors too). */
export async function AppCodes({ nsapp, state, path }: { nsapp: string; state: ViewState; path: string }) {
  return (
    <Loaded result={await loadAppCodes(nsapp, state.range, state.aborts)}>
      {(rows) => {
        const failed = rows.reduce((n, c) => n + c.failed, 0);
        return (
          <>
            <FilterLinks
              label="User aborts"
              view={VIEWS.app}
              path={path}
              state={state}
              hash="#codes"
              items={[
                { text: "Left out", patch: { aborts: false }, current: !state.aborts },
                { text: "Included", patch: { aborts: true }, current: state.aborts },
              ]}
            />
            <DataTable
              testId="app-exit-codes"
              rows={rows}
              fold={8}
              rowKey={(c) => String(c.exit_code)}
              columns={[
                {
                  key: "code",
                  label: "Exit code",
                  cell: (c) => ({
                    kind: "code",
                    code: Number(c.exit_code),
                    text: explainExitCode(Number(c.exit_code)),
                    href: viewHref(VIEWS.error, `/errors/${c.exit_code}`, state),
                  }),
                },
                { key: "failed", label: "Failures", cell: (c) => ({ kind: "integer", value: c.failed }) },
                { key: "aborted", label: "Aborted", priority: 2, cell: (c) => ({ kind: "integer", value: c.aborted }) },
                { key: "share", label: "Share of failures", priority: 2, cell: (c) => ({ kind: "percent", value: failed ? c.failed / failed : null }) },
              ]}
              empty={state.aborts ? "No failed or aborted runs in this range." : "No failures in this range apart from user aborts."}
            />
          </>
        );
      }}
    </Loaded>
  );
}

function breakdownColumns(keyLabel: string): Column<Breakdown>[] {
  return [
    { key: "key", label: keyLabel, cell: (r) => ({ kind: "text", value: r.key, muted: r.key === "not reported" }) },
    { key: "runs", label: "Runs", cell: (r) => ({ kind: "integer", value: r.runs }) },
    { key: "failed", label: "Failures", priority: 2, cell: (r) => ({ kind: "integer", value: r.failed }) },
    { key: "rate", label: "Failure rate (95 % interval)", cell: (r) => ({ kind: "rate", value: r.failureRate, low: r.failureLow, high: r.failureHigh }) },
  ];
}

export async function AppEnvironment({ nsapp, state, part }: { nsapp: string; state: ViewState; part: "os" | "pve" | "methods" }) {
  const label = { os: "OS", pve: "Proxmox VE", methods: "Method" }[part];
  return (
    <Loaded result={await loadAppEnvironment(nsapp, state.range)}>
      {(env) => <DataTable testId={`app-${part}`} rows={env[part]} fold={6} rowKey={(r) => r.key} columns={breakdownColumns(label)} empty="No runs in this range." />}
    </Loaded>
  );
}

export async function AppResources({ nsapp, state }: { nsapp: string; state: ViewState }) {
  return (
    <Loaded result={await loadAppResources(nsapp, state.range)}>
      {(resources) => (
        <div className="grid-3">
          {resources.map((res) => (
            <div key={res.resource}>
              <h3>
                {res.resource} <span className="muted">{res.default !== null ? `(default ${formatInt(res.default)} ${res.unit})` : "(no default known)"}</span>
              </h3>
              <DataTable
                testId={`app-resources-${res.resource.toLowerCase()}`}
                rows={res.choices}
                rowKey={(r) => r.relation}
                columns={[
                  {
                    key: "chosen",
                    label: "Chosen",
                    cell: (r) => ({ kind: "text", value: r.relation === "default" ? "the default" : r.relation === "no default" ? "not comparable" : `${r.relation} the default` }),
                  },
                  { key: "runs", label: "Runs", cell: (r) => ({ kind: "integer", value: r.runs }) },
                  { key: "rate", label: "Failure rate", cell: (r) => ({ kind: "rate", value: r.failureRate }) },
                ]}
              />
            </div>
          ))}
        </div>
      )}
    </Loaded>
  );
}
