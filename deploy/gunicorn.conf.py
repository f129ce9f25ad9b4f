"""Gunicorn settings for lms.wsgi:application, all overridable from the environment (see deploy/env.example).

Used by the systemd unit (deploy/systemd/lms-gunicorn.service) and the container (Dockerfile):
    gunicorn --config deploy/gunicorn.conf.py lms.wsgi:application
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads let one process wait on PostgreSQL or Redis for one request while serving another; processes
# use every core. 2 × cores + 1 is gunicorn's usual starting point; measure before raising it.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than nginx's upstream keepalive_timeout (4 s in deploy/nginx/lms.conf): nginx always closes an
# idle connection first, so it never reuses one that gunicorn has just closed.
keepalive = 5

# Restart each worker after many requests so that slow memory growth never reaches the limit. Not a few
# thousand: at a few hundred requests a second that restarted a worker every few seconds, and each restart
# (a cold process: imports, compiled templates, connections) showed as a latency spike (issue 8's bench).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

# Only nginx may tell gunicorn the original scheme and client address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The worker heartbeat file: on tmpfs, so a slow disk never gets a healthy worker killed.
worker_tmp_dir = "/dev/shm"

# Logs to stdout/stderr (journald or the container log). The path without the query string: query
# strings can carry search terms with people's names. The request id comes from nginx.
accesslog = "-"
errorlog = "-"
access_log_format = '%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}i)s'


def child_exit(server, worker):
    """Prometheus multiprocess mode: forget the counters' live files of a worker that exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
