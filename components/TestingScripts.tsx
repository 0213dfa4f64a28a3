/**
 * Scripts in testing (issue 15): the development repository's apps, with their finished runs,
 * failure rate and interval, and whether each is ready to move to the official repository by
 * the rule of lib/testing.ts (stated on /methodology#testing).
 */
import Link from "next/link";
import { DataTable } from "@/components/DataTable";
import { Loaded } from "@/components/Section";
import { loadTestingScripts } from "@/lib/data";
import { formatInt, formatRate } from "@/lib/format";
import { viewHref, type ViewState } from "@/lib/params";
import { PROMOTE_MARGIN, PROMOTE_MIN_RUNS } from "@/lib/testing";
import { VIEWS } from "@/lib/views";

/**
 * The scripts with a verdict (enough finished runs) are listed; those with too few are counted
 * and linked: the development repository runs a few times most scripts it changes, and listing
 * them all made /apps 1.6 MB of HTML and ~250 ms of rendering at 1 M runs (~550 rows).
 */
export async function TestingScripts({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadTestingScripts(state.range)}>
      {(all) => {
        const scripts = all.scripts.filter((s) => s.verdict !== "too few runs");
        const few = all.scripts.length - scripts.length;
        const view = { ...all, scripts };
        return (
          <>
            <p className="muted">
              Apps run from the development repository in this range. Ready to promote: at least {PROMOTE_MIN_RUNS} finished runs, and with 95 % confidence a failure rate at most{" "}
              {PROMOTE_MARGIN * 100} points above the official repository&apos;s median app ({view.officialMedian === null ? "not known yet" : formatRate(view.officialMedian)}) ·{" "}
              <Link prefetch={false} href="/methodology#testing">
                method
              </Link>
            </p>
            <DataTable
              testId="testing-scripts"
              rows={view.scripts}
              fold={10}
              rowKey={(s) => s.nsapp}
              columns={[
                { key: "nsapp", label: "Script", cell: (s) => ({ kind: "link", value: s.nsapp, href: `/apps/${encodeURIComponent(s.nsapp)}?repo=dev` }) },
                { key: "runs", label: "Finished runs", priority: 2, cell: (s) => ({ kind: "integer", value: s.success + s.failed }) },
                // Few sessions behind many runs: one tester retrying, not many hosts agreeing.
                { key: "sessions", label: "Sessions", priority: 2, cell: (s) => ({ kind: "integer", value: s.sessions }) },
                { key: "rate", label: "Failure rate (95 % interval)", cell: (s) => ({ kind: "rate", value: s.failureRate, low: s.failureLow, high: s.failureHigh }) },
                { key: "verdict", label: "Ready to promote", cell: (s) => ({ kind: "text", value: s.verdict === "ready" ? "ready" : s.verdict, muted: s.verdict !== "ready" }) },
                {
                  key: "command",
                  label: "Fails most at",
                  priority: 2,
                  cell: (s) =>
                    s.topCommand
                      ? { kind: "text", value: s.topCommand.command, note: `line ${s.topCommand.line} · ${formatInt(s.topCommand.failed)} of ${formatInt(s.failed)}` }
                      : { kind: "text", value: "–", muted: true },
                },
              ]}
              empty={few > 0 ? `No script in testing has ${PROMOTE_MIN_RUNS} finished runs in this range yet.` : "No runs from the development repository in this range."}
            />
            {few > 0 && (
              <p className="muted" data-testid="testing-too-few">
                {formatInt(few)} more {few === 1 ? "script" : "scripts"} ran from the development repository with fewer than {PROMOTE_MIN_RUNS} finished runs ·{" "}
                <Link prefetch={false} href={viewHref(VIEWS.apps, "/apps", state, { repo: "dev", minRuns: 0, page: 1 })}>
                  all apps of the development repository
                </Link>{" "}
                ·{" "}
                <a href={viewHref(VIEWS.apiTesting, "/api/v1/testing.csv", state)} download>
                  every script in testing (CSV)
                </a>
              </p>
            )}
          </>
        );
      }}
    </Loaded>
  );
}
