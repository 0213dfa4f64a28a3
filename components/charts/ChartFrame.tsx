"use client";
/**
 * The one chart wrapper: a fixed-height box with an accessible name, a colour legend and the
 * chart's data as a table for screen readers, copy-paste and browsers without JavaScript.
 *
 * The plot itself (recharts, ~110 kB gzipped) is loaded and drawn once the box is in the
 * viewport, or as soon as the visitor scrolls, taps or types (so a chart further down is
 * usually drawn before it is reached). A chart below the first screen therefore costs the
 * first load nothing (on a phone the overview's chart starts below it), and the box keeps its
 * height meanwhile, so nothing shifts when the chart appears.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";

export interface LegendItem {
  label: string;
  color: string;
}

/** Height of every plot box (the frame keeps it while the plot loads). */
export const CHART_HEIGHT = 260;

const WAKE_EVENTS = ["scroll", "pointerdown", "keydown", "touchstart"] as const;

function useShown(ref: React.RefObject<HTMLElement | null>): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") {
      setShown(true);
      return;
    }
    const show = () => setShown(true);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && show());
    io.observe(el);
    for (const e of WAKE_EVENTS) window.addEventListener(e, show, { once: true, passive: true });
    return () => {
      io.disconnect();
      for (const e of WAKE_EVENTS) window.removeEventListener(e, show);
    };
  }, [ref]);
  return shown;
}

export function ChartFrame(props: { label: string; legend?: LegendItem[]; note?: string; table: ReactNode; plot: ReactNode }) {
  const height = CHART_HEIGHT;
  const box = useRef<HTMLDivElement>(null);
  const shown = useShown(box);
  return (
    <figure className="chart-frame" style={{ margin: 0 }}>
      <div ref={box} role="img" aria-label={props.label} style={{ width: "100%", height }}>
        {shown ? props.plot : null}
      </div>
      {props.legend && (
        <ul className="legend" aria-hidden="true">
          {props.legend.map((l) => (
            <li key={l.label}>
              <i style={{ background: l.color }} />
              {l.label}
            </li>
          ))}
        </ul>
      )}
      {props.note && <p className="muted chart-note">{props.note}</p>}
      <details className="data-table">
        <summary>Show data as a table</summary>
        {props.table}
      </details>
    </figure>
  );
}
