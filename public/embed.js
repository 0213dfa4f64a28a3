/*! PVE script installs — embed.js: sizes every <iframe data-pve-telemetry> to its widget's
 * content height. No dependencies. Widgets post {type:"pve-telemetry:height", id, height}
 * (id: the widget's path and query; height: CSS px) whenever their size changes; a message
 * counts only when it comes from one of the marked frames (event.source) and that frame's
 * origin (event.origin). Safe to load more than once, before or after the iframes. */
(function () {
  if (window.__pveTelemetryEmbed) return;
  window.__pveTelemetryEmbed = true;
  var SELECTOR = "iframe[data-pve-telemetry]";
  function frames() {
    return document.querySelectorAll(SELECTOR);
  }
  function originOf(frame) {
    try {
      return new URL(frame.src, location.href).origin;
    } catch (e) {
      return null;
    }
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "pve-telemetry:height" || typeof data.height !== "number" || !isFinite(data.height)) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (frame.contentWindow !== event.source) continue;
      if (originOf(frame) !== event.origin) return;
      frame.style.height = Math.max(0, Math.min(Math.ceil(data.height), 20000)) + "px";
      return;
    }
  });
  // Widgets that loaded before this script ran have posted already: ask them again.
  function measure() {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var origin = originOf(list[i]);
      try {
        if (origin && list[i].contentWindow) list[i].contentWindow.postMessage({ type: "pve-telemetry:measure" }, origin);
      } catch (e) {
        // an opaque origin ("null") is no target: that frame reports by itself once loaded
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", measure);
  else measure();
})();
