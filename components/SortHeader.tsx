/**
 * A sortable column header: a link to the same view sorted by this column. The first click
 * sorts numbers high → low (names and codes low → high with firstDescending false); a second
 * click reverses. aria-sort tells assistive technology the current order.
 */
import Link from "next/link";
import { viewHref, type ParseOptions, type ViewState } from "@/lib/params";

export function SortHeader(props: { path: string; state: ViewState; opts: ParseOptions; column: string; label: string; firstDescending?: boolean }) {
  const { path, state, opts, column, label, firstDescending = true } = props;
  const current = state.sort.replace(/^-/, "") === column;
  const descending = state.sort.startsWith("-");
  const next = current ? (descending ? column : `-${column}`) : firstDescending ? `-${column}` : column;
  return (
    <th scope="col" aria-sort={current ? (descending ? "descending" : "ascending") : "none"}>
      <Link href={viewHref(path, state, { sort: next, page: 1 }, opts)} prefetch={false}>
        {label}
        {current ? (descending ? " ↓" : " ↑") : ""}
      </Link>
    </th>
  );
}
