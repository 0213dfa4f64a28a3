"use client";
/**
 * Recharts' responsive container with an initial size, so the first render (before the box is
 * measured) does not warn about a width of -1. Used by every plot in this folder.
 */
import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";

export function PlotBox({ height, children }: { height: number; children: ReactElement }) {
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
      {children}
    </ResponsiveContainer>
  );
}

/** Tooltip box in the theme's colours. */
export const TOOLTIP_STYLE = { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" } as const;
