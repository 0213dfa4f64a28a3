import { unknownEndpoint } from "@/lib/api";

/**
 * Any other path under /api/v1 (and /api/v1 itself): a JSON 404 naming where the endpoints are
 * listed. Every named endpoint is a more specific route, so it wins over this catch-all.
 */
export function GET(request: Request) {
  return unknownEndpoint(request);
}
