"use client";
/** Stacked bars per day (or hour), one segment per series, with optional vertical markers. */
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { bucketHeading, bucketLabel, bucketTick } from "@/lib/time";
import { ChartFrame } from "./ChartFrame";

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface Marker {
  bucket: string;
  label: string;
}

const fmt = new Intl.NumberFormat("en-US");

export function OutcomeChart<T extends { bucket: string }>(props: { data: T[]; series: Series[]; label: string; markers?: Marker[] }) {
  const { data, series, label, markers = [] } = props;
  const names = new Map(series.map((s) => [s.key, s.label]));
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">{bucketHeading(data)}</th>
          {series.map((s) => (
            <th scope="col" key={s.key}>
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.bucket}>
            <td>{bucketLabel(d.bucket)}</td>
            {series.map((s) => (
              <td key={s.key}>{fmt.format(Number((d as Record<string, unknown>)[s.key] ?? 0))}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame label={label} legend={series.map((s) => ({ label: s.label, color: s.color }))} table={table}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b)} stroke="var(--muted)" fontSize={12} minTickGap={16} />
        <YAxis stroke="var(--muted)" fontSize={12} width={56} tickFormatter={(v: number) => fmt.format(v)} />
        <Tooltip
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
          labelFormatter={(b) => bucketLabel(String(b))}
          formatter={(value, name) => [fmt.format(Number(value)), names.get(String(name)) ?? String(name)]}
        />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} stackId="runs" fill={s.color} isAnimationActive={false} />
        ))}
        {markers.map((m) => (
          <ReferenceLine key={`${m.bucket}-${m.label}`} x={m.bucket} stroke="var(--failed)" strokeDasharray="4 3" label={{ value: m.label, fill: "var(--failed)", fontSize: 11, position: "top" }} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
