"use client";
/** Shares of categories (e.g. operating systems) per day or hour as stacked areas summing to 100 %. */
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { bucketHeading, bucketLabel, bucketTick } from "@/lib/time";
import { ChartFrame } from "./ChartFrame";

export interface SharePoint {
  bucket: string;
  /** Counts; `values[i]` belongs to `categories[i]`. */
  values: number[];
}

interface Row {
  bucket: string;
  total: number;
  values: number[];
  shares: number[];
}

const COLORS = ["var(--accent)", "var(--success)", "var(--aborted)", "var(--unfinished)", "var(--running)", "var(--failed)", "var(--unknown)"];
const fmt = new Intl.NumberFormat("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function ShareChart(props: {
  categories: string[];
  points: SharePoint[];
  label: string;
  countLabel?: string;
  /** Start at the first day with a count (for "all time", which begins years before the data). */
  trimLeading?: boolean;
}) {
  const { categories } = props;
  const first = props.trimLeading ? props.points.findIndex((p) => p.values.some((v) => v > 0)) : 0;
  const points = first > 0 ? props.points.slice(first) : props.points;
  const color = (i: number) => COLORS[i % COLORS.length]!;
  const rows: Row[] = points.map((p) => {
    const total = p.values.reduce((a, b) => a + b, 0);
    return { bucket: p.bucket, total, values: p.values, shares: p.values.map((v) => (total === 0 ? 0 : v / total)) };
  });
  const longRange = rows.length > 366;
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">{bucketHeading(rows)}</th>
          {categories.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
          <th scope="col">{props.countLabel ?? "Total"}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.bucket}>
            <td>{bucketLabel(r.bucket)}</td>
            {categories.map((c, i) => (
              <td key={c}>
                {fmt.format(r.values[i] ?? 0)} {r.total > 0 && <span className="muted">({pct(r.shares[i] ?? 0)})</span>}
              </td>
            ))}
            <td>{fmt.format(r.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame label={props.label} legend={categories.map((c, i) => ({ label: c, color: color(i) }))} table={table}>
      <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="bucket"
          tickFormatter={(b: string) => bucketTick(b, longRange)}
          stroke="var(--muted)"
          fontSize={12}
          minTickGap={16}
        />
        <YAxis stroke="var(--muted)" fontSize={12} width={60} domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)} %`} />
        <Tooltip
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
          labelFormatter={(b) => bucketLabel(String(b))}
          itemSorter={(item) => categories.indexOf(String(item.name))}
          formatter={(value, name, item) => {
            const i = categories.indexOf(String(name));
            const row = (item as { payload?: Row }).payload;
            const count = row && i >= 0 ? ` (${fmt.format(row.values[i] ?? 0)})` : "";
            return [`${pct(Number(value))}${count}`, String(name)];
          }}
        />
        {categories.map((c, i) => (
          <Area
            key={c}
            type="linear"
            dataKey={(r: Row) => r.shares[i] ?? 0}
            name={c}
            stackId="share"
            stroke={color(i)}
            fill={color(i)}
            fillOpacity={0.55}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    </ChartFrame>
  );
}
