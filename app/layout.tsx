import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { ThemeToggle } from "@/components/ThemeToggle";
import { THEME_SCRIPT } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Proxmox VE script installs", template: "%s · Proxmox VE script installs" },
  description: "Public install statistics of the Proxmox VE community scripts: runs, success rates and failures per app.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <div className="shell">
          <header className="topbar">
            <Link href="/" className="brand">
              PVE script installs
            </Link>
            <nav aria-label="Main" className="main-nav">
              <Link href="/">Overview</Link>
              <Link href="/apps">Apps</Link>
              <Link href="/errors">Exit codes</Link>
              <Link href="/os">OS</Link>
              <Link href="/methodology">Methodology</Link>
              <Link href="/embed">Embed</Link>
              <ThemeToggle />
            </nav>
          </header>
          {/* Pages read the request (searchParams) and stream in below the static shell. */}
          <div id="content">
            <Suspense fallback={<p className="muted">Loading…</p>}>{children}</Suspense>
          </div>
        </div>
      </body>
    </html>
  );
}
