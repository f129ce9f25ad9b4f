"""The H5P player in a browser test: the frame, inside the player's iframe, that shows a true/false question,
and the bridge's status line once an answer is sent, with what the browser did on the way if it stays empty."""

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


class H5PTrace:
    """What the browser did for the H5P activity, for the message of a failed wait: each statement the bridge
    posted (when, the answer's status and body, or the failure), every console message and page error of the
    page and its frames. Start it before the lesson page loads."""

    def __init__(self, page):
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.messages: list[str] = []  # the console's texts
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._add(f"page error: {error}"))
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", lambda request: self._statement(request) and self._add(
            f"failed {request.url}: {request.failure}"))

    def _add(self, line: str) -> None:
        self.lines.append(f"{time.monotonic() - self.started:7.2f} s  {line}")

    def _console(self, message) -> None:
        self.messages.append(message.text)
        self._add(f"console {message.type}: {message.text}")

    @staticmethod
    def _statement(request) -> bool:
        return request.method == "POST" and "/statements" in request.url

    def _request(self, request) -> None:
        if self._statement(request):
            self._add(f"POST {request.url} {(request.post_data or '')[:160]}")

    def _finished(self, request) -> None:
        if self._statement(request):
            response = request.response()
            try:
                body = response.text()[:200] if response else ""
            except Exception as error:  # the body is gone (the page navigated)
                body = f"({error})"
            self._add(f"answered {response.status if response else '?'} {request.url}: {body}")

    def __str__(self) -> str:
        return "\n".join(self.lines) or "(the browser posted no statement and logged nothing)"


def h5p_status(page, trace: H5PTrace, *, seconds: float = 20) -> str:
    """The bridge's status line once it says something (polled from here: the CSP forbids string evaluation);
    if it stays empty, fail with the page's data-h5p-ready state and the trace."""
    status = page.locator(".h5p-status")
    deadline = time.monotonic() + seconds
    while not (text := status.inner_text().strip()):
        if time.monotonic() >= deadline:
            ready = page.locator("iframe.h5p-frame[data-h5p-ready]").count()
            raise AssertionError(
                f"the H5P status line stayed empty for {seconds:g} s (frames marked ready: {ready}); "
                f"what the browser did:\n{trace}"
            )
        page.wait_for_timeout(250)
    return text
