"use client";
/** Stacked bars per day (or hour), one segment per series, with optional vertical markers. */
import dynamic from "next/dynamic";
import { bucketHeading, bucketLabel } from "@/lib/time";
import { CHART_HEIGHT, ChartFrame } from "./ChartFrame";

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface Marker {
  bucket: string;
  label: string;
}

const OutcomePlot = dynamic(() => import("./plots/OutcomePlot"), { ssr: false });
const fmt = new Intl.NumberFormat("en-US");

export function OutcomeChart<T extends { bucket: string }>(props: { data: T[]; series: Series[]; label: string; markers?: Marker[] }) {
  const { data, series, label, markers = [] } = props;
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
    <ChartFrame
      label={label}
      legend={series.map((s) => ({ label: s.label, color: s.color }))}
      table={table}
      plot={<OutcomePlot data={data} series={series} markers={markers} height={CHART_HEIGHT} />}
    />
  );
}
