// Typing a reason for a caution must not re-plan the order: the live preview would replace the box
// mid-sentence. The reason is read when the next change is planned, and on signing.
(function () {
  "use strict";
  function keep(event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-reason-box]")) {
      event.stopPropagation();
    }
  }
  document.addEventListener("input", keep, true);
  document.addEventListener("change", keep, true);
})();
