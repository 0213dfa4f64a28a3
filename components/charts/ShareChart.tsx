"use client";
/** Shares of categories (e.g. operating systems) per day or hour as stacked areas summing to 100 %. */
import dynamic from "next/dynamic";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { CHART_HEIGHT, ChartFrame, fromFirstCount } from "./ChartFrame";

export interface SharePoint {
  bucket: string;
  /** Counts; `values[i]` belongs to `categories[i]`. */
  values: number[];
}

export interface ShareRow {
  bucket: string;
  total: number;
  values: number[];
  shares: number[];
}

const SharePlot = dynamic(() => import("./plots/SharePlot"), { ssr: false });
const COLORS = ["var(--accent)", "var(--success)", "var(--aborted)", "var(--unfinished)", "var(--running)", "var(--failed)", "var(--unknown)"];
const fmt = new Intl.NumberFormat("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function ShareChart(props: {
  categories: string[];
  points: SharePoint[];
  label: string;
  countLabel?: string;
  /** Start at the first bucket with a count (for "all time", which begins years before the data). */
  trimLeading?: boolean;
}) {
  const { categories } = props;
  const points = fromFirstCount(props.points, props.trimLeading);
  const colors = categories.map((_, i) => COLORS[i % COLORS.length]!);
  const rows: ShareRow[] = points.map((p) => {
    const total = p.values.reduce((a, b) => a + b, 0);
    return { bucket: p.bucket, total, values: p.values, shares: p.values.map((v) => (total === 0 ? 0 : v / total)) };
  });
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
    <ChartFrame
      label={props.label}
      legend={categories.map((c, i) => ({ label: c, color: colors[i]! }))}
      table={table}
      plot={<SharePlot rows={rows} categories={categories} colors={colors} height={CHART_HEIGHT} />}
    />
  );
}
