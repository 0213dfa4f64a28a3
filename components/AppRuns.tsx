/** An app's recent runs of one outcome (failed by default), paged, each outcome one click away. */
import { loadRuns } from "@/lib/data";
import { OUTCOMES, type Outcome } from "@/lib/outcomes";
import { viewHref, type ViewState } from "@/lib/params";
import type { Run } from "@/lib/data";
import { RUNS } from "@/lib/reports/runs";
import { VIEWS } from "@/lib/views";
import { DataTable } from "./DataTable";
import { FilterLinks } from "./FilterLinks";
import { OUTCOME_STYLE } from "@/lib/outcome-style";
import { Pagination } from "./Pagination";
import { PastLastPage } from "./PastLastPage";
import { Loaded, Section } from "./Section";

const RUN_ROWS = 20;

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
              columns={RUNS.table(null)}
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
