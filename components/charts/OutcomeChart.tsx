"use client";
/** Stacked bars of outcomes per day. */
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { Outcome } from "@/lib/outcomes";
import { CHART_OUTCOMES, OUTCOME_STYLE } from "../outcome-style";
import { ChartFrame } from "./ChartFrame";

export type OutcomePoint = { day: string } & Record<Outcome, number>;

const fmt = new Intl.NumberFormat("en-US");

export function OutcomeChart({ data, label }: { data: OutcomePoint[]; label: string }) {
  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">Day (UTC)</th>
          {CHART_OUTCOMES.map((o) => (
            <th scope="col" key={o}>
              {OUTCOME_STYLE[o].label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.day}>
            <td>{d.day}</td>
            {CHART_OUTCOMES.map((o) => (
              <td key={o}>{fmt.format(d[o])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      label={label}
      legend={CHART_OUTCOMES.map((o) => ({ label: OUTCOME_STYLE[o].label, color: OUTCOME_STYLE[o].color }))}
      table={table}
    >
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} stroke="var(--muted)" fontSize={12} minTickGap={16} />
        <YAxis stroke="var(--muted)" fontSize={12} width={56} tickFormatter={(v: number) => fmt.format(v)} />
        <Tooltip
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
          formatter={(value, name) => [fmt.format(Number(value)), OUTCOME_STYLE[name as Outcome]?.label ?? String(name)]}
        />
        {CHART_OUTCOMES.map((o) => (
          <Bar key={o} dataKey={o} stackId="runs" fill={OUTCOME_STYLE[o].color} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
