// brief preview: reload on rebuild, show build errors over the page. Served pages only.
(function () {
  "use strict";
  var overlayId = "__brief-overlay";
  function clearOverlay() {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }
  function showOverlay(text) {
    clearOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#141416;color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem";
    var h = document.createElement("h2");
    h.textContent = "brief: the last edit does not build — the page shows the last good version";
    h.style.cssText = "font:600 18px system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0;padding:0;background:none;color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    box.appendChild(h);
    box.appendChild(pre);
    document.body.appendChild(box);
  }
  // Warnings do not block the page: a bar at its foot that can be closed. A closed bar
  // stays closed until the warnings change.
  var shownWarnings = null;
  function showWarnings(text) {
    if (text === shownWarnings) return;
    shownWarnings = text;
    var old = document.getElementById("__brief-warnings-bar");
    if (old) old.remove();
    if (!text) return;
    var bar = document.createElement("div");
    bar.id = "__brief-warnings-bar";
    bar.setAttribute("role", "status");
    bar.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483646;max-height:40vh;overflow:auto;background:#2b2410;color:#fff3c4;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:0.75rem 1rem;border-top:3px solid #e0b400";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.style.cssText = "float:right;font:600 13px system-ui,sans-serif";
    close.addEventListener("click", function () { bar.remove(); });
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0;background:none;color:inherit;font:inherit";
    bar.appendChild(close);
    bar.appendChild(pre);
    document.body.appendChild(bar);
  }
  var warnings = document.getElementById("__brief-warnings");
  if (warnings) showWarnings(warnings.textContent);
  var initial = document.getElementById("__brief-error");
  if (initial) showOverlay(initial.textContent);
  // The generation this page was served in: if it changed since, the server says reload.
  var source = new EventSource("/__brief/live?since=" + __briefServed + "&page=" + window.location.pathname);
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("changed", function (e) {
    var here = window.location.pathname.replace(/index\.html$/, "");
    if (e.data.split("\n").indexOf(here) >= 0) window.location.reload();
  });
  source.addEventListener("error-report", function (e) { showOverlay(e.data); });
  source.addEventListener("ok", clearOverlay);
  source.addEventListener("warnings", function (e) { showWarnings(e.data); });
})();
