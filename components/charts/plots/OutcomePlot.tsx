"use client";
/** The recharts part of OutcomeChart: stacked bars per bucket, with vertical markers. */
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { bucketLabel, bucketTick } from "@/lib/time";
import { PlotBox, TOOLTIP_STYLE } from "./PlotBox";
import type { Marker, Series } from "../OutcomeChart";

const fmt = new Intl.NumberFormat("en-US");

export default function OutcomePlot(props: { data: { bucket: string }[]; series: Series[]; markers: Marker[]; height: number }) {
  const names = new Map(props.series.map((s) => [s.key, s.label]));
  return (
    <PlotBox height={props.height}>
      <BarChart data={props.data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b)} stroke="var(--muted)" fontSize={12} minTickGap={16} />
        <YAxis stroke="var(--muted)" fontSize={12} width={56} tickFormatter={(v: number) => fmt.format(v)} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => bucketLabel(String(b))}
          formatter={(value, name) => [fmt.format(Number(value)), names.get(String(name)) ?? String(name)]}
        />
        {props.series.map((s) => (
          <Bar key={s.key} dataKey={s.key} stackId="runs" fill={s.color} isAnimationActive={false} />
        ))}
        {props.markers.map((m) => (
          <ReferenceLine
            key={`${m.bucket}-${m.label}`}
            x={m.bucket}
            stroke="var(--failed)"
            strokeDasharray="4 3"
            label={{ value: m.label, fill: "var(--failed)", fontSize: 11, position: "top" }}
          />
        ))}
      </BarChart>
    </PlotBox>
  );
}
