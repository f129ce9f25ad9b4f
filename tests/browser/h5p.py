"""The H5P player in a browser test: the frame, inside the player's iframe, that shows a true/false question."""

import time


def h5p_question_frame(page, *, seconds: float = 30):
    """The frame showing the question, once the player listens for its statements: the question shows before
    that, so the test waits for the player's "ready" (h5p/static/h5p/bridge.js marks the iframe
    data-h5p-ready), or an answer given at once would not be sent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                ready = page.locator("iframe.h5p-frame[data-h5p-ready]").count()
                if ready and frame.locator(".h5p-true-false").count():
                    return frame
            except Exception:  # a frame navigating away; look again
                continue
        page.wait_for_timeout(250)
    raise AssertionError("the H5P question never appeared")
