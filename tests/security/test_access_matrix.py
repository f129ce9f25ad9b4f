"""The access-control matrix (issue 10, "Access control"), generated from the URL resolver.

Every project URL that takes an object id, slug or token is listed in ROUTES with a builder of its
arguments from the world of conftest.py (objects of learner A / unit A) and what each role must get:
the owner and the people whose role covers the object reach it; everyone else gets 404 (never 403,
never 200), anonymous people are sent to the login page. A URL pattern with an argument that is in
neither ROUTES nor EXCLUDED fails `test_every_url_with_an_argument_is_in_the_matrix`, so a new
endpoint cannot be forgotten.
"""

import json
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ANON, HOME_AFFAIRS, LEARNER_B, OFFICER_A, OFFICER_B, OWNER, ROLES, TRAINER_X

LOGIN = "login"  # a redirect to the login page
REFUSALS = (LOGIN, 401, 403, 404)


@dataclass(frozen=True)
class Route:
    args: Callable  # objects -> reverse() args
    allowed: dict = field(default_factory=dict)  # role -> expected status for roles that may reach it
    method: str = "get"
    data: dict = field(default_factory=dict)
    json: object = None  # a JSON body (POST)
    anonymous: object = LOGIN
    public: bool = False  # a public page keyed by an unguessable token

    def expected(self, role):
        if role == ANON:
            return self.anonymous
        return self.allowed.get(role, 404)


def _enrolment_export(o):
    """Officer A's export of unit A, recorded the first time a route asks for it."""
    from reports.models import EnrolmentExport

    officer = o.snapshot.requested_by
    return (EnrolmentExport.objects.filter(requested_by=officer).first()
            or EnrolmentExport.objects.create(requested_by=officer, unit=o.unit_a, file_name="enrolments-test.csv"))


