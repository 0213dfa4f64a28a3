"use client";
/**
 * The main navigation: marks the current page, and keeps the range (and the type and OS
 * filters, where the target page has them) so moving between pages keeps the view.
 */
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { VIEWS, type View } from "@/lib/views";

const ITEMS: { href: string; label: string; view: View; match: (p: string) => boolean }[] = [
  { href: "/", label: "Overview", view: VIEWS.overview, match: (p) => p === "/" },
  { href: "/apps", label: "Apps", view: VIEWS.apps, match: (p) => p === "/apps" || p.startsWith("/apps/") },
  { href: "/errors", label: "Exit codes", view: VIEWS.errors, match: (p) => p.startsWith("/errors") },
  { href: "/regressions", label: "Regressions", view: VIEWS.regressions, match: (p) => p === "/regressions" },
  { href: "/digest", label: "Digest", view: VIEWS.digest, match: (p) => p === "/digest" },
  { href: "/os", label: "OS", view: VIEWS.os, match: (p) => p === "/os" },
  { href: "/embed", label: "Embed", view: VIEWS.methodology, match: (p) => p === "/embed" },
  { href: "/methodology", label: "Methodology", view: VIEWS.methodology, match: (p) => p === "/methodology" },
];

/** The current URL's parameters that `view` also reads. */
export function keptQuery(search: URLSearchParams, view: View): string {
  const keep = new URLSearchParams();
  for (const [k, v] of search) {
    const param = k === "from" || k === "to" ? "range" : k;
    if ((param === "range" || param === "repo" || param === "type" || param === "os") && (view.params as readonly string[]).includes(param)) keep.append(k, v);
  }
  const qs = keep.toString();
  return qs ? `?${qs}` : "";
}

export function Nav() {
  const pathname = usePathname();
  const search = useSearchParams();
  return (
    <>
      {ITEMS.map((item) => (
        <Link key={item.href} href={`${item.href}${keptQuery(search, item.view)}`} aria-current={item.match(pathname) ? "page" : undefined} prefetch={false}>
          {item.label}
        </Link>
      ))}
    </>
  );
}
