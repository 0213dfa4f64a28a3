/**
 * An app's install time (issue 15): how long its successful runs take (p50, p90) and how long a
 * failure takes to fail, with n — from the percentile views (lib/data/queries/durations.ts).
 */
import Link from "next/link";
import { StatCards } from "@/components/StatCards";
import { DURATION_MIN_RUNS } from "@/lib/durations";
import { formatApproxDuration, formatDuration, formatInt } from "@/lib/format";
import type { AppDurations } from "@/lib/data";

/** "typically 4 min" for a sentence, or null below DURATION_MIN_RUNS timed successes. */
export function typicalInstall(d: AppDurations): string | null {
  return d.success.n >= DURATION_MIN_RUNS && d.success.p50 !== null ? `typically ${formatApproxDuration(d.success.p50)}` : null;
}

export function InstallTime({ d }: { d: AppDurations }) {
  const s = d.success;
  const f = d.failed;
  if (s.n === 0 && f.n === 0) {
    return (
      <p className="muted" data-testid="install-time-none">
        No run in this range reported its duration (only today&apos;s scripts do).
      </p>
    );
  }
  const typical = typicalInstall(d);
  return (
    <>
      <StatCards
        stats={[
          { label: "Typical install (median)", value: formatDuration(s.p50), hint: `n ${formatInt(s.n)} successful runs`, testId: "install-p50" },
          { label: "Slow installs (p90)", value: formatDuration(s.p90), hint: "9 in 10 successful runs take at most this", testId: "install-p90" },
          { label: "Time to fail (median)", value: formatDuration(f.p50), hint: `n ${formatInt(f.n)} failures · p90 ${formatDuration(f.p90)}`, testId: "fail-p50" },
        ]}
      />
      <p className="muted">
        {typical ? `An install ${typical}. ` : `Fewer than ${DURATION_MIN_RUNS} timed successful runs: too few to say what is typical. `}
        Runs from the official repository that reported a duration (development and fork runs are counted apart); percentiles rounded down by at most 8.3 % (
        <Link prefetch={false} href="/methodology#install-time">
          method
        </Link>
        ).
      </p>
    </>
  );
}
