import Link from "next/link";
import { formatInt } from "@/lib/format";
import { MAX_LIST_ROWS, pageCount } from "@/lib/params";

/**
 * Previous/next links with the position; plain hrefs so every page has its own URL. Pages stop
 * where every list stops (lib/params.ts pageCount: the first MAX_LIST_ROWS rows).
 */
export function Pagination(props: { page: number; pageSize: number; total: number; href: (page: number) => string; label: string }) {
  const pages = pageCount(props.total, props.pageSize);
  const first = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const last = Math.min(props.total, props.page * props.pageSize);
  return (
    <nav className="pagination" aria-label={`${props.label} pages`}>
      <span>
        {formatInt(first)}–{formatInt(last)} of {formatInt(props.total)} · page {props.page} of {pages}
        {props.total > MAX_LIST_ROWS && <span className="muted"> (lists stop after {formatInt(MAX_LIST_ROWS)} rows; narrow the range for older ones)</span>}
      </span>
      {props.page > 1 ? (
        <Link href={props.href(props.page - 1)} rel="prev" prefetch={false}>
          ← Previous
        </Link>
      ) : (
        <span aria-disabled="true">← Previous</span>
      )}
      {props.page < pages ? (
        <Link href={props.href(props.page + 1)} rel="next" prefetch={false}>
          Next →
        </Link>
      ) : (
        <span aria-disabled="true">Next →</span>
      )}
    </nav>
  );
}
