import { formatPercent } from "@/lib/format";

/** A rate with its 95 % interval, e.g. "3.2 % (2.1–4.8)". */
export function Rate({ rate, low, high }: { rate: number | null; low?: number | null; high?: number | null }) {
  if (rate === null) return <span className="muted">–</span>;
  return (
    <span>
      {formatPercent(rate)}
      {low != null && high != null && (
        <span className="muted interval" title="95 % Wilson interval">
          {" "}
          ({(low * 100).toFixed(1)}–{(high * 100).toFixed(1)})
        </span>
      )}
    </span>
  );
}
