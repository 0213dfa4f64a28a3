"use client";
import { ReferenceLine } from "recharts";
import type { Marker } from "../series";

/**
 * A label's outline in the panel's colour, drawn under its letters: readable over bars and
 * lines in both themes (a blue sha over green bars was not, in the dark theme least of all).
 */
const HALO = { stroke: "var(--panel)", strokeWidth: 3, strokeLinejoin: "round", paintOrder: "stroke" } as const;

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
 * A script change's label: its short sha (or "N changes") at the foot of its line — regressions
 * are labelled at the top — with the commit message on hover. Not a link: the chart is one image
 * to assistive technology (no controls inside it); the list under the chart links each commit.
 */
function ChangeLabel(props: { marker: Marker; viewBox?: { x?: number; y?: number; height?: number } }) {
  const { marker } = props;
  const x = props.viewBox?.x ?? 0;
  const y = (props.viewBox?.y ?? 0) + (props.viewBox?.height ?? 0) - 4;
  return (
    <text x={x + 3} y={y} textAnchor="start" fill={marker.tone === "change" ? "var(--accent)" : "var(--muted)"} fontSize={10} data-change={marker.label} {...HALO}>
      {marker.title && <title>{marker.title}</title>}
      {marker.label}
    </text>
  );
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
    <text x={left ? x - 4 : x + 4} y={y} textAnchor={left ? "end" : "start"} fill="var(--failed)" fontSize={11} {...HALO}>
      {props.text}
    </text>
  );
}
