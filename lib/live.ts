/**
 * The live overview figures: one query definition shared by the server (which seeds it) and
 * the browser (which polls /api/v1/summary every minute). The range is pinned by from/to so a
 * poll after midnight does not silently shift the view.
 */
import { queryOptions } from "@tanstack/react-query";
import type { Overview } from "./queries/overview";

export type LiveSummary = Pick<Overview, "totals" | "daily" | "asOf">;
export const LIVE_REFRESH_MS = 60_000;

export function summaryQuery(from: string, to: string) {
  return queryOptions({
    queryKey: ["summary", from, to],
    queryFn: async (): Promise<LiveSummary> => {
      const res = await fetch(`/api/v1/summary?from=${from}&to=${to}`);
      if (!res.ok) throw new Error(`summary: HTTP ${res.status}`);
      return ((await res.json()) as { data: LiveSummary }).data;
    },
    refetchInterval: LIVE_REFRESH_MS,
  });
}
