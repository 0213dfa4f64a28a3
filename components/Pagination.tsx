import Link from "next/link";
import { formatInt } from "@/lib/format";

/**
 * Previous/next links with the position; plain hrefs so every page has its own URL.
 * `maxPages`: the deepest page a list offers (run lists stop there; see lib/queries/runs.ts).
 */
export function Pagination(props: { page: number; pageSize: number; total: number; href: (page: number) => string; label: string; maxPages?: number }) {
  const all = Math.max(1, Math.ceil(props.total / props.pageSize));
  const pages = Math.min(all, props.maxPages ?? all);
  const first = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const last = Math.min(props.total, props.page * props.pageSize);
  return (
    <nav className="pagination" aria-label={`${props.label} pages`}>
      <span>
        {formatInt(first)}–{formatInt(last)} of {formatInt(props.total)} · page {props.page} of {pages}
        {pages < all && <span className="muted"> (the first {pages}; narrow the range for older ones)</span>}
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
