"use client";
/** Small links that need the browser: back to a list as it was, copy the current view's link, CSV of the current view. */
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

const listKey = (path: string) => `pve-telemetry:list:${path}`;

/** Remembers the list view the visitor is on (this tab only), for BackLink. */
export function ListMemory({ path }: { path: string }) {
  const search = useSearchParams();
  useEffect(() => {
    try {
      sessionStorage.setItem(listKey(path), `${path}${search.size ? `?${search.toString()}` : ""}`);
    } catch {
      // storage off: BackLink falls back to its href
    }
  }, [path, search]);
  return null;
}

/**
 * "← All apps": back to the list as the visitor left it in this tab (filters, sort, page);
 * otherwise the list with the current range.
 */
export function BackLink({ href, listPath, label }: { href: string; listPath: string; label: string }) {
  const [target, setTarget] = useState(href);
  useEffect(() => {
    try {
      const remembered = sessionStorage.getItem(listKey(listPath));
      if (remembered?.startsWith(listPath)) setTarget(remembered);
    } catch {
      // storage off
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
  if (first === "digest") return "/api/v1/digest";
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
