"use client";
/** The recharts part of DurationTrendChart: p50 and p90 install time as two lines. */
import { CartesianGrid, LineChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatDurationTick, formatInt } from "@/lib/format";
import type { Bucket } from "@/lib/range";
import { bucketAxis, PlotBox, pointTitle, TOOLTIP_STYLE } from "./PlotBox";
import type { DurationPoint } from "../series";

/** Round steps for a time axis (seconds): ticks land on whole minutes or hours, so their labels are exact. */
const STEPS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400];

function ticks(max: number): number[] {
  const step = STEPS.find((s) => max / s <= 5) ?? STEPS[STEPS.length - 1]!;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

export default function DurationPlot(props: { points: DurationPoint[]; height: number; unit: Bucket }) {
  const { points, unit } = props;
  const byBucket = new Map(points.map((p) => [p.bucket, p]));
  const title = pointTitle(points, unit);
  const yTicks = ticks(Math.max(0, ...points.map((p) => p.p90 ?? 0)));
  return (
    <PlotBox height={props.height}>
      <LineChart data={points} margin={{ top: 18, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...bucketAxis(points, unit)} />
        <YAxis stroke="var(--muted)" fontSize={12} width={60} domain={[0, yTicks.at(-1)!]} ticks={yTicks} tickFormatter={formatDurationTick} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => `${title(b)} · n ${formatInt(byBucket.get(String(b))?.n ?? 0)} timed successful runs`}
          formatter={(value, name) => [formatDuration(Number(value)), name === "p90" ? "Slow installs (p90)" : "Typical install (p50)"]}
        />
        <Line dataKey="p90" name="p90" stroke="var(--muted)" strokeDasharray="4 3" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
        <Line dataKey="p50" name="p50" stroke="var(--accent)" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </PlotBox>
  );
}
