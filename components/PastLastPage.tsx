import Link from "next/link";
import { pageCount } from "@/lib/params";

/**
 * What every paged list shows for a page after its last one (the paging rule, lib/params.ts
 * pageCount; the API answers 400): which page is the last, with links to it and the first.
 * Null when `page` is within the list.
 */
export function PastLastPage(props: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  const pages = pageCount(props.total, props.pageSize);
  if (props.page <= pages) return null;
  return (
    <p className="notes" role="status" data-testid="past-last-page">
      Page {props.page} is past the last page ({pages}) of this list.{" "}
      <Link prefetch={false} href={props.href(pages)}>
        Go to page {pages}
      </Link>
      {pages > 1 && (
        <>
          {" "}
          or{" "}
          <Link prefetch={false} href={props.href(1)}>
            the first page
          </Link>
        </>
      )}
      .
    </p>
  );
}
