/**
 * 1. `/api/v1/<endpoint>.csv` is `/api/v1/<endpoint>?format=csv`.
 * 2. Embeds and badges: a path with malformed escapes ("%E0%A4%A") makes Next's decoding of
 * route params throw (a 500); escaped once more, the route sees the literal text and answers
 * its "unknown app" 404.
 * 3. Answers 404 for unknown apps and exit codes before the page renders. Pages stream (Cache
 * Components), and a streamed notFound() cannot change a status already sent; rewriting to a
 * path no route matches makes Next serve app/not-found.tsx with a real 404.
 */
import { NextResponse, type NextRequest } from "next/server";
import { appExists, isExitCodeParam } from "./lib/known";

export const config = { matcher: ["/apps/:nsapp", "/errors/:code", "/api/v1/:path*", "/embed/app/:nsapp", "/badge/:file"] };

function malformed(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

export async function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/embed/") || path.startsWith("/badge/")) {
    if (!malformed(path)) return NextResponse.next();
    const url = request.nextUrl.clone();
    url.pathname = path.replace(/%/g, "%25");
    return NextResponse.rewrite(url);
  }
  if (request.nextUrl.pathname.startsWith("/api/")) {
    if (!request.nextUrl.pathname.endsWith(".csv")) return NextResponse.next();
    const url = request.nextUrl.clone();
    url.pathname = url.pathname.slice(0, -".csv".length);
    url.searchParams.set("format", "csv");
    return NextResponse.rewrite(url);
  }
  const [, section, raw = ""] = request.nextUrl.pathname.split("/");
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return NextResponse.rewrite(new URL("/_unknown", request.url));
  }
  let known: boolean;
  try {
    known = section === "errors" ? isExitCodeParam(value) : await appExists(value);
  } catch {
    known = true; // PocketBase unreachable: let the page explain it
  }
  return known ? NextResponse.next() : NextResponse.rewrite(new URL("/_unknown", request.url));
}
