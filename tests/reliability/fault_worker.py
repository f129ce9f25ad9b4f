"""The Celery app of the kill-the-worker test (`celery -A tests.reliability.fault_worker worker`).

It is the project's app running the project's code, with three test-only changes that let the test kill
the worker at a known point and see the broker redeliver within seconds instead of an hour:

* Redis hands an unacknowledged message out again after FAULT_VISIBILITY_TIMEOUT seconds (production: the
  default hour) and the worker looks for such messages every second (production: every 100 s);
* rendering a certificate's PDF takes FAULT_PAUSE seconds longer;
* after a certificate task has returned, the worker waits FAULT_PAUSE seconds before it acknowledges the
  message (task_postrun runs before the late ack): the window "e-mail sent, message not acknowledged".
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
django.setup()

from celery.signals import task_postrun  # noqa: E402 (after django.setup)

from certification import pdf  # noqa: E402
from certification.tasks import certificate_issue  # noqa: E402
from lms.celery import app  # noqa: E402

PAUSE = float(os.environ.get("FAULT_PAUSE", "0.5"))

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": int(os.environ.get("FAULT_VISIBILITY_TIMEOUT", "3")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

_render_many = pdf.render_many


def _slow_render_many(certificates):
    for rendered in _render_many(certificates):
        time.sleep(PAUSE)
        yield rendered


pdf.render_many = _slow_render_many


@task_postrun.connect
def _pause_before_the_ack(sender=None, **kwargs):
    if sender is not None and sender.name == certificate_issue.name:
        time.sleep(PAUSE)


__all__ = ["app"]
