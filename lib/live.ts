/**
 * The live overview figures: one query definition shared by the server (which seeds it) and
 * the browser (which polls /api/v1/summary every minute). Day ranges are pinned by from/to so
 * a poll after midnight does not silently shift the view; "last 24 hours" rolls on with the
 * clock (`range=24h`), hour by hour.
 */
import { queryOptions } from "@tanstack/react-query";
import type { Overview } from "./data";

export type LiveSummary = Pick<Overview, "totals" | "series" | "asOf">;
export const LIVE_REFRESH_MS = 60_000;

/** `range`: the summary's range parameters, "from=2026-10-24&to=2026-11-22" or "range=24h". */
export function summaryQuery(range: string) {
  return queryOptions({
    queryKey: ["summary", range],
    queryFn: async (): Promise<LiveSummary> => {
      const res = await fetch(`/api/v1/summary?${range}`);
      if (!res.ok) throw new Error(`summary: HTTP ${res.status}`);
      return ((await res.json()) as { data: LiveSummary }).data;
    },
    refetchInterval: LIVE_REFRESH_MS,
  });
}
