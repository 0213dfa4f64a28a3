import { formatInt } from "@/lib/format";
import { Rate } from "./Rate";

export interface BreakdownRow {
  key: string;
  runs: number;
  failed: number;
  failureRate: number | null;
  failureLow?: number | null;
  failureHigh?: number | null;
}

/** Runs, failures and failure rate per value of one dimension. */
export function BreakdownTable({ title, keyLabel, rows, testId }: { title: string; keyLabel: string; rows: BreakdownRow[]; testId?: string }) {
  const total = rows.reduce((a, r) => a + r.runs, 0);
  return (
    <section className="panel table-wrap" aria-label={title}>
      <h2>{title}</h2>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col">Runs</th>
            <th scope="col">Share</th>
            <th scope="col">Failures</th>
            <th scope="col">Failure rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.key}</td>
              <td>{formatInt(r.runs)}</td>
              <td>{total ? `${((r.runs / total) * 100).toFixed(1)} %` : "–"}</td>
              <td>{formatInt(r.failed)}</td>
              <td>
                <Rate rate={r.failureRate} low={r.failureLow} high={r.failureHigh} />
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={5}>No runs in this range.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
