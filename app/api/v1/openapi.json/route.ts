import { NextResponse } from "next/server";
import { CACHE_CONTROL } from "@/lib/api";
import { openApiDocument } from "@/lib/openapi";

/** GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, generated from its schemas. */
export function GET() {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": CACHE_CONTROL } });
}
