"use client";
/** The recharts part of CodeTrendChart: one line per exit code. */
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { CodeTrendPoint } from "@/lib/queries/exit-codes";
import { bucketLabel, bucketTick } from "@/lib/time";
import { PlotBox, TOOLTIP_STYLE } from "./PlotBox";

const fmt = new Intl.NumberFormat("en-US");

export default function CodeTrendPlot(props: { points: CodeTrendPoint[]; codes: number[]; labels: string[]; colors: string[]; height: number }) {
  const { points, codes, labels, colors } = props;
  const longRange = points.length > 366;
  return (
    <PlotBox height={props.height}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b, longRange)} stroke="var(--muted)" fontSize={12} minTickGap={16} />
        <YAxis stroke="var(--muted)" fontSize={12} width={48} allowDecimals={false} tickFormatter={(v: number) => fmt.format(v)} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => bucketLabel(String(b))}
          itemSorter={(item) => labels.indexOf(String(item.name))}
          formatter={(value, name) => [fmt.format(Number(value)), String(name)]}
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
