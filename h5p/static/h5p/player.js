/* The H5P player page, on the content origin: plays the package and tells the lesson page (the LMS
   origin only) about each xAPI statement and its own height. It never talks to the LMS itself. */
(function () {
  "use strict";
  var container = document.getElementById("h5p-container");
  var lmsOrigin = container.dataset.lmsOrigin;

  function tell(message) {
    if (window.parent !== window) {
      window.parent.postMessage(message, lmsOrigin);
    }
  }

  function tellHeight() {
    var inner = container.querySelector("iframe");
    var height = Math.max(document.body.scrollHeight, inner ? inner.getBoundingClientRect().height + 16 : 0);
    tell({ type: "h5p-resize", height: Math.ceil(height) });
  }

  new H5PStandalone.H5P(container, {
    h5pJsonPath: container.dataset.h5pJsonPath,
    frameJs: container.dataset.frameJs,
    frameCss: container.dataset.frameCss,
    xAPIObjectIRI: window.location.origin + "/activities/" + container.dataset.contentId,
  }).then(function () {
    H5P.externalDispatcher.on("xAPI", function (event) {
      tell({ type: "h5p-xapi", statement: event.data.statement });
      window.setTimeout(tellHeight, 100);
    });
    tell({ type: "h5p-ready" });
    tellHeight();
    if (window.ResizeObserver) {
      new ResizeObserver(tellHeight).observe(document.body);
    }
    // The libraries size their own iframe as they load: report the height again for a while.
    var checks = 0;
    var timer = window.setInterval(function () {
      tellHeight();
      checks += 1;
      if (checks > 20) {
        window.clearInterval(timer);
      }
    }, 500);
  });
})();
