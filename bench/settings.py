"""Production settings plus the bench-only URLs and a query-count header. Used only by bench/run.py.

The product's URLconf is included unchanged; bench views (`/bench/...`) exist only here, never in lms.urls.
"""

from lms.settings.production import *  # noqa: F403
from lms.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so it counts every query of the request, middleware included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
