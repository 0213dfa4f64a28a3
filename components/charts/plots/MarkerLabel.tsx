"use client";
import { ReferenceLine } from "recharts";
import type { Marker } from "../series";

/**
 * The vertical markers of a chart over buckets (regression starts and ends), as recharts
 * children: a dashed line at the marker's bucket, labelled beside it. Without a side given,
 * labels alternate so neighbours do not overlap.
 */
export function markerLines(markers: Marker[]) {
  return markers.map((m, i) =>
    m.tone === "change" || m.tone === "shared" ? (
      <ReferenceLine
        key={`${m.bucket}-${m.label}`}
        x={m.bucket}
        stroke={m.tone === "change" ? "var(--accent)" : "var(--muted)"}
        strokeDasharray="1 3"
        label={<ChangeLabel marker={m} />}
      />
    ) : (
      <ReferenceLine
        key={`${m.bucket}-${m.label}`}
        x={m.bucket}
        stroke="var(--failed)"
        strokeDasharray="4 3"
        label={<MarkerLabel text={m.label} side={m.side ?? (i % 2 ? "right" : "left")} />}
      />
    ),
  );
}

/**
 * A script change's label: at the foot of its line (regressions are labelled at the top), a
 * link to its commit — or, for several in one point, to the list of changes under the chart.
 */
function ChangeLabel(props: { marker: Marker; viewBox?: { x?: number; y?: number; height?: number } }) {
  const { marker } = props;
  const x = props.viewBox?.x ?? 0;
  const y = (props.viewBox?.y ?? 0) + (props.viewBox?.height ?? 0) - 4;
  const text = (
    <text x={x + 3} y={y} textAnchor="start" fill={marker.tone === "change" ? "var(--accent)" : "var(--muted)"} fontSize={10}>
      {marker.title && <title>{marker.title}</title>}
      {marker.label}
    </text>
  );
  return marker.href ? <a href={marker.href}>{text}</a> : text;
}

/**
 * The label of a vertical marker (a regression's start or end), given to recharts as an element
 * (it adds the line's viewBox): beside its line, inside the plot. Starts read to the left of
 * their line and ends to the right, so a start and an end a day apart do not overlap; a start
 * too close to the y axis reads to the right instead, one line lower. (An end is never at the right edge: a
 * regression ends only once later runs show the recovery.)
 */
export function MarkerLabel(props: { text: string; side: "left" | "right"; viewBox?: { x?: number; y?: number } }) {
  const x = props.viewBox?.x ?? 0;
  const left = props.side === "left" && x - props.text.length * 6.2 - 4 >= 56;
  // A label turned to the right (no room before the axis) takes the next line, under the
  // label of a marker just after it (on a phone, a regression's end a few days later).
  const y = (props.viewBox?.y ?? 0) + 12 + (props.side === "left" && !left ? 14 : 0);
  return (
    <text x={left ? x - 4 : x + 4} y={y} textAnchor={left ? "end" : "start"} fill="var(--failed)" fontSize={11}>
      {props.text}
    </text>
  );
}
