"use client";
/**
 * The one chart wrapper: a fixed-height responsive box for recharts with an initial size (so
 * server rendering does not warn about width -1), an accessible name, a colour legend and the
 * chart's data as a table for screen readers and copy-paste.
 */
import type { ReactElement, ReactNode } from "react";
import { ResponsiveContainer } from "recharts";

export interface LegendItem {
  label: string;
  color: string;
}

export function ChartFrame(props: {
  label: string;
  height?: number;
  legend?: LegendItem[];
  table: ReactNode;
  children: ReactElement;
}) {
  const height = props.height ?? 260;
  return (
    <figure className="chart-frame" style={{ margin: 0 }}>
      <div role="img" aria-label={props.label} style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
          {props.children}
        </ResponsiveContainer>
      </div>
      {props.legend && (
        <ul className="legend" aria-hidden="true">
          {props.legend.map((l) => (
            <li key={l.label}>
              <i style={{ background: l.color }} />
              {l.label}
            </li>
          ))}
        </ul>
      )}
      <details className="data-table">
        <summary>Show data as a table</summary>
        {props.table}
      </details>
    </figure>
  );
}
