"use client";
/** The recharts part of OutcomeChart: stacked bars per point, partial points lighter, with vertical markers. */
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { formatInt, formatPercent } from "@/lib/format";
import type { Bucket } from "@/lib/range";
import { markerLines } from "./MarkerLabel";
import { bucketAxis, PlotBox, pointTitle, TOOLTIP_STYLE } from "./PlotBox";
import { countOf, type Marker, type OutcomePoint, type Series } from "../series";

export default function OutcomePlot(props: { data: OutcomePoint[]; series: Series[]; markers: Marker[]; height: number; unit: Bucket }) {
  const { data, series, unit } = props;
  const names = new Map(series.map((s) => [s.key, s.label]));
  const byBucket = new Map(data.map((d) => [d.bucket, d]));
  const title = pointTitle(data, unit);
  return (
    <PlotBox height={props.height}>
      <BarChart data={data} margin={{ top: 18, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...bucketAxis(data, unit)} />
        <YAxis stroke="var(--muted)" fontSize={12} width={56} tickFormatter={(v: number) => formatInt(v)} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => {
            const d = byBucket.get(String(b));
            const total = d ? series.reduce((n, s) => n + countOf(d, s.key), 0) : 0;
            const decided = d ? countOf(d, "success") + countOf(d, "failed") : 0;
            return `${title(b)} · ${formatInt(total)} runs · failure rate ${formatPercent(decided && d ? countOf(d, "failed") / decided : null)}`;
          }}
          formatter={(value, name) => [formatInt(Number(value)), names.get(String(name)) ?? String(name)]}
        />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} stackId="runs" fill={s.color} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.bucket} fillOpacity={d.partial ? 0.45 : 1} />
            ))}
          </Bar>
        ))}
        {markerLines(props.markers)}
      </BarChart>
    </PlotBox>
  );
}
