"use client";
/** Small links that need the browser: back to a list as it was, copy the current view's link, CSV of the current view. */
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * "← All apps": back to the list the visitor came from (its filters, sort and page), when they
 * came from it; otherwise the list with the current range.
 */
export function BackLink({ href, listPath, label }: { href: string; listPath: string; label: string }) {
  const [target, setTarget] = useState(href);
  useEffect(() => {
    try {
      const ref = new URL(document.referrer);
      if (ref.origin === location.origin && ref.pathname === listPath) setTarget(`${ref.pathname}${ref.search}`);
    } catch {
      // no referrer
    }
  }, [listPath]);
  return <a href={target}>{label}</a>;
}

export function CopyLink() {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy-link"
      onClick={() => {
        void navigator.clipboard?.writeText(location.href).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 2000);
        });
      }}
    >
      {done ? "Link copied" : "Copy link to this view"}
    </button>
  );
}

/** The API endpoint showing the current page's main table. */
export function apiFor(pathname: string): string | null {
  const [, first, second] = pathname.split("/");
  if (pathname === "/") return "/api/v1/summary";
  if (first === "apps") return second ? `/api/v1/apps/${second}/runs` : "/api/v1/apps";
  if (first === "errors") return second ? `/api/v1/errors/${second}` : "/api/v1/errors";
  if (first === "os") return "/api/v1/os";
  return null;
}

export function CsvLink() {
  const pathname = usePathname();
  const search = useSearchParams();
  const api = apiFor(pathname);
  if (!api) return null;
  const qs = search.toString();
  return <a href={`${api}.csv${qs ? `?${qs}` : ""}`}>CSV of this view</a>;
}
