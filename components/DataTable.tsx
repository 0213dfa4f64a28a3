/**
 * The one table: columns are data (a label, a priority, and a typed cell per row), so every
 * table formats alike (lib/format.ts) and reads on a phone.
 *
 * Phone-first: priority-1 columns always show; priority 2 hide below 640 px and priority 3
 * below 900 px, and what they held moves into a details list under the row's first cell — the
 * key figures never leave the screen. Where a table still scrolls sideways the wrapper shows a
 * shadow at the edge that can scroll (CSS only). No hooks: usable from server and client
 * components (charts use it for their "show data as a table").
 */
import Link from "next/link";
import type { ReactNode } from "react";
import { formatChange, formatInt, formatInterval, formatPercent, formatPoints } from "@/lib/format";
import type { Cell, Column } from "@/lib/table";
import { Sparkline } from "./Sparkline";

export interface SortLinks {
  /** The current sort ("-runs"). */
  current: string;
  href: (sort: string) => string;
}

const LEFT = new Set<Cell["kind"]>(["text", "link", "code", "spark"]);

export function renderCell(c: Cell): ReactNode {
  switch (c.kind) {
    case "text":
      return (
        <>
          {c.muted || c.value === null ? <span className={c.nowrap ? "muted nw" : "muted"}>{c.value ?? "–"}</span> : c.nowrap ? <span className="nw">{c.value}</span> : c.value}
          {/* The space outside the note: a value and its note may still take two lines. */}
          {c.note && (
            <>
              {" "}
              <span className={c.nowrap ? "muted cell-note nw" : "muted cell-note"}>{c.note}</span>
            </>
          )}
        </>
      );
    case "link":
      return (
        <>
          <Link href={c.href} prefetch={false}>
            {c.value}
          </Link>
          {c.note && <span className="muted cell-note"> {c.note}</span>}
        </>
      );
    case "integer":
      return (
        <>
          {formatInt(c.value)}
          {c.of !== undefined && <span className="muted"> of {formatInt(c.of)}</span>}
        </>
      );
    case "percent":
      return formatPercent(c.value);
    case "rate":
      if (c.value === null) return <span className="muted">–</span>;
      return (
        <>
          {formatPercent(c.value)}
          {c.low != null && c.high != null && (
            <span className="muted interval" title="95 % Wilson interval">
              {" "}
              ({formatInterval(c.low, c.high).replace(" %", "")})
            </span>
          )}
        </>
      );
    case "share": {
      const px = c.max > 0 ? Math.max(1, Math.round((c.value / c.max) * 48)) : 0;
      return (
        <span className="share">
          <span className="bar-cell" aria-hidden="true" style={{ width: `${px}px`, ...(c.color ? { background: c.color } : {}) }} />
          {formatPercent(c.value)}
        </span>
      );
    }
    case "code":
      return (
        <span className="code-cell">
          {c.href === null ? (
            <span className="code">{c.code}</span>
          ) : (
            <Link href={c.href ?? `/errors/${c.code}`} prefetch={false} className="code">
              {c.code}
            </Link>
          )}
          {c.text && <span className="muted code-text">{c.text}</span>}
        </span>
      );
    case "spark":
      return <Sparkline values={c.values} label={c.label} />;
    case "change":
      return (
        <>
          {c.points !== undefined ? formatPoints(c.points ?? null) : formatChange(c.relative ?? null, c.hadPrevious ?? true)}
          {c.flag && <span className={`flag flag-${c.flag.replace(/\s+/g, "-")}`}> {c.flag}</span>}
        </>
      );
  }
}

function SortHeader({ column, sort }: { column: { key: string; label: string; firstDescending?: boolean }; sort: SortLinks }) {
  const current = sort.current.replace(/^-/, "") === column.key;
  const descending = sort.current.startsWith("-");
  const next = current ? (descending ? column.key : `-${column.key}`) : column.firstDescending === false ? column.key : `-${column.key}`;
  return (
    <Link href={sort.href(next)} prefetch={false}>
      {column.label}
      {current ? (descending ? " ↓" : " ↑") : ""}
    </Link>
  );
}

export function DataTable<R>(props: {
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  testId?: string;
  caption?: string;
  sort?: SortLinks;
  empty?: string;
  rowProps?: (row: R) => Record<string, string>;
  /** Show the first `fold` rows, the rest behind "Show all" (CSS only). */
  fold?: number;
}) {
  const { columns, rows, sort } = props;
  const hidden = columns.filter((c) => (c.priority ?? 1) > 1);
  const folded = props.fold !== undefined && rows.length > props.fold + 2 ? props.fold : null;
  // Optional attributes are spread in only when set: React's payload for the browser writes an
  // undefined prop as `"data-testid":"$undefined"` — 18 KB of an app page's 690 cells.
  return (
    <div className={`table-wrap${folded !== null ? " dt-fold" : ""}`}>
      <table className="dt" data-testid={props.testId}>
        {props.caption && <caption className="sr-only">{props.caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => {
              const current = sort && sort.current.replace(/^-/, "") === c.key;
              const left = c.align ? c.align === "left" : rows[0] !== undefined && LEFT.has(c.cell(rows[0]).kind);
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={`p${c.priority ?? 1}${left ? " text" : ""}`}
                  {...(c.sortable && sort && { "aria-sort": current ? (sort.current.startsWith("-") ? "descending" : "ascending") : "none" })}
                >
                  {c.sortable && sort ? <SortHeader column={c} sort={sort} /> : c.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, n) => {
            const cells = columns.map((c) => c.cell(row));
            return (
              <tr key={props.rowKey(row)} {...props.rowProps?.(row)} {...(folded !== null && n >= folded && { className: "extra" })}>
                {columns.map((c, i) => (
                  <td key={c.key} className={`p${c.priority ?? 1}${LEFT.has(cells[i]!.kind) ? " text" : ""}`} {...(c.testId && { "data-testid": c.testId })}>
                    {renderCell(cells[i]!)}
                    {i === 0 && hidden.length > 0 && (
                      <dl className="row-details">
                        {hidden.map((h) => (
                          <div key={h.key} className={`d${h.priority}`}>
                            <dt>{h.label}</dt>
                            <dd>{renderCell(h.cell(row))}</dd>
                          </div>
                        ))}
                      </dl>
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="muted text">
                {props.empty ?? "Nothing in this range."}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {folded !== null && (
        <label className="fold-toggle">
          <input type="checkbox" /> Show all {rows.length} rows
        </label>
      )}
    </div>
  );
}
