import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense, type ReactNode } from "react";
import { CsvLink } from "@/components/ClientLinks";
import { HashAnchor } from "@/components/HashAnchor";
import { Nav } from "@/components/Nav";
import { ThemeToggle } from "@/components/ThemeToggle";
import { serverConfig } from "@/lib/config";
import { SITE_DESCRIPTION, SITE_NAME } from "@/lib/meta/page";
import { THEME_SCRIPT } from "@/lib/theme";
import "./globals.css";

// Pages set the rest (lib/meta/page.ts): canonical link, Open Graph, Twitter card, robots.
export const metadata: Metadata = {
  title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` },
  description: SITE_DESCRIPTION,
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts carry the request's CSP nonce (server/), which
  // a page prerendered at build time could not.
  await connection();
  const source = serverConfig().sourceUrl;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a static constant, allowed by its hash in the CSP (server/main.ts) */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <div className="shell">
          <header className="topbar">
            <Link prefetch={false} href="/" className="brand">
              PVE script installs
            </Link>
            <nav aria-label="Main" className="main-nav">
              <Suspense>
                <Nav />
              </Suspense>
              <ThemeToggle />
            </nav>
          </header>
          <div id="content">{children}</div>
          <Suspense>
            <HashAnchor />
          </Suspense>
          <footer className="site-footer">
            <nav aria-label="Footer">
              <Link prefetch={false} href="/methodology">
                Methodology
              </Link>
              <Link prefetch={false} href="/api">
                API
              </Link>
              <Suspense>
                <CsvLink />
              </Suspense>
              <Link prefetch={false} href="/embed">
                Embeds and badges
              </Link>
              <Link prefetch={false} href="/methodology#privacy">
                Privacy and security
              </Link>
              {source && <a href={source}>Source</a>}
            </nav>
            <p className="muted">Install telemetry of the Proxmox VE community scripts. Times are UTC.</p>
          </footer>
        </div>
      </body>
    </html>
  );
}
