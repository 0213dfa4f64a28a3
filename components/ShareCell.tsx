import { formatPercent } from "@/lib/format";

/** A share as a percentage with a small bar scaled to the largest share in the table. */
export function ShareCell(props: { share: number; max: number; width: number; color?: string; testId?: string }) {
  const px = props.max > 0 ? Math.max(1, Math.round((props.share / props.max) * props.width)) : 0;
  return (
    <td data-testid={props.testId} style={{ whiteSpace: "nowrap" }}>
      <span className="bar-cell" aria-hidden="true" style={{ width: `${px}px`, ...(props.color ? { background: props.color } : {}) }} />
      {formatPercent(props.share)}
    </td>
  );
}
