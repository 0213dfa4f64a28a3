"use client";
/**
 * The label of a vertical marker (a regression's start or end): beside its line, inside the
 * plot. Starts read to the left of their line and ends to the right, so a start and an end a day
 * apart do not overlap; a start too close to the y axis reads to the right instead. (An end is
 * never at the right edge: a regression ends only once later runs show the recovery.)
 */
export function markerLabel(text: string, side: "left" | "right") {
  return function MarkerLabel(props: { viewBox?: { x?: number; y?: number; width?: number; height?: number } }) {
    const x = props.viewBox?.x ?? 0;
    const y = (props.viewBox?.y ?? 0) + 12;
    const width = text.length * 6.2;
    const left = side === "left" && x - width - 4 >= 56;
    return (
      <text x={left ? x - 4 : x + 4} y={y} textAnchor={left ? "end" : "start"} fill="var(--failed)" fontSize={11}>
        {text}
      </text>
    );
  };
}
