"use client";
/**
 * An app's install time over the range: p50 and p90 of its successful runs per week or month
 * (lib/durations.ts trendPoints). Points with fewer than DURATION_MIN_RUNS timed successes
 * show no value (a gap), as rates below their minimum do.
 */
import dynamic from "next/dynamic";
import { DURATION_MIN_RUNS } from "@/lib/durations";
import { formatDuration } from "@/lib/format";
import type { Bucket } from "@/lib/range";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { DataTable } from "../DataTable";
import { CHART_HEIGHT, ChartFrame } from "./ChartFrame";
import type { DurationPoint } from "./series";

const DurationPlot = dynamic(() => import("./plots/DurationPlot"), { ssr: false });

export function DurationTrendChart(props: { points: DurationPoint[]; label: string; unit: Bucket }) {
  const { unit } = props;
  const points = props.points.map((p) => (p.n >= DURATION_MIN_RUNS ? p : { ...p, p50: null, p90: null }));
  const table = (
    <DataTable
      columns={[
        {
          key: "bucket",
          label: bucketHeading(unit),
          cell: (p: DurationPoint) => ({ kind: "text", value: bucketLabel(p.bucket, unit), note: p.partial ? "(partial)" : undefined }),
        },
        { key: "n", label: "Timed successful runs", cell: (p) => ({ kind: "integer", value: p.n }) },
        { key: "p50", label: "Typical (p50)", cell: (p) => ({ kind: "text", value: p.p50 === null ? "–" : formatDuration(p.p50) }) },
        { key: "p90", label: "Slow (p90)", cell: (p) => ({ kind: "text", value: p.p90 === null ? "–" : formatDuration(p.p90) }) },
      ]}
      rows={points}
      rowKey={(p) => p.bucket}
    />
  );
  return (
    <ChartFrame
      label={props.label}
      legend={[
        { label: "Typical install (p50)", color: "var(--accent)" },
        { label: "Slow installs (p90)", color: "var(--muted)" },
      ]}
      note={`No value where fewer than ${DURATION_MIN_RUNS} successful runs reported their duration.`}
      table={table}
      plot={<DurationPlot points={points} height={CHART_HEIGHT} unit={unit} />}
    />
  );
}
