/**
 * Range presets as links and a custom from/to form (plain GET: works without JavaScript and
 * writes the URL). Other view state is carried along; the page resets to 1.
 */
import Link from "next/link";
import { viewHref, type ParseOptions, type ViewState } from "@/lib/params";
import { FIRST_DAY, PRESET_LABELS, RANGE_PRESET_KEYS } from "@/lib/range";

export function RangeBar({ path, state, opts, today }: { path: string; state: ViewState; opts?: ParseOptions; today: string }) {
  const keep = viewHref(path, { ...state, preset: "30d" }, { page: 1 }, { ...opts, defaultPreset: "30d" });
  const hidden = [...new URLSearchParams(keep.split("?")[1] ?? "")].filter(([k]) => k !== "range");
  return (
    <nav className="range-bar" aria-label="Date range">
      <ul>
        {RANGE_PRESET_KEYS.map((p) => (
          <li key={p}>
            <Link href={viewHref(path, state, { preset: p, page: 1 }, opts)} aria-current={state.preset === p ? "true" : undefined} prefetch={false}>
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
