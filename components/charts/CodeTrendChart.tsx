"use client";
/** Failed + aborted runs per day (or hour), one line per exit code. */
import dynamic from "next/dynamic";
import type { CodeTrendPoint } from "@/lib/queries/exit-codes";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { CHART_HEIGHT, ChartFrame, fromFirstCount } from "./ChartFrame";

const CodeTrendPlot = dynamic(() => import("./plots/CodeTrendPlot"), { ssr: false });
const COLORS = ["var(--failed)", "var(--accent)", "var(--aborted)", "var(--unfinished)", "var(--running)", "var(--success)", "var(--unknown)"];
const fmt = new Intl.NumberFormat("en-US");

export function CodeTrendChart(props: {
  codes: number[];
  /** Legend text per code, e.g. "100 · APT error" (computed on the server). */
  labels: string[];
  points: CodeTrendPoint[];
  label: string;
  /** Start at the first bucket with a count (for "all time", which begins years before the data). */
  trimLeading?: boolean;
}) {
  const { codes, labels } = props;
  const points = fromFirstCount(props.points, props.trimLeading);
  const colors = codes.map((_, i) => COLORS[i % COLORS.length]!);
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">{bucketHeading(points)}</th>
          {codes.map((c, i) => (
            <th scope="col" key={c} title={labels[i]}>
              Exit code {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.bucket}>
            <td>{bucketLabel(p.bucket)}</td>
            {codes.map((c, i) => (
              <td key={c}>{fmt.format(p.values[i] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      label={props.label}
      legend={codes.map((_, i) => ({ label: labels[i] ?? String(codes[i]), color: colors[i]! }))}
      table={table}
      plot={<CodeTrendPlot points={points} codes={codes} labels={labels} colors={colors} height={CHART_HEIGHT} />}
    />
  );
}
