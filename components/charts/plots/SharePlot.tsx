"use client";
/** The recharts part of ShareChart: stacked areas of shares summing to 100 %. */
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { bucketLabel, bucketTick } from "@/lib/time";
import { PlotBox, TOOLTIP_STYLE } from "./PlotBox";
import type { ShareRow } from "../ShareChart";

const fmt = new Intl.NumberFormat("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export default function SharePlot(props: { rows: ShareRow[]; categories: string[]; colors: string[]; height: number }) {
  const { rows, categories, colors } = props;
  const longRange = rows.length > 366;
  return (
    <PlotBox height={props.height}>
      <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b, longRange)} stroke="var(--muted)" fontSize={12} minTickGap={16} />
        <YAxis stroke="var(--muted)" fontSize={12} width={60} domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)} %`} />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={(b) => bucketLabel(String(b))}
          itemSorter={(item) => categories.indexOf(String(item.name))}
          formatter={(value, name, item) => {
            const i = categories.indexOf(String(name));
            const row = (item as { payload?: ShareRow }).payload;
            const count = row && i >= 0 ? ` (${fmt.format(row.values[i] ?? 0)})` : "";
            return [`${pct(Number(value))}${count}`, String(name)];
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