# Roles refused a whole feature get 403 from its role gate, for every id alike (checked by
# test_each_role_gets_what_the_matrix_says); a role that has the feature but not this
# object gets 404. POST routes are answered 302/200/201 by the view for the roles that may act.
ROUTES = {
    # People and the roster import: the person's unit officer and readers (Home Affairs) see; only managers edit.
    "organisations:person_detail": Route(lambda o: [o.person.pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 200}),
    "organisations:person_edit": Route(lambda o: [o.person.pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}),
    "organisations:roster_preview": Route(lambda o: [o.roster.pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}),
    "organisations:roster_apply": Route(lambda o: [o.roster.pk], {
        OWNER: 403, OFFICER_A: 302, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}, method="post"),
    "organisations:roster_discard": Route(lambda o: [o.roster.pk], {
        OWNER: 403, OFFICER_A: 302, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}, method="post"),
    # An open course is not an owned object: anyone signed in may enrol in it.
    "courses:enrol": Route(lambda o: [o.course.pk], {role: 302 for role in ROLES[1:]}, method="post"),
    # Assignments of a course: each officer sees the assignments of their own scope only.
    "courses:assignments": Route(lambda o: [o.course.pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, OFFICER_B: 200, TRAINER_X: 403, HOME_AFFAIRS: 403}),
    # A class run by unit A: its officers; the session's trainer takes attendance.
    "courses:class_detail": Route(lambda o: [o.cohort.pk], {OFFICER_A: 200}),
    "courses:class_members_add": Route(lambda o: [o.cohort.pk], {OFFICER_A: 200}, method="post"),
    "courses:class_member_remove": Route(lambda o: [o.cohort.pk, o.member.pk], {OFFICER_A: 302}, method="post"),
    "courses:session_add": Route(lambda o: [o.cohort.pk], {OFFICER_A: 200}, method="post"),
    "courses:session_remove": Route(lambda o: [o.cohort.pk, o.session.pk], {OFFICER_A: 302}, method="post"),
    "courses:session_attendance": Route(lambda o: [o.cohort.pk, o.session.pk], {OFFICER_A: 200}),
    # Quizzes and attempts: the enrolled learner only; an attempt is its owner's alone (officers included).
    "assessments:quiz": Route(lambda o: [o.quiz.pk], {OWNER: 200}),
    "assessments:start": Route(lambda o: [o.quiz.pk], {OWNER: 302}, method="post"),
    "assessments:attempt": Route(lambda o: [o.attempt.pk], {OWNER: 200}),
    "assessments:autosave": Route(lambda o: [o.attempt.pk], {OWNER: 200}, method="post",
                                  json={"slot": 1, "response": {}}),
    "assessments:submit": Route(lambda o: [o.attempt.pk], {OWNER: 302}, method="post"),
    "assessments:review": Route(lambda o: [o.attempt.pk], {OWNER: 302}),  # in progress: back to the attempt
    # Certificates: the holder, the holder's unit officer and Home Affairs read; the officer acts.
    "certification:certificate_credential": Route(lambda o: [o.certificate.pk], {
        OWNER: 200, OFFICER_A: 200, HOME_AFFAIRS: 200}),
    "certification:certificate_pdf": Route(lambda o: [o.certificate.pk], {
        OWNER: 200, OFFICER_A: 200, HOME_AFFAIRS: 200}),
    "certification:revoke": Route(lambda o: [o.certificate.pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}, method="post"),
    "certification:reissue": Route(lambda o: [o.certificate.pk], {OFFICER_A: 200}, method="post"),
    "certification:job": Route(lambda o: [o.job.pk], {OFFICER_A: 200}),
    "certification:job_download": Route(lambda o: [o.job.pk]),  # not finished: 404 for everyone
    "certification:external_review": Route(lambda o: [o.external.pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}),
    "certification:external_file": Route(lambda o: [o.external.pk], {OWNER: 200, OFFICER_A: 200}),
    # The public verification page: the 192-bit token is the secret; anyone holding it sees the summary.
    "certification:verify_token": Route(lambda o: [o.certificate.token], {role: 200 for role in ROLES[1:]},
                                        anonymous=200, public=True),
    # xAPI statements: only a learner graded on the activity (enrolled in a course placing it).
    "h5p_statement_create": Route(lambda o: [o.h5p.pk], {OWNER: 201}, method="post", json={"verb": {}},
                                  anonymous=401),
    # Statistics of unit A: its officer and Home Affairs.
    "reports:unit_statistics": Route(lambda o: [o.unit_a.pk], {OFFICER_A: 200, HOME_AFFAIRS: 200}),
    "reports:unit_people": Route(lambda o: [o.unit_a.pk], {OFFICER_A: 200, HOME_AFFAIRS: 200}),
    "reports:unit_report_list": Route(lambda o: [o.unit_a.pk], {OFFICER_A: 200, HOME_AFFAIRS: 200}),
    "reports:report_status": Route(lambda o: [o.snapshot.pk], {OFFICER_A: 200}),  # the requester's role only
    "reports:report_download": Route(lambda o: [o.snapshot.pk]),  # not generated yet: 404 for everyone
    "reports:plan_detail": Route(lambda o: [o.plan.pk], {OFFICER_A: 200, HOME_AFFAIRS: 200}),
    # Home Affairs reads the plan, so its refused removal comes back with a message (line kept: tested below).
    "reports:plan_line_delete": Route(lambda o: [o.plan.pk, o.plan_line.pk], {OFFICER_A: 302, HOME_AFFAIRS: 302},
                                      method="post"),
    # Home Affairs decides plans: it may post a transition (a refused one comes back with a message).
    "reports:plan_transition": Route(lambda o: [o.plan.pk, "submit"], {OFFICER_A: 302, HOME_AFFAIRS: 302},
                                     method="post"),
    # The skills survey is open to everyone with a learner profile (not an owned object); a person's results
    # are read from their own response, never from an id in the URL. Results of a unit: as the statistics.
    "placement:self_assessment": Route(lambda o: [o.survey.pk], {role: 200 for role in ROLES[1:]}),
    "placement:diagnostic": Route(lambda o: [o.survey.pk], {role: 302 for role in ROLES[1:]}, method="post"),
    "placement:submit": Route(lambda o: [o.survey.pk], {role: 302 for role in ROLES[1:]}, method="post"),
    "placement:my_results": Route(lambda o: [o.survey.pk]),  # nobody has submitted: 404 for everyone
    "placement:unit_results": Route(lambda o: [o.unit_a.pk], {OFFICER_A: 200, HOME_AFFAIRS: 200}),
    # The course gradebook: the course's trainers, curriculum managers, admins and Home Affairs see all of it;
    # a unit officer sees their subtree's learners; learners and other trainers get 404.
    "assessments:gradebook:course": Route(lambda o: [o.course.pk], {OFFICER_A: 200, OFFICER_B: 200, HOME_AFFAIRS: 200}),
    "assessments:gradebook:export": Route(lambda o: [o.course.pk], {OFFICER_A: 200, OFFICER_B: 200, HOME_AFFAIRS: 200}),
    "assessments:gradebook:export_status": Route(lambda o: [o.course.pk]),  # no export token: 404 for everyone
    "reports:report_download_format": Route(lambda o: [o.snapshot.pk, "xlsx"]),  # not generated yet: 404
    # An API token is its owner's alone.
    "reports:api_token_revoke": Route(lambda o: [o.api_token.pk], {OFFICER_A: 200}),
    # An enrolment export: asked by readers who may see the unit's people; followed and downloaded by its
    # requester only (officer A asked for this one), the download only through its signed link.
    "reports:enrolment_export": Route(lambda o: [o.unit_a.pk], {OFFICER_A: 302, HOME_AFFAIRS: 302}, method="post",
                                      data={"format": "csv"}),
    "reports:export_status": Route(lambda o: [_enrolment_export(o).pk], {OFFICER_A: 200}),
    "reports:export_download": Route(lambda o: [_enrolment_export(o).pk]),  # no signed link: 404 for everyone
    # Personal data: a consent is its owner's alone; a data request is read by the person's unit officer and
    # Home Affairs and handled by the officer only (Home Affairs reads: 403 from the handling gate).
    "privacy:consent_withdraw": Route(lambda o: [_consent(o).pk], {OWNER: 302}, method="post"),
    "privacy:request_detail": Route(lambda o: [_data_request(o, "correction").pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 200}),
    **{f"privacy:{name}": Route(lambda o: [_data_request(o, "correction").pk], {
        OWNER: 403, OFFICER_A: 302, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}, method="post",
        data={"response": "Đã sửa."}) for name in ("request_start", "request_complete", "request_refuse")},
    "privacy:request_erase": Route(lambda o: [_data_request(o, "deletion").pk], {
        OWNER: 403, OFFICER_A: 200, LEARNER_B: 403, TRAINER_X: 403, HOME_AFFAIRS: 403}),
}


