/**
 * Range presets as links and a custom from/to form (plain GET: works without JavaScript and
 * writes the URL). The view's other parameters are carried along; the page resets to 1.
 */
import Link from "next/link";
import { viewHref, type ViewState } from "@/lib/params";
import { FIRST_DAY, PRESET_LABELS, RANGE_PRESET_KEYS } from "@/lib/range";
import type { View } from "@/lib/views";

export function RangeBar({ view, path, state, today }: { view: View; path: string; state: ViewState; today: string }) {
  const keep = viewHref(view, path, { ...state, preset: view.defaultPreset }, { page: 1 });
  const hidden = [...new URLSearchParams(keep.split("?")[1] ?? "")].filter(([k]) => k !== "range");
  return (
    <nav className="range-bar" aria-label="Date range">
      <ul>
        {RANGE_PRESET_KEYS.map((p) => (
          <li key={p}>
            <Link href={viewHref(view, path, state, { preset: p, page: 1 })} aria-current={state.preset === p ? "true" : undefined} prefetch={false}>
              {PRESET_LABELS[p]}
            </Link>
          </li>
        ))}
      </ul>
      <form method="get" action={path} className="custom-range">
        {hidden.map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <label>
          From <input type="date" name="from" min={FIRST_DAY} max={today} defaultValue={state.range.from.slice(0, 10)} required />
        </label>
        <label>
          to <input type="date" name="to" min={FIRST_DAY} max={today} defaultValue={state.range.to.slice(0, 10)} required />
        </label>
        <button type="submit">Apply</button>
      </form>
    </nav>
  );
}
