/* Site-wide behaviour that the pages work without (no JavaScript: every form still submits, the whole menu
   shows).

   The menu on a phone: folded behind a "Menu" button (the stylesheet folds it below 40rem only once this
   script has marked the page), so that the page itself starts on the first screen.

   One submission per click: a second submit of the same form while the first is on its way (a double
   click, an impatient Enter on a slow connection) is ignored, so it does not create a second class, request
   or plan line. The form says it is busy (aria-busy). It can be sent again after a few seconds (a download
   leaves the page where it is) or when the page comes back from the browser's history. */
(function () {
  "use strict";
  var AGAIN_AFTER_MS = 8000;

  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    document.documentElement.classList.add("has-menu-toggle");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("data-allow-resubmit")) return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) return;  // another handler (the quiz page) handles this submit itself
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () { release(form); }, AGAIN_AFTER_MS);
  });

  function release(form) {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-submitting]").forEach(release);
  });
})();
