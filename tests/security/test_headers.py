"""Security headers on the LMS origin (issue 10, "Headers"): a nonce-based Content-Security-Policy without
'unsafe-inline' for scripts, frame-ancestors 'none', Referrer-Policy, nosniff, X-Frame-Options, and
Cache-Control: no-store on whatever a signed-in person is sent. The H5P content origin's own policy is
tested in tests/h5p/test_content_origin.py."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.helpers import login_with_totp

from .conftest import OFFICER_A, OWNER

ROOT = Path(settings.BASE_DIR)


def directives(response) -> dict:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_lms_pages_carry_a_strict_nonce_policy(world):
    client = world.client(OWNER)
    first = client.get(reverse("courses:my_learning"))
    second = client.get(reverse("courses:my_learning"))
    policy = directives(first)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    nonces = [d for d in policy["script-src"] if d.startswith("'nonce-")]
    assert len(nonces) == 1 and len(nonces[0]) > len("'nonce-'") + 20
    assert nonces != [d for d in directives(second)["script-src"] if d.startswith("'nonce-")]  # per request
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert first["X-Frame-Options"] == "DENY"
    assert first["Referrer-Policy"] == "same-origin"
    assert first["X-Content-Type-Options"] == "nosniff"


def test_every_script_on_a_page_is_external_or_carries_the_nonce(world):
    """The quiz page loads quiz.js; any inline script would have to carry this response's nonce."""
    client = world.client(OWNER)
    response = client.get(reverse("assessments:attempt", args=[world.objects.attempt.pk]))
    nonce = [d for d in directives(response)["script-src"] if d.startswith("'nonce-")][0][len("'nonce-"):-1]
    scripts = re.findall(r"<script\b([^>]*)>", response.content.decode())
    assert scripts
    for attributes in scripts:
        assert "src=" in attributes or f'nonce="{nonce}"' in attributes, attributes


def test_no_template_has_an_inline_script_or_handler_without_the_nonce():
    """Templates are checked as text, so a page no test renders cannot slip an inline script in."""
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        for attributes in re.findall(r"<script\b([^>]*)>", text):
            if "src=" not in attributes and "request.csp_nonce" not in attributes and "application/json" not in attributes:
                offenders.append(f"{template.relative_to(ROOT)}: <script{attributes}>")
        for handler in re.findall(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{template.relative_to(ROOT)}: inline handler {handler.strip()}")
        if "javascript:" in text:
            offenders.append(f"{template.relative_to(ROOT)}: javascript: URL")
    assert not offenders, "\n".join(offenders)


def test_the_wagtail_admin_has_its_own_relaxed_policy(world):
    client = Client()
    login_with_totp(client, world.users[OFFICER_A])
    response = client.get("/cms-admin/")
    policy = directives(response)
    assert "script-src" not in policy  # Wagtail's admin ships inline scripts (see SECURITY.md)
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_personal_pages_and_downloads_are_not_cached(world):
    client = world.client(OWNER)
    for url in (reverse("organisations:profile"), reverse("certification:certificate_pdf",
                                                          args=[world.objects.certificate.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_anonymous_public_pages_may_be_cached(db):
    response = Client().get(reverse("privacy_notice"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" in response


def test_production_settings_send_hsts_and_secure_cookies():
    """CI also runs `check --deploy --fail-level WARNING` under these settings (.ci/run step 3)."""
    text = (ROOT / "lms" / "settings" / "production.py").read_text()
    for line in ("SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = True",
                 "SECURE_HSTS_INCLUDE_SUBDOMAINS = True"):
        assert line in text
    assert settings.SESSION_COOKIE_HTTPONLY is True
