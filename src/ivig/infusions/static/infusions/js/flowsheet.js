// Flowsheet helpers (no inline scripts: CSP). Keeps the version of every form in step with autosave, shows
// a notice when another device saved the session, and counts down to the next rate step.
(function () {
  "use strict";
  function pageVersion() {
    var head = document.querySelector("[data-page-version]");
    return head ? parseInt(head.getAttribute("data-page-version"), 10) : null;
  }
  function setVersion(version) {
    document.querySelectorAll("input[name=version]").forEach(function (input) { input.value = version; });
    var head = document.querySelector("[data-page-version]");
    if (head) { head.setAttribute("data-page-version", version); }
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var saved = event.target.querySelector(".autosave[data-version]");
    if (saved && !saved.classList.contains("autosave-error")) {
      setVersion(parseInt(saved.getAttribute("data-version"), 10));
      return;
    }
    var live = event.target.querySelector(".live-panel[data-version]");
    var mine = pageVersion();
    if (live && mine !== null && parseInt(live.getAttribute("data-version"), 10) > mine) {
      var notice = document.getElementById("stale-notice");
      if (notice) { notice.classList.remove("is-hidden"); }
    }
  });
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(due)) { return; }
      var minutes = Math.round((due - Date.now()) / 60000);
      if (Math.abs(minutes) < 24 * 60) { el.textContent = minutes >= 0 ? minutes + " min" : "now"; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var scan = document.querySelector("[data-autofocus=scan]");
    if (scan && window.location.hash === "#scan") { scan.focus(); }
    // The wristband is scanned first: a keyboard-wedge scanner types into whatever has the focus.
    var band = document.querySelector("[data-autofocus=wristband]");
    if (band && (!window.location.hash || window.location.hash === "#identity")) { band.focus(); }
  });
  window.setInterval(tick, 30000);
}());
