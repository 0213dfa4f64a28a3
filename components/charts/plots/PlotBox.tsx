"use client";
/**
 * Shared parts of every plot in this folder: recharts' responsive container with an initial
 * size (no width -1 warning before the box is measured), the x axis of series points, and the
 * tooltip box in the theme's colours.
 */
import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";
import type { Bucket } from "@/lib/range";
import { bucketLabel, bucketTick } from "@/lib/time";

export function PlotBox({ height, children }: { height: number; children: ReactElement }) {
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
      {children}
    </ResponsiveContainer>
  );
}

export const TOOLTIP_STYLE = { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" } as const;

/** X-axis props for points keyed by `bucket`: ticks with years on long or multi-year axes. */
export function bucketAxis(points: readonly { bucket: string }[], unit: Bucket) {
  const years = new Set(points.map((p) => p.bucket.slice(0, 4)));
  return {
    dataKey: "bucket",
    tickFormatter: (b: string) => bucketTick(b, unit, years.size > 1),
    stroke: "var(--muted)",
    fontSize: 12,
    minTickGap: 16,
  } as const;
}

/** Tooltip title: the point, and whether it is partial ("so far"). */
export function pointTitle(points: readonly { bucket: string; partial?: boolean }[], unit: Bucket) {
  const partial = new Set(points.filter((p) => p.partial).map((p) => p.bucket));
  return (b: unknown) => `${bucketLabel(String(b), unit)}${partial.has(String(b)) ? " (partial)" : ""}`;
}
