import { appFeed } from "@/lib/feeds/respond";

/** GET /apps/{nsapp}/feed.xml — Atom: one app's regressions and the weeks it was newly failing or recovered (lib/feeds). */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  const segment = (await params).nsapp;
  let nsapp: string;
  try {
    nsapp = decodeURIComponent(segment);
  } catch {
    nsapp = segment; // malformed escapes: not an app name, answered as unknown
  }
  return appFeed(request, nsapp);
}
