/**
 * An app's install time (issue 15): how long its successful runs take (p50, p90) and how long a
 * failure takes to fail, with n — from the percentile views (lib/data/queries/durations.ts).
 */
import Link from "next/link";
import { DurationTrendChart } from "@/components/charts/DurationTrendChart";
import { StatCards } from "@/components/StatCards";
import { DataTable } from "@/components/DataTable";
import { DURATION_MIN_RUNS } from "@/lib/durations";
import { FACTOR_MIN_RATIO } from "@/lib/duration-factors";
import { formatApproxDuration, formatDuration, formatInt } from "@/lib/format";
import type { AppDurations, DurationFactors, InstallTrend as Trend } from "@/lib/data";
import { DURATION_FACTOR_VALUES } from "@/lib/reports/duration-factors";

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

/** p50 and p90 of successful installs per week or month of the range (shown only when a point has enough timed runs). */
export function InstallTrend({ nsapp, trend }: { nsapp: string; trend: Trend }) {
  if (!trend.points.some((p) => p.success.n >= DURATION_MIN_RUNS)) return null;
  return (
    <div data-testid="install-trend">
      <h3>Install time per {trend.unit}</h3>
      <DurationTrendChart
        unit={trend.unit}
        label={`Typical and slow install time of ${nsapp} per ${trend.unit}`}
        points={trend.points.map((p) => ({ bucket: p.bucket, partial: p.partial, n: p.success.n, p50: p.success.p50, p90: p.success.p90 }))}
      />
    </div>
  );
}

/**
 * Install time by cores, RAM, install method and OS version: only the factors where some value's
 * median differs from the app's other runs by the rule (lib/duration-factors.ts), every value
 * of such a factor with its n; otherwise one sentence saying none does.
 */
export function InstallTimeFactors({ f }: { f: DurationFactors & { days: { from: string; to: string } } }) {
  if (f.overall.n === 0) return null;
  const shown = f.factors.filter((x) => x.differs);
  const columns = DURATION_FACTOR_VALUES.table(null);
  return (
    <div data-testid="install-factors">
      <h3>Where install time differs</h3>
      <p className="muted" data-testid="install-factors-summary">
        {shown.length === 0
          ? `No core count, RAM size, install method or OS version installs at a clearly different speed (${formatInt(f.tested)} values with ${DURATION_MIN_RUNS}+ runs tested over ${formatInt(f.overall.n)} timed successes).`
          : `Each value's successful runs against the app's other runs (${formatInt(f.overall.n)} timed successes in all); a factor is shown where one of its values' median is at least ${FACTOR_MIN_RATIO}× apart and the rank-sum test holds after correcting for the ${formatInt(f.tested)} values tested (marked "differs"), with its other values beside it.`}{" "}
        <Link prefetch={false} href="/methodology#install-time-factors">
          Method
        </Link>
        .
      </p>
      {shown.map((x) => (
        <div key={x.factor}>
          <h4>{x.label}</h4>
          <DataTable
            testId={`install-factor-${x.factor}`}
            caption={`Install time by ${x.label.toLowerCase()}`}
            rows={x.values}
            fold={6}
            rowKey={(r) => r.value}
            columns={columns}
          />
        </div>
      ))}
    </div>
  );
}
