"use client";
/** The recharts part of RateChart: the failure rate as a line inside its 95 % interval band. */
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatInt, formatInterval, formatPercent } from "@/lib/format";
import type { Bucket } from "@/lib/range";
import { markerLines } from "./MarkerLabel";
import { bucketAxis, PlotBox, pointTitle, TOOLTIP_STYLE } from "./PlotBox";
import type { Marker, RatePoint } from "../series";

export default function RatePlot(props: { points: RatePoint[]; markers: Marker[]; height: number; unit: Bucket }) {
  const { points, unit } = props;
  const byBucket = new Map(points.map((p) => [p.bucket, p]));
  const title = pointTitle(points, unit);
  const top = Math.min(1, Math.max(0.05, ...points.map((p) => p.high ?? 0)) * 1.1);
  return (
    <PlotBox height={props.height}>
      <ComposedChart data={points} margin={{ top: 18, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...bucketAxis(points, unit)} />
        <YAxis stroke="var(--muted)" fontSize={12} width={52} domain={[0, top]} tickFormatter={(v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => {
            const p = byBucket.get(String(b));
            return `${title(b)} · ${formatInt(p?.runs ?? 0)} runs, ${formatInt(p?.failed ?? 0)} failed of ${formatInt(p?.decided ?? 0)} with a result`;
          }}
          formatter={(value, name, item) => {
            const p = (item as { payload?: RatePoint }).payload;
            if (name === "band") return [formatInterval(p?.low, p?.high), "95 % interval"];
            return [formatPercent(Number(value)), "Failure rate"];
          }}
        />
        <Area
          dataKey={(p: RatePoint) => (p.low === null ? null : [p.low, p.high])}
          name="band"
          stroke="none"
          fill="var(--failed)"
          fillOpacity={0.15}
          isAnimationActive={false}
          connectNulls={false}
        />
        <Line dataKey="rate" name="rate" stroke="var(--failed)" strokeWidth={2} dot={points.length <= 31 ? { r: 2 } : false} isAnimationActive={false} connectNulls={false} />
        {markerLines(props.markers)}
      </ComposedChart>
    </PlotBox>
  );
}
