import { respondWidget } from "@/lib/embed/respond";

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: not an app name, answered as unknown
  }
}

/** GET /embed/app/{nsapp} — one app's card (lib/embed/widgets/cards.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  return respondWidget(request, "app", decode((await params).nsapp));
}
