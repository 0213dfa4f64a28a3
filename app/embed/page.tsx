import type { Metadata } from "next";
import { EmbedBuilder } from "@/components/embed/EmbedBuilder";
import { APPS } from "@/lib/reference/apps";
import { textPageMetadata } from "@/lib/meta/request";
import type { RawParams } from "@/lib/params";

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  return textPageMetadata(
    "/embed",
    "Embed widgets, badges and charts",
    "Live install statistics for your pages and READMEs: server-rendered widgets, badges and an SVG chart per app, with copyable snippets.",
    await searchParams,
  );
}

/** /embed — pick a widget or badge, preview it in a real iframe, copy the snippet. */
export default function EmbedPage() {
  // Name and display name only: the builder needs nothing else of the catalogue.
  const apps = [...new Map(APPS.map((a) => [a.nsapp, a.name ?? a.nsapp])).entries()];
  return (
    <main>
      <h1>Embed widgets and badges</h1>
      <p className="lede">
        Live install statistics for your own pages: one card per iframe, server-rendered, no cookies, sized to its content by a 1 KB script. Badges for READMEs as SVG or as a
        shields.io endpoint.
      </p>
      <EmbedBuilder apps={apps} />
    </main>
  );
}
