"use client";
/** Shares of categories (e.g. operating systems) per point as stacked areas summing to 100 %. */
import dynamic from "next/dynamic";
import type { Bucket } from "@/lib/range";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { DataTable } from "../DataTable";
import { CHART_HEIGHT, ChartFrame } from "./ChartFrame";
import type { SharePoint, ShareRow } from "./series";

const SharePlot = dynamic(() => import("./plots/SharePlot"), { ssr: false });
const COLORS = ["var(--accent)", "var(--success)", "var(--aborted)", "var(--unfinished)", "var(--running)", "var(--failed)", "var(--unknown)"];

export function ShareChart(props: { categories: string[]; points: SharePoint[]; label: string; unit: Bucket; countLabel?: string }) {
  const { categories, unit } = props;
  const colors = categories.map((_, i) => COLORS[i % COLORS.length]!);
  const rows: ShareRow[] = props.points.map((p) => {
    const total = p.values.reduce((a, b) => a + b, 0);
    return { ...p, total, shares: p.values.map((v) => (total === 0 ? 0 : v / total)) };
  });
  const table = (
    <DataTable
      columns={[
        { key: "bucket", label: bucketHeading(unit), cell: (r: ShareRow) => ({ kind: "text", value: bucketLabel(r.bucket, unit), note: r.partial ? "(partial)" : undefined }) },
        ...categories.map((c, i) => ({ key: c, label: c, cell: (r: ShareRow) => ({ kind: "integer" as const, value: r.values[i] ?? 0 }) })),
        { key: "total", label: props.countLabel ?? "Total", cell: (r: ShareRow) => ({ kind: "integer", value: r.total }) },
      ]}
      rows={rows}
      rowKey={(r) => r.bucket}
    />
  );
  return (
    <ChartFrame
      label={props.label}
      legend={categories.map((c, i) => ({ label: c, color: colors[i]! }))}
      table={table}
      plot={<SharePlot rows={rows} categories={categories} colors={colors} height={CHART_HEIGHT} unit={unit} />}
    />
  );
}
