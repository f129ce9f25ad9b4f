#!/usr/bin/env python3
"""Ask one gunicorn node for /healthz or /readyz the way nginx would; exit 0 only on HTTP 200.

Production settings answer 400 to a Host header they do not know and redirect plain HTTP to HTTPS, so a
bare `curl http://127.0.0.1:8000/readyz` never reaches the check. This probe sends the first name in
DJANGO_ALLOWED_HOSTS and X-Forwarded-Proto: https, as nginx does. Standard library only, so it runs in
the slim container image (docker-compose.yml health checks) as well as on a host:

    python3 deploy/probe.py                      # liveness of the node at GUNICORN_BIND (127.0.0.1:8000)
    python3 deploy/probe.py --ready              # readiness; prints the checks as JSON
    python3 deploy/probe.py --ready --address 10.0.0.12:8000
"""

import argparse
import os
import sys
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect means the probe was not recognised as coming through HTTPS: report it, do not follow it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def default_address() -> str:
    address = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
    host, _, port = address.rpartition(":")
    if host in {"0.0.0.0", "[::]", ""}:  # noqa: S104 - a listening address, turned into one to connect to
        host = "127.0.0.1"
    return f"{host}:{port}"


def default_host() -> str:
    for name in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ready", action="store_true", help="probe /readyz instead of /healthz")
    parser.add_argument("--address", default=default_address(), help="host:port of the gunicorn node")
    parser.add_argument("--host", default=default_host(), help="Host header (an allowed host name)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds before giving up")
    args = parser.parse_args(argv)

    url = f"http://{args.address}/{'readyz' if args.ready else 'healthz'}"
    request = urllib.request.Request(url, headers={"Host": args.host, "X-Forwarded-Proto": "https"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=args.timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1
    print(f"{url}: HTTP {status}", file=sys.stderr)
    if body:
        print(body.decode("utf-8", errors="replace"))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
