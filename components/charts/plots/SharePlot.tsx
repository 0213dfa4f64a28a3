"use client";
/** The recharts part of ShareChart: stacked areas of shares summing to 100 %. */
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatInt, formatPercent } from "@/lib/format";
import type { Bucket } from "@/lib/range";
import { bucketAxis, PlotBox, pointTitle, TOOLTIP_STYLE } from "./PlotBox";
import type { ShareRow } from "../series";

export default function SharePlot(props: { rows: ShareRow[]; categories: string[]; colors: string[]; height: number; unit: Bucket }) {
  const { rows, categories, colors, unit } = props;
  return (
    <PlotBox height={props.height}>
      <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...bucketAxis(rows, unit)} />
        <YAxis stroke="var(--muted)" fontSize={12} width={60} domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)} %`} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => {
            const row = rows.find((r) => r.bucket === String(b));
            return `${pointTitle(rows, unit)(b)} · ${formatInt(row?.total ?? 0)} runs`;
          }}
          itemSorter={(item) => categories.indexOf(String(item.name))}
          formatter={(value, name, item) => {
            const i = categories.indexOf(String(name));
            const row = (item as { payload?: ShareRow }).payload;
            const count = row && i >= 0 ? ` (${formatInt(row.values[i] ?? 0)})` : "";
            return [`${formatPercent(Number(value))}${count}`, String(name)];
          }}
        />
        {categories.map((c, i) => (
          <Area
            key={c}
            type="linear"
            dataKey={(r: ShareRow) => r.shares[i] ?? 0}
            name={c}
            stackId="share"
            stroke={colors[i]}
            fill={colors[i]}
            fillOpacity={0.55}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    </PlotBox>
  );
}