def _consent(o):
    from accounts.services import consent_record

    return consent_record(user=o.person.user)


def _data_request(o, kind):
    """The owner's request of this kind, filed the first time a route asks for it."""
    from privacy.models import DataRequest
    from privacy.services import data_request_file

    return (DataRequest.objects.filter(user=o.person.user, kind=kind).first()
            or data_request_file(user=o.person.user, kind=kind, details="Sai tên", field_names="full name",
                                 correct_value="Nguyễn Thị Chủ"))


# Patterns with an argument that the matrix does not cover, each with its reason.
EXCLUDED_PREFIXES = {
    "cms-admin/": "Wagtail's admin: its own permission policies, reached only by trainers, curriculum managers and "
                  "site administrators (MFA); the project's viewsets there are scoped in tests/assessments/"
                  "test_admin_scoping.py, tests/h5p/test_admin.py and tests/cms/test_trainer_permissions.py",
    "accounts/": "allauth: e-mail confirmation keys and password-reset tokens, tested in tests/accounts/",
}
EXCLUDED_NAMES = {
    "wagtail_serve": "the catch-all of published CMS pages (public catalogue; no personal data in pages)",
    "wagtaildocs_serve": "Wagtail documents are course materials (captions, handouts), public by design; "
                         "personal files (certificates, external certificates, reports, roster files) are never "
                         "Wagtail documents",
    "wagtaildocs_authenticate_with_password": "Wagtail's password form for a restricted document collection",
    "wagtailcore_authenticate_with_password": "Wagtail's password form for a restricted page",
}


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def takes_an_argument(route: str, pattern) -> bool:
    regex = pattern.pattern.regex
    return "<" in route or regex.groups > 0


