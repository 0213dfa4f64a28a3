import { respondWidget } from "@/lib/embed/respond";

/** GET /embed/failing-apps — a widget (lib/embed/catalog.ts); options in README "Embeds and badges". */
export async function GET(request: Request) {
  return respondWidget(request, "failing-apps");
}
