/** Filters of the apps table as a plain GET form: the URL holds the state, no JS needed. */
import type { ViewState } from "@/lib/params";
import { TYPES } from "@/lib/run-type";

export function AppFilters({ state, action }: { state: ViewState; action: string }) {
  return (
    <form method="get" action={action} className="filters" role="search" aria-label="Filter apps">
      {state.preset === "custom" ? (
        <>
          <input type="hidden" name="from" value={state.range.from} />
          <input type="hidden" name="to" value={state.range.to} />
        </>
      ) : (
        <input type="hidden" name="range" value={state.preset} />
      )}
      <input type="hidden" name="sort" value={state.sort} />
      <label>
        App <input type="search" name="q" defaultValue={state.q ?? ""} placeholder="name contains…" maxLength={64} />
      </label>
      <label>
        Type{" "}
        <select name="type" defaultValue={state.type ?? ""}>
          <option value="">all</option>
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        OS <input name="os" defaultValue={state.os ?? ""} placeholder="e.g. debian" size={9} maxLength={32} />
      </label>
      <label>
        Min runs <input type="number" name="min" min={0} defaultValue={state.minRuns || ""} placeholder="0" style={{ width: "6em" }} />
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
