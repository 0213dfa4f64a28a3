/**
 * "Hardware and platform": runs by GPU passthrough, GPU vendor, CPU vendor, architecture and
 * platform — one small table per dimension (share of runs, failure rate with its interval and
 * n). On the app page for one app, on /os for all apps. Columns: lib/reports/hardware.ts.
 */
import { DataTable } from "@/components/DataTable";
import { Loaded } from "@/components/Section";
import { type HardwareBreakdown, loadAppHardware, loadHardware } from "@/lib/data";
import { formatInt, formatPercent } from "@/lib/format";
import { HARDWARE_DIMENSIONS, NOT_REPORTED } from "@/lib/hardware";
import type { Range } from "@/lib/range";
import type { RunType } from "@/lib/run-type";
import { dimensionRows, HARDWARE } from "@/lib/reports/hardware";

interface Props {
  /** One app, or every app when absent. */
  nsapp?: string;
  range: Range;
  /** All apps only: one install type, or all. */
  type?: RunType | null;
  api: { json: string; csv: string };
}

function Tables({ found, api, testId }: { found: HardwareBreakdown; api: Props["api"]; testId: string }) {
  const notReported = found.values.find((v) => v.dimension === "gpu_passthrough" && v.value === NOT_REPORTED)?.runs ?? 0;
  return (
    <>
      <p className="muted" data-testid={`${testId}-summary`}>
        {found.runs === 0
          ? "No runs in this range."
          : `${formatInt(found.runs)} runs; ${formatInt(notReported)} (${formatPercent(notReported / found.runs)}) did not report their hardware — runs of the older protocol carry none of these fields — and count as “not reported”, so each table's shares sum to 100 %.`}{" "}
        Failure rates are of the runs that ended (n), with a 95 % interval (<a href="/methodology#hardware">method</a>). <a href={api.json}>JSON</a> · <a href={api.csv}>CSV</a>
      </p>
      <div className="grid-2">
        {HARDWARE_DIMENSIONS.map((dimension) => {
          const { label, rows, ctx } = dimensionRows(found.values, dimension);
          return (
            <div key={dimension}>
              <h3>{label}</h3>
              <DataTable testId={`${testId}-${dimension}`} rows={rows} fold={6} rowKey={(r) => r.value || "-"} columns={HARDWARE.table(ctx)} empty="No runs in this range." />
            </div>
          );
        })}
      </div>
    </>
  );
}

export async function HardwarePlatform({ nsapp, range, type = null, api }: Props) {
  const result = nsapp === undefined ? await loadHardware(range, type) : await loadAppHardware(nsapp, range);
  return <Loaded result={result}>{(found) => <Tables found={found} api={api} testId={nsapp === undefined ? "hardware" : "app-hardware"} />}</Loaded>;
}
