/**
 * The one way widget routes answer: parse the options, check the app, render the widget into a
 * complete HTML document. Unknown app → a small 404 card; PocketBase unavailable → a small
 * "statistics unavailable" card with 503 and Retry-After; bad options → the widget with
 * defaults and a visible note. Framing, CSP and CORS headers are the server's (server/).
 */
import "server-only";
import { appExists, firstDataDay } from "../data";
import { NSAPP_PATTERN, parseEmbedOptions } from "./options";
import { EMBED_RETRY_AFTER, reply, respond, TYPES } from "../http/respond";
import { WIDGET_NAMES, WIDGETS, type WidgetName } from "./catalog";
import { renderMessage, renderWidget, type Presentation } from "./document";
import { appWidget, summaryWidget } from "./widgets/cards";
import { exitCodesWidget, failingAppsWidget, failureRateWidget, osWidget, outcomesWidget } from "./widgets/charts";
import { rangeLabel, type WidgetRenderer } from "./widgets/types";

const RENDERERS: Record<WidgetName, WidgetRenderer> = {
  summary: summaryWidget,
  app: appWidget,
  outcomes: outcomesWidget,
  "failure-rate": failureRateWidget,
  "exit-codes": exitCodesWidget,
  os: osWidget,
  "failing-apps": failingAppsWidget,
};

function html(body: string, status = 200): Response {
  return reply({ body, type: TYPES.html, status });
}

/** Widgets at /embed/<name> (the app card is at /embed/app/<nsapp>). */
function isPathWidget(name: string): name is Exclude<WidgetName, "app"> {
  return name !== "app" && Object.hasOwn(WIDGETS, name);
}

/**
 * Answers GET /embed/<name> (`pathApp` undefined) and GET /embed/app/<nsapp> (`name` "app",
 * `pathApp` the decoded segment). A name that is no widget gets a small 404 card naming them.
 */
export async function respondWidget(request: Request, name: string, pathApp?: string): Promise<Response> {
  const { options, notes } = parseEmbedOptions(new URL(request.url).searchParams, new Date(), await firstDataDay());
  const p: Presentation = options;
  const widget: WidgetName | null = pathApp === undefined ? (isPathWidget(name) ? name : null) : name === "app" ? "app" : null;
  if (widget === null) {
    const names = WIDGET_NAMES.filter(isPathWidget).join(", ");
    return html(renderMessage("Unknown widget", `There is no widget named "${name.slice(0, 64)}". Widgets: ${names}, and app/<name>.`, p), 404);
  }
  const spec = WIDGETS[widget];
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
  return respond(
    async () => {
      if (app !== null && (!NSAPP_PATTERN.test(app) || !(await appExists(app)))) {
        return html(renderMessage("Unknown app", `No app named "${app.slice(0, 64)}" has reported an install.`, p), 404);
      }
      const out = await RENDERERS[widget]({ view, app, compact: options.compact });
      return html(renderWidget({ ...out, rangeLabel: rangeLabel(view), range: view.range, notes }, p));
    },
    {
      // The reason (e.g. PocketBase's address) is for operators, not for every embedding site.
      reply: () => ({ body: renderMessage("Statistics unavailable", "The install statistics cannot be read right now. Please try again in a minute.", p), type: TYPES.html }),
      retryAfter: EMBED_RETRY_AFTER,
      log: `embed ${name}`,
    },
    () => ({ body: renderMessage("Statistics unavailable", "Something went wrong on the server; it has been logged.", p), type: TYPES.html }),
  );
}
