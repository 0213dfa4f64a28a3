/**
 * The one script a widget runs: it posts the widget's content height to the parent window,
 * on load and whenever the size changes, so the host's iframe can fit it (public/embed.js).
 *
 * Message (window.postMessage to the parent, target origin "*": a height is not secret and the
 * widget cannot know who frames it):
 *   { type: "pve-telemetry:height", id: "<the widget's path and query>", height: <CSS px, integer> }
 * A parent may ask again with { type: "pve-telemetry:measure" } (embed.js does, in case its
 * listener started after the widget's first message).
 *
 * The server's Content-Security-Policy for /embed/* allows exactly this script by its hash
 * (REPORTER_CSP_SOURCE), so widgets carry no other inline script and no event handler attribute.
 */
import { createHash } from "node:crypto";

export const HEIGHT_MESSAGE = "pve-telemetry:height";
export const MEASURE_MESSAGE = "pve-telemetry:measure";

// Plain ES5, no dependencies. The html element's box is the content height (the body has no
// fixed height, nothing uses vh), unlike scrollHeight, which never drops below the frame.
export const REPORTER_SCRIPT =
  `(function(){if(window.parent===window)return;var d=document.documentElement,id=location.pathname+location.search,last=-1;` +
  `function send(force){var h=Math.ceil(d.getBoundingClientRect().height);if(h===last&&!force)return;last=h;` +
  `window.parent.postMessage({type:"${HEIGHT_MESSAGE}",id:id,height:h},"*")}` +
  `if(window.ResizeObserver)new ResizeObserver(function(){send(false)}).observe(d);` +
  `window.addEventListener("load",function(){send(false)});` +
  `window.addEventListener("message",function(e){if(e.source===window.parent&&e.data&&e.data.type==="${MEASURE_MESSAGE}")send(true)});` +
  `send(false)})();`;

/** `'sha256-…'`, the CSP source expression that allows REPORTER_SCRIPT as an inline script. */
export const REPORTER_CSP_SOURCE = `'sha256-${createHash("sha256").update(REPORTER_SCRIPT, "utf8").digest("base64")}'`;
