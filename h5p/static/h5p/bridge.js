/* The lesson page's side of an H5P activity: accepts messages only from the activity's own iframe
   on the content origin, sizes the iframe, and forwards xAPI statements to the LMS with the session
   and the CSRF token. The content origin never sees the LMS cookies. Loaded once per page. */
(function () {
  "use strict";
  if (window.h5pBridgeLoaded) {
    return;
  }
  window.h5pBridgeLoaded = true;

  function frameOf(event) {
    var frames = document.querySelectorAll("iframe.h5p-frame");
    for (var i = 0; i < frames.length; i += 1) {
      if (event.source === frames[i].contentWindow && event.origin === frames[i].dataset.h5pOrigin) {
        return frames[i];
      }
    }
    return null;
  }

  function send(frame, statement) {
    var status = frame.parentNode.querySelector(".h5p-status");
    fetch(frame.dataset.h5pStatementsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": frame.dataset.csrfToken },
      body: JSON.stringify(statement),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (status && body.attempt) {
          status.textContent = status.dataset.saved || "✓";
        } else if (status && body.error) {
          status.textContent = body.error;
        }
      });
    }).catch(function () {
      if (status) {
        status.textContent = "⚠";
      }
    });
  }

  window.addEventListener("message", function (event) {
    var frame = frameOf(event);
    var data = event.data;
    if (!frame || !data || typeof data !== "object") {
      return;
    }
    if (data.type === "h5p-ready") {
      // The player listens for the activity's statements from now on (before, an answer would not be sent).
      frame.dataset.h5pReady = "true";
    } else if (data.type === "h5p-resize" && typeof data.height === "number") {
      frame.style.height = Math.min(Math.max(data.height, 150), 5000) + "px";
    } else if (data.type === "h5p-xapi" && data.statement && frame.dataset.h5pStatementsUrl) {
      send(frame, data.statement);
    }
  });
})();
