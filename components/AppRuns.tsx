/** An app's recent runs of one outcome (failed by default), paged, each outcome one click away. */
import { loadRuns } from "@/lib/data";
import { explainExitCode } from "@/lib/exit-codes";
import { osLabel } from "@/lib/labels";
import { OUTCOMES, type Outcome } from "@/lib/outcomes";
import { viewHref, type ViewState } from "@/lib/params";
import type { Run } from "@/lib/data";
import { VIEWS } from "@/lib/views";
import { DataTable } from "./DataTable";
import { FilterLinks } from "./FilterLinks";
import { OUTCOME_STYLE } from "@/lib/outcome-style";
import { Pagination } from "./Pagination";
import { PastLastPage } from "./PastLastPage";
import { Loaded, Section } from "./Section";

const RUN_ROWS = 20;
/** Outcomes whose runs carry a meaningful exit code. */
const WITH_CODE: readonly Outcome[] = ["failed", "aborted"];

async function RunList({ nsapp, path, state, outcome }: { nsapp: string; path: string; state: ViewState; outcome: Outcome }) {
  const pageHref = (page: number) => `${viewHref(VIEWS.app, path, state, { page })}#runs`;
  return (
    <Loaded result={await loadRuns(nsapp, state.range, outcome, state.page, RUN_ROWS)}>
      {(runs) =>
        runs.page > runs.pages ? (
          <PastLastPage page={runs.page} pageSize={RUN_ROWS} total={runs.totalItems} href={pageHref} />
        ) : (
          <>
            <DataTable
              testId="runs"
              rows={runs.items}
              rowKey={(r: Run) => `${r.started}-${r.exit_code}-${r.os_type}-${r.pve_version}-${r.method}`}
              columns={[
                { key: "started", label: "Started (UTC)", cell: (r) => ({ kind: "text", value: r.started }) },
                {
                  key: "code",
                  label: "Exit code",
                  align: "left",
                  cell: (r) =>
                    WITH_CODE.includes(r.outcome)
                      ? { kind: "code", code: r.exit_code, text: explainExitCode(r.exit_code, r.started.slice(0, 10)) }
                      : { kind: "text", value: OUTCOME_STYLE[r.outcome].description, muted: true },
                },
                { key: "os", label: "OS", priority: 2, cell: (r) => ({ kind: "text", value: osLabel(r.os_type, r.os_version) }) },
                { key: "pve", label: "PVE", priority: 2, cell: (r) => ({ kind: "text", value: r.pve_version }) },
                { key: "method", label: "Method", priority: 3, cell: (r) => ({ kind: "text", value: r.method }) },
              ]}
              empty={`No ${OUTCOME_STYLE[outcome].label.toLowerCase()} runs in this range.`}
            />
            <Pagination page={runs.page} pageSize={RUN_ROWS} total={runs.totalItems} label="Runs" href={pageHref} />
          </>
        )
      }
    </Loaded>
  );
}

export function AppRuns({ nsapp, path, state }: { nsapp: string; path: string; state: ViewState }) {
  const outcome = state.outcome ?? "failed";
  return (
    <Section id="runs" title={`Recent ${OUTCOME_STYLE[outcome].label.toLowerCase()} runs`}>
      <FilterLinks
        label="Outcome"
        view={VIEWS.app}
        path={path}
        state={state}
        hash="#runs"
        items={OUTCOMES.map((o) => ({ text: OUTCOME_STYLE[o].label, patch: { outcome: o === "failed" ? null : o }, current: o === outcome }))}
      />
      <RunList nsapp={nsapp} path={path} state={state} outcome={outcome} />
    </Section>
  );
}
