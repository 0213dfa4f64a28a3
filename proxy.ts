/**
 * `/api/v1/<endpoint>.csv` is `/api/v1/<endpoint>?format=csv`.
 */
import { NextResponse, type NextRequest } from "next/server";

export const config = { matcher: ["/api/v1/:path*"] };

export function proxy(request: NextRequest) {
  if (!request.nextUrl.pathname.endsWith(".csv")) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = url.pathname.slice(0, -".csv".length);
  url.searchParams.set("format", "csv");
  return NextResponse.rewrite(url);
}
