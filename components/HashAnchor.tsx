"use client";
/**
 * Keeps the section a link points at (`/apps/docker?page=2#runs`) in view while the page settles.
 *
 * The browser scrolls to the fragment once, when the heading arrives. The sections above it
 * still show skeletons then: each streams in on its own (components/Section.tsx), and React
 * reveals them in batches, some after the load event. Once they are taller than their
 * skeletons, the linked heading has been pushed below the screen (measured: from 426 px to
 * 1,107 px down a 720 px window). So after each load or navigation with a fragment, this scrolls
 * the target back to the top whenever the page's height changes, until the visitor scrolls,
 * taps or types, or for at most SETTLE_MS.
 */
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect } from "react";

const SETTLE_MS = 8000;
const VISITOR_EVENTS = ["wheel", "touchstart", "pointerdown", "keydown"] as const;

export function HashAnchor() {
  // Read so that the effect runs again after each client navigation (pagination keeps `#runs`).
  const pathname = usePathname();
  const search = useSearchParams().toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL is the trigger, not an input
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || typeof ResizeObserver === "undefined") return;
    const keep = () => document.getElementById(id)?.scrollIntoView({ block: "start" });
    const observer = new ResizeObserver(keep);
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      for (const e of VISITOR_EVENTS) window.removeEventListener(e, stop);
    };
    const timer = setTimeout(stop, SETTLE_MS);
    for (const e of VISITOR_EVENTS) window.addEventListener(e, stop, { passive: true });
    observer.observe(document.body);
    keep();
    return stop;
  }, [pathname, search]);
  return null;
}
