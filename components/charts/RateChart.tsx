"use client";
/**
 * Failure rate per point with its 95 % Wilson interval as a band. Points with fewer than
 * RATE_MIN_DECIDED runs that ended either way show no rate (a gap): one failure in two runs
 * is not a 50 % failure rate worth drawing.
 */
import dynamic from "next/dynamic";
import type { Bucket } from "@/lib/range";
import { RATE_MIN_DECIDED, wilson } from "@/lib/stats";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { DataTable } from "../DataTable";
import { CHART_HEIGHT, ChartFrame } from "./ChartFrame";
import type { Marker, RateInput, RatePoint } from "./series";

const RatePlot = dynamic(() => import("./plots/RatePlot"), { ssr: false });

export function toRatePoints(points: RateInput[]): RatePoint[] {
  return points.map((p) => {
    const w = p.decided >= RATE_MIN_DECIDED ? wilson(p.failed, p.decided) : null;
    return { ...p, rate: w?.rate ?? null, low: w?.low ?? null, high: w?.high ?? null };
  });
}

export function RateChart(props: { points: RateInput[]; label: string; unit: Bucket; markers?: Marker[] }) {
  const { unit } = props;
  const points = toRatePoints(props.points);
  const table = (
    <DataTable
      columns={[
        { key: "bucket", label: bucketHeading(unit), cell: (p: RatePoint) => ({ kind: "text", value: bucketLabel(p.bucket, unit), note: p.partial ? "(partial)" : undefined }) },
        { key: "runs", label: "Runs", cell: (p) => ({ kind: "integer", value: p.runs }) },
        { key: "failed", label: "Failures", cell: (p) => ({ kind: "integer", value: p.failed, of: p.decided }) },
        { key: "rate", label: "Failure rate (95 % interval)", cell: (p) => ({ kind: "rate", value: p.rate, low: p.low, high: p.high }) },
      ]}
      rows={points}
      rowKey={(p) => p.bucket}
    />
  );
  return (
    <ChartFrame
      label={props.label}
      legend={[
        { label: "Failure rate", color: "var(--failed)" },
        { label: "95 % interval", color: "color-mix(in srgb, var(--failed) 25%, transparent)" },
      ]}
      note={`No rate where fewer than ${RATE_MIN_DECIDED} runs ended with a success or a failure.`}
      table={table}
      plot={<RatePlot points={points} markers={props.markers ?? []} height={CHART_HEIGHT} unit={unit} />}
    />
  );
}
