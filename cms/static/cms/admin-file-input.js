// Wagtail's multiple uploaders (images, documents) hide a bare <input type=file> over a decorative
// button: the input has no accessible name and the button is a second, dead tab stop (pressing it would
// submit the form). Name the input after the button's text and take the button out of the tab order, so
// a keyboard or screen-reader user reaches one control, "Or choose from your computer", and opens the
// file picker with it. admin.css draws the focus ring of the hidden input on the button.
(function () {
  function mend(root) {
    root.querySelectorAll(".replace-file-input").forEach(function (wrapper) {
      var input = wrapper.querySelector("input[type=file]");
      var button = wrapper.querySelector("button");
      if (!input || !button) return;
      if (!input.getAttribute("aria-label") && !(input.labels && input.labels.length)) {
        input.setAttribute("aria-label", button.textContent.replace(/\s+/g, " ").trim());
      }
      button.setAttribute("type", "button");
      button.setAttribute("tabindex", "-1");
      button.setAttribute("aria-hidden", "true");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mend(document); });
  } else {
    mend(document);
  }
})();
