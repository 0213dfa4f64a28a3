import { respondWidget } from "@/lib/embed/respond";

/**
 * GET /embed/<widget> — every widget of lib/embed/catalog.ts but the app card (its own route,
 * /embed/app/<nsapp>); options in README "Embeds and badges"; an unknown name gets a 404 card.
 */
export async function GET(request: Request, { params }: { params: Promise<{ widget: string }> }) {
  return respondWidget(request, (await params).widget);
}
