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
            <span className="sub">public telemetry of the Proxmox VE community scripts</span>
          </header>
          {children}
        </div>
      </body>
    </html>
  );
}
