"use client";
/** Failed (and aborted) runs per point, one line per exit code. */
import dynamic from "next/dynamic";
import type { CodeTrendPoint } from "@/lib/data";
import type { Bucket } from "@/lib/range";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { DataTable } from "../DataTable";
import { CHART_HEIGHT, ChartFrame } from "./ChartFrame";

const CodeTrendPlot = dynamic(() => import("./plots/CodeTrendPlot"), { ssr: false });
const COLORS = ["var(--failed)", "var(--accent)", "var(--aborted)", "var(--unfinished)", "var(--running)", "var(--success)", "var(--unknown)"];

export function CodeTrendChart(props: {
  codes: number[];
  /** Legend text per code, e.g. "100 · APT error" (computed on the server). */
  labels: string[];
  points: CodeTrendPoint[];
  label: string;
  unit: Bucket;
}) {
  const { codes, labels, points, unit } = props;
  const colors = codes.map((_, i) => COLORS[i % COLORS.length]!);
  const table = (
    <DataTable
      columns={[
        {
          key: "bucket",
          label: bucketHeading(unit),
          cell: (p: CodeTrendPoint) => ({ kind: "text", value: bucketLabel(p.bucket, unit), note: p.partial ? "(partial)" : undefined }),
        },
        ...codes.map((c, i) => ({ key: String(c), label: `Exit code ${c}`, cell: (p: CodeTrendPoint) => ({ kind: "integer" as const, value: p.values[i] ?? 0 }) })),
      ]}
      rows={points}
      rowKey={(p) => p.bucket}
    />
  );
  return (
    <ChartFrame
      label={props.label}
      legend={codes.map((_, i) => ({ label: labels[i] ?? String(codes[i]), color: colors[i]! }))}
      table={table}
      plot={<CodeTrendPlot points={points} codes={codes} labels={labels} colors={colors} height={CHART_HEIGHT} unit={unit} />}
    />
  );
}