def routes_with_arguments():
    for route, name, pattern in _walk(get_resolver()):
        if takes_an_argument(route, pattern):
            yield route, name


def test_every_url_with_an_argument_is_in_the_matrix():
    forgotten = []
    for route, name in routes_with_arguments():
        if route.startswith(tuple(EXCLUDED_PREFIXES)) or name in EXCLUDED_NAMES:
            continue
        if name not in ROUTES:
            forgotten.append(f"{route} ({name})")
    assert not forgotten, "URLs with an object argument missing from the access matrix: " + ", ".join(forgotten)


def test_the_matrix_has_no_stale_entries():
    names = {name for _route, name in routes_with_arguments()}
    assert set(ROUTES) <= names
    assert set(EXCLUDED_NAMES) <= names


def _outcome(response):
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


def _request(client, route, url):
    """One request in a savepoint rolled back afterwards: what one role did (enrolling, submitting,
    revoking) never changes what the next role is tried against."""
    with transaction.atomic():
        if route.json is not None:
            response = client.post(url, data=json.dumps(route.json), content_type="application/json")
        else:
            response = getattr(client, route.method)(url, data=route.data)
        transaction.set_rollback(True)
    return response


def test_each_role_gets_what_the_matrix_says(world):
    """One world, every route, every role (a world per route would take minutes). Whoever is refused
    an object must get the same answer for an id that does not exist, so ids cannot be probed."""
    objects = _Objects(world)
    clients = {role: world.client(role) for role in ROLES}
    wrong = []
    for name, route in sorted(ROUTES.items()):
        real = route.args(objects)
        missing = [999_999 if isinstance(arg, int) else arg for arg in real]
        for role in ROLES:
            expected = route.expected(role)
            tries = [real]
            if expected in REFUSALS and not route.public:
                tries.append(missing)
            for args in tries:
                url = reverse(name, args=args)
                got = _outcome(_request(clients[role], route, url))
                if got != expected:
                    wrong.append(f"{name} as {role}: {route.method.upper()} {url} answered {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


class _Objects:
    """The world's objects plus its units, as the builders read them."""

    def __init__(self, world):
        self._world = world

    def __getattr__(self, name):
        if name in ("unit_a", "unit_b"):
            return getattr(self._world, name)
        return getattr(self._world.objects, name)


def test_a_reader_cannot_remove_a_plan_line(world):
    plan_line = world.objects.plan_line
    world.client(HOME_AFFAIRS).post(reverse("reports:plan_line_delete", args=[plan_line.plan_id, plan_line.pk]))
    assert type(plan_line).objects.filter(pk=plan_line.pk).exists()


def test_the_statistics_api_scopes_tokens_like_the_pages(world):
    """Tokens of different scopes: unit A's officer and Home Affairs read unit A; unit B's officer gets 404."""
    from django.utils import timezone

    try:
        from reports.tokens import api_token_create
    except ImportError:  # before the token pages moved it
        from reports.api import api_token_create
    from reports.models import ApiToken

    url = "/api/statistics/v1/statistics"
    tokens = {role: api_token_create(user=world.users[role], name=role)[1]
              for role in (OFFICER_A, OFFICER_B, HOME_AFFAIRS)}
    client = Client()
    query = {"unit": world.unit_a.pk, "period": "year", "year": 2026}
    for path in (url, url + ".csv"):
        assert client.get(path, query).status_code == 401
        assert client.get(path, query, HTTP_AUTHORIZATION="Bearer lms_guess").status_code == 401
        assert client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {tokens[OFFICER_A]}").status_code == 200
        assert client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {tokens[HOME_AFFAIRS]}").status_code == 200
        assert client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {tokens[OFFICER_B]}").status_code == 404
        missing = {**query, "unit": 999_999}
        assert client.get(path, missing, HTTP_AUTHORIZATION=f"Bearer {tokens[OFFICER_B]}").status_code == 404
    ApiToken.objects.filter(user=world.users[OFFICER_A]).update(revoked_at=timezone.now())
    assert client.get(url, query, HTTP_AUTHORIZATION=f"Bearer {tokens[OFFICER_A]}").status_code == 401
    with pytest.raises(PermissionError):
        api_token_create(user=world.users[OWNER], name="a learner")
