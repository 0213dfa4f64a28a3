import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Proxmox VE script installs", template: "%s · Proxmox VE script installs" },
  description: "Public install statistics of the Proxmox VE community scripts: runs, success rates and failures per app.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
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
            </nav>
          </header>
          {children}
        </div>
      </body>
    </html>
  );
}
