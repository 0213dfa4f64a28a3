/**
 * A list's range bar and filters behind one control on a phone: the summary names the active
 * filters ("Filters: 30 days · vm · ≥ 20 runs"), so the first rows of the list are on the first
 * screen. From 700 px up the fold is always open and its summary hidden (CSS, `.filter-fold`):
 * no JavaScript either way, and the forms inside stay plain GET forms.
 */
import type { ReactNode } from "react";

export function FilterFold({ active, children }: { active: string[]; children: ReactNode }) {
  return (
    <details className="filter-fold" data-testid="filter-fold">
      <summary>
        <span className="filter-fold-label">Filters</span> {active.join(" · ")}
      </summary>
      {children}
    </details>
  );
}
