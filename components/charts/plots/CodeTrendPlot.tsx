"use client";
/** The recharts part of CodeTrendChart: one line per exit code. */
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatInt } from "@/lib/format";
import type { CodeTrendPoint } from "@/lib/data";
import type { Bucket } from "@/lib/range";
import { bucketAxis, PlotBox, pointTitle, TOOLTIP_STYLE } from "./PlotBox";

export default function CodeTrendPlot(props: { points: CodeTrendPoint[]; codes: number[]; labels: string[]; colors: string[]; height: number; unit: Bucket }) {
  const { points, codes, labels, colors, unit } = props;
  return (
    <PlotBox height={props.height}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...bucketAxis(points, unit)} />
        <YAxis stroke="var(--muted)" fontSize={12} width={48} allowDecimals={false} tickFormatter={(v: number) => formatInt(v)} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={pointTitle(points, unit)}
          itemSorter={(item) => labels.indexOf(String(item.name))}
          formatter={(value, name) => [formatInt(Number(value)), String(name)]}
        />
        {codes.map((c, i) => (
          <Line
            key={c}
            type="linear"
            dataKey={(p: CodeTrendPoint) => p.values[i] ?? 0}
            name={labels[i] ?? String(c)}
            stroke={colors[i]}
            strokeWidth={2}
            dot={points.length <= 31 ? { r: 2 } : false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </PlotBox>
  );
}
