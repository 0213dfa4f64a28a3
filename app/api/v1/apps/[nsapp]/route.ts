import { ApiError, answer, csvTable } from "@/lib/api";
import { AppSchema } from "@/lib/api-schemas";
import { appExists, fetchAppDetail, fetchAppDurationFactors, fetchAppDurations, loadInstallTrend, valueOrThrow } from "@/lib/data";
import { DURATION_FACTOR_VALUES } from "@/lib/reports/duration-factors";
import { explainExitCode } from "@/lib/exit-codes";
import type { Breakdown } from "@/lib/data";
import { VIEWS } from "@/lib/views";

const breakdown = (b: Breakdown) => ({
  label: b.key,
  runs: b.runs,
  success: b.success,
  failed: b.failed,
  failure_rate: b.failureRate,
  failure_low: b.failureLow,
  failure_high: b.failureHigh,
});

/**
 * GET /api/v1/apps/{nsapp}?range=90d&aborts=include — one app (lib/api-schemas.ts AppSchema);
 * its exit codes leave user aborts out unless aborts=include, as /errors does. CSV: the series.
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const { nsapp } = await params;
  return answer(request, `app-${nsapp.replace(/[^a-z0-9-]/gi, "_")}`, VIEWS.apiApp, AppSchema, async (state) => {
    if (nsapp.length > 128 || !(await appExists(nsapp))) throw new ApiError(404, `no app "${nsapp.slice(0, 64)}"`);
    const [d, time, trend, factors] = await Promise.all([
      fetchAppDetail(nsapp, state.range, state.aborts),
      fetchAppDurations(nsapp, state.range),
      loadInstallTrend(nsapp, state.range).then(valueOrThrow),
      fetchAppDurationFactors(nsapp, state.range),
    ]);
    return {
      data: {
        nsapp,
        in_catalogue: d.catalogue.length > 0,
        catalogue: d.catalogue.map((c) => ({ type: c.type, name: c.name, cpu: c.cpu, ram_mb: c.ramMb, disk_gb: c.diskGb, os: c.os, os_version: c.osVersion })),
        totals: d.totals,
        series: d.series,
        exit_codes: d.codes.map((c) => ({ exit_code: Number(c.exit_code), message: explainExitCode(Number(c.exit_code)), failed: c.failed, aborted: c.aborted })),
        user_aborts_included: state.aborts,
        os: d.os.map(breakdown),
        pve: d.pve.map(breakdown),
        methods: d.methods.map(breakdown),
        resources: d.resources.map((r) => ({
          resource: r.resource.toLowerCase() as "ram" | "cores" | "disk",
          unit: r.unit,
          default: r.default,
          choices: r.choices.map((c) => ({ relation: c.relation, runs: c.runs, success: c.success, failed: c.failed, failure_rate: c.failureRate })),
        })),
        install_time: {
          success: time.success,
          failed: time.failed,
          trend: trend && {
            unit: trend.unit,
            points: trend.points.map((p) => ({ bucket: p.bucket, partial: p.partial, from: p.range.from, to: p.range.to, success: p.success, failed: p.failed })),
          },
          by_factor: {
            from: factors.days.from,
            to: factors.days.to,
            overall: factors.overall,
            tested: factors.tested,
            factors: factors.factors.map((f) => ({ factor: f.factor, differs: f.differs, values: f.values.map((v) => DURATION_FACTOR_VALUES.json(v, null)) })),
          },
        },
      },
      table: csvTable(d.series, { bucket: true, partial: true, success: true, failed: true, aborted: true, unknown: true, installing: true }),
    };
  });
}
