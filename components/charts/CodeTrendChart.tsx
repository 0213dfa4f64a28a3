"use client";
/** Failed + aborted runs per day (or hour), one line per exit code. */
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { CodeTrendPoint } from "@/lib/queries/exit-codes";
import { bucketHeading, bucketLabel, bucketTick } from "@/lib/time";
import { ChartFrame } from "./ChartFrame";

const COLORS = ["var(--failed)", "var(--accent)", "var(--aborted)", "var(--unfinished)", "var(--running)", "var(--success)", "var(--unknown)"];
const fmt = new Intl.NumberFormat("en-US");

export function CodeTrendChart(props: {
  codes: number[];
  /** Legend text per code, e.g. "100 · APT error" (computed on the server). */
  labels: string[];
  points: CodeTrendPoint[];
  label: string;
  /** Start at the first day with a count (for "all time", which begins years before the data). */
  trimLeading?: boolean;
}) {
  const { codes, labels } = props;
  const first = props.trimLeading ? props.points.findIndex((p) => p.values.some((v) => v > 0)) : 0;
  const points = first > 0 ? props.points.slice(first) : props.points;
  const color = (i: number) => COLORS[i % COLORS.length]!;
  const longRange = points.length > 366;
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">{bucketHeading(points)}</th>
          {codes.map((c, i) => (
            <th scope="col" key={c} title={labels[i]}>
              Exit code {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.bucket}>
            <td>{bucketLabel(p.bucket)}</td>
            {codes.map((c, i) => (
              <td key={c}>{fmt.format(p.values[i] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame label={props.label} legend={codes.map((_, i) => ({ label: labels[i] ?? String(codes[i]), color: color(i) }))} table={table}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="bucket"
          tickFormatter={(b: string) => bucketTick(b, longRange)}
          stroke="var(--muted)"
          fontSize={12}
          minTickGap={16}
        />
        <YAxis stroke="var(--muted)" fontSize={12} width={48} allowDecimals={false} tickFormatter={(v: number) => fmt.format(v)} />
        <Tooltip
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
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
            stroke={color(i)}
            strokeWidth={2}
            dot={points.length <= 31 ? { r: 2 } : false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
