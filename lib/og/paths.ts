/**
 * Where a page's preview image is: /og/site.png (the overview's figures: the overview and the
 * pages without figures of their own), /og/apps/<nsapp>.png, /og/errors/<code>.png — each with
 * the page's range (`?range=7d`, `?from=…&to=…`; none for the default 30 days). Pure.
 */
import { NSAPP_PATTERN } from "../embed/options";
import { isExitCodeParam } from "../exit-codes";
import { rangeQuery, type ViewState } from "../params";

export type PreviewSubject = { kind: "site" } | { kind: "app"; nsapp: string } | { kind: "code"; code: number };

export function previewImagePath(subject: PreviewSubject, state: Pick<ViewState, "preset" | "range">): string {
  const path = subject.kind === "site" ? "/og/site.png" : subject.kind === "app" ? `/og/apps/${encodeURIComponent(subject.nsapp)}.png` : `/og/errors/${subject.code}.png`;
  const qs = rangeQuery(state);
  return qs ? `${path}?${qs}` : path;
}

/** The subject of /og/<segments…>, or null when the path names none. An app's name must look like one (NSAPP_PATTERN). */
export function parsePreviewPath(segments: readonly string[]): PreviewSubject | null {
  const [first, second, ...rest] = segments;
  if (rest.length) return null;
  if (first === "site.png" && second === undefined) return { kind: "site" };
  const m = second === undefined ? null : /^(.+)\.png$/.exec(second);
  if (!m) return null;
  if (first === "apps" && NSAPP_PATTERN.test(m[1]!)) return { kind: "app", nsapp: m[1]! };
  if (first === "errors" && isExitCodeParam(m[1]!)) return { kind: "code", code: Number(m[1]) };
  return null;
}

/** The subject of a page's image: an app name that cannot be one (NSAPP_PATTERN) gets the site's. */
export function appPreview(nsapp: string): PreviewSubject {
  return NSAPP_PATTERN.test(nsapp) ? { kind: "app", nsapp } : { kind: "site" };
}
