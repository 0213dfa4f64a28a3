/**
 * The one way widget routes answer: parse the options, check the app, render the widget into a
 * complete HTML document. Unknown app → a small 404 card; PocketBase unavailable → a small
 * "statistics unavailable" card with 503 and Retry-After; bad options → the widget with
 * defaults and a visible note. Framing, CSP and CORS headers are the server's (server/).
 */
import "server-only";
import { appExists, firstDataDay } from "../cached";
import { NSAPP_PATTERN, parseEmbedOptions } from "./options";
import { explainDataError } from "../queries/explain-error";
import { WIDGETS, type WidgetName } from "./catalog";
import { renderMessage, renderWidget, type Presentation } from "./document";
import { appWidget, summaryWidget } from "./widgets/cards";
import { exitCodesWidget, failingAppsWidget, failureRateWidget, osWidget, outcomesWidget } from "./widgets/charts";
import { rangeLabel, type WidgetRenderer } from "./widgets/types";

/** Widgets and badges: a CDN serves them for a minute, then revalidates; on an origin error it keeps serving the last copy for a day. */
export const EMBED_CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400";
/** Seconds a client should wait after a 503 (the data layer retries PocketBase within this). */
export const RETRY_AFTER_SECONDS = 30;

const RENDERERS: Record<WidgetName, WidgetRenderer> = {
  summary: summaryWidget,
  app: appWidget,
  outcomes: outcomesWidget,
  "failure-rate": failureRateWidget,
  "exit-codes": exitCodesWidget,
  os: osWidget,
  "failing-apps": failingAppsWidget,
};

function htmlResponse(body: string, status: number, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": EMBED_CACHE_CONTROL, ...extra } });
}

/** Answers GET /embed/<name>; `pathApp` is the decoded [nsapp] segment of /embed/app/[nsapp]. */
export async function respondWidget(request: Request, name: WidgetName, pathApp?: string): Promise<Response> {
  const { options, notes } = parseEmbedOptions(new URL(request.url).searchParams, new Date(), await firstDataDay());
  const spec = WIDGETS[name];
  const p: Presentation = options;
  let app = options.app;
  if (pathApp !== undefined) {
    if (options.app !== null && options.app !== pathApp) notes.push(`Ignored app="${options.app}": this widget shows the app in its path.`);
    app = pathApp;
  } else if (app !== null && !spec.app) {
    notes.push(`Ignored app="${app}": this widget shows every app.`);
    app = null;
  }
  if (options.view.type !== null && (!spec.type || app !== null)) {
    notes.push(`Ignored type="${options.view.type}": this widget shows ${app ? "one app" : "every install type"}.`);
  }
  const view = spec.type && app === null ? options.view : { ...options.view, type: null };
  try {
    if (app !== null && (!NSAPP_PATTERN.test(app) || !(await appExists(app)))) {
      return htmlResponse(renderMessage("Unknown app", `No app named "${app.slice(0, 64)}" has reported an install.`, p), 404);
    }
    const out = await RENDERERS[name]({ view, app, compact: options.compact });
    return htmlResponse(renderWidget({ ...out, rangeLabel: rangeLabel(view), range: view.range, notes }, p), 200);
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) {
      console.error(err);
      return htmlResponse(renderMessage("Statistics unavailable", "Something went wrong on the server; it has been logged.", p), 500, { "cache-control": "no-store" });
    }
    // The reason (e.g. PocketBase's address) is for operators, not for every embedding site.
    console.error(`embed ${name}: ${message}`);
    return htmlResponse(renderMessage("Statistics unavailable", "The install statistics cannot be read right now. Please try again in a minute.", p), 503, {
      "cache-control": "no-store",
      "retry-after": String(RETRY_AFTER_SECONDS),
    });
  }
}
