import { respondPreview } from "@/lib/og/respond";

/** GET /og/site.png, /og/apps/{nsapp}.png, /og/errors/{code}.png — pages' Open Graph images (lib/og). */
export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const segments = (await params).path.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s; // malformed escapes: no subject, answered 404
    }
  });
  return respondPreview(request, segments);
}
