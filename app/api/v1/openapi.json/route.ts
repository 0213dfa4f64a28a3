import { reply, TYPES } from "@/lib/http/respond";
import { openApiDocument } from "@/lib/openapi";

/** GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, generated from its schemas. */
export function GET() {
  return reply({ body: JSON.stringify(openApiDocument()), type: TYPES.json });
}
