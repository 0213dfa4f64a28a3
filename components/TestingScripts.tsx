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
import type { Range } from "@/lib/range";
import { PROMOTE_MARGIN, PROMOTE_MIN_RUNS } from "@/lib/testing";

export async function TestingScripts({ range }: { range: Range }) {
  return (
    <Loaded result={await loadTestingScripts(range)}>
      {(view) => (
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
            empty="No runs from the development repository in this range."
          />
        </>
      )}
    </Loaded>
  );
}
