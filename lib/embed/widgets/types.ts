/** What every widget renderer takes and returns (see lib/embed/respond.ts). */
import type { ViewState } from "../../params";
import { presetTitle, type Bucket } from "../../range";
import { bucketLabel } from "../../time";
import type { Html } from "../html";

export interface WidgetInput {
  view: ViewState;
  /** An app that exists (checked by the route), or null for every app. */
  app: string | null;
  compact: boolean;
}

export interface WidgetOutput {
  title: string;
  body: Html;
  /** The matching dashboard page (path and query of this site). */
  href: string;
}

export type WidgetRenderer = (input: WidgetInput) => Promise<WidgetOutput>;

/** "last 30 days", "all time", "2026-10-01 – 2026-10-31". */
export function rangeLabel(view: Pick<ViewState, "preset" | "range">): string {
  return view.preset === "custom" ? `${bucketLabel(view.range.from)} – ${bucketLabel(view.range.to)}` : presetTitle(view.preset);
}

/** "per day" / "per hour" / "per week", or "per 3 days" once long series are binned further. */
export function binUnit(bucket: Bucket, size: number): string {
  return size === 1 ? `per ${bucket}` : `per ${size} ${bucket}s`;
}
