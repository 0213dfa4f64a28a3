"use client";
/** Stacked bars per point (hour, day, week or month), one segment per outcome, with optional vertical markers. */
import dynamic from "next/dynamic";
import type { Bucket } from "@/lib/range";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { DataTable } from "../DataTable";
import { CHART_HEIGHT, ChartFrame } from "./ChartFrame";
import { countOf, type Marker, type OutcomePoint, type Series } from "./series";

const OutcomePlot = dynamic(() => import("./plots/OutcomePlot"), { ssr: false });

export function OutcomeChart(props: { data: OutcomePoint[]; series: Series[]; label: string; unit: Bucket; markers?: Marker[] }) {
  const { data, series, label, unit, markers = [] } = props;
  const table = (
    <DataTable
      columns={[
        { key: "bucket", label: bucketHeading(unit), cell: (d: OutcomePoint) => ({ kind: "text", value: bucketLabel(d.bucket, unit), note: d.partial ? "(partial)" : undefined }) },
        // testId: the running and unfinished cells change as time passes (the page benchmark blanks them).
        ...series.map((s) => ({ key: s.key, label: s.label, testId: `series-${s.key}`, cell: (d: OutcomePoint) => ({ kind: "integer" as const, value: countOf(d, s.key) }) })),
      ]}
      rows={data}
      rowKey={(d) => d.bucket}
    />
  );
  return (
    <ChartFrame
      label={label}
      legend={series.map((s) => ({ label: s.label, color: s.color }))}
      note={data.some((d) => d.partial) ? "Lighter bars: a period not over yet, or only partly in the range." : undefined}
      table={table}
      plot={<OutcomePlot data={data} series={series} markers={markers} height={CHART_HEIGHT} unit={unit} />}
    />
  );
}
