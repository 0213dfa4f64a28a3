import Link from "next/link";
import { formatInt } from "@/lib/format";

/** Previous/next links with the position; plain hrefs so every page has its own URL. */
export function Pagination(props: { page: number; pageSize: number; total: number; href: (page: number) => string; label: string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const first = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const last = Math.min(props.total, props.page * props.pageSize);
  return (
    <nav className="pagination" aria-label={`${props.label} pages`}>
      <span>
        {formatInt(first)}–{formatInt(last)} of {formatInt(props.total)} · page {props.page} of {pages}
      </span>
      {props.page > 1 ? <Link href={props.href(props.page - 1)} rel="prev">← Previous</Link> : <span aria-disabled="true">← Previous</span>}
      {props.page < pages ? <Link href={props.href(props.page + 1)} rel="next">Next →</Link> : <span aria-disabled="true">Next →</span>}
    </nav>
  );
}
