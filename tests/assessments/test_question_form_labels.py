"""The question form names every input for screen readers (axe-core, issue 9): each option row's inputs,
which sit under table headers rather than <label>s, and the rich text editors, which are not the inputs
their <label>s point at."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_option_rows_and_rich_text_editors_have_accessible_names(client, trainer):
    client.force_login(trainer)
    html = client.get(reverse("assessment_questions:add")).content.decode()

    row_input = re.search(r'<input[^>]*name="options-0-fraction"[^>]*>', html).group(0)
    assert re.search(r'aria-label="[^"]+, [^"]* 1"', row_input), row_input
    options = re.search(r'<input[^>]*name="stem"[^>]*data-w-init-detail-value="([^"]+)"', html)
    options = options or re.search(r'data-w-init-detail-value="([^"]+)"[^>]*name="stem"', html)
    assert json.loads(options.group(1).replace("&quot;", '"'))["ariaLabel"]
