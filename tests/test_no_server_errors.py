"""No user's mistake is a 500: every URL of the site, real and garbage arguments, every role, GET and POST.

The URL list is walked from the resolver, so a new page is covered the day it is added; of the admin only our
own pages are visited. Each test gathers every failing request of one URL and reports them together.
"""
import re
import traceback
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from claims import domain
from claims.models import Proposal
from claims.photos import process_upload, process_uploads
from helpdesk.services import contact_request_create
from tests.factories import make_claim, make_order

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "buyer", "other_buyer", "seller", "staff"]
# Every role of the suite, the staff account without the agent permission included.
ALL_ROLES = ROLES + ["other_seller", "bare_staff"]
LONG = "x" * 10_000
GARBAGE_VALUES = ["'; DROP TABLE orders_order; --", "<script>alert(1)</script>", "-1", "1e309", "NaN", LONG,
                  "é🎉", "0", "99999999999999999999999", "\x00"]
GARBAGE_ARGS = ["0", "999999999", "99999999999999999999999", "RK-9999-999999", "../../etc/passwd", "%00",
                "\x00", "RK-2026-\x00", "x" * 3000, "é🎉"]
# Query parameters our list pages and the admin read, plus whatever names the page's forms carry.
QUERY_NAMES = ["q", "page", "o", "status", "statut", "p", "next", "filtre", "tri", "e", "commande", "file", "retard",
               "status__exact", "topic__exact", "kind__exact", "email_status__exact", "assigned_to__id__exact",
               "created_at__gte", "purchased_at__day", "id", "pk", "notification"]
# A superscript ("²": str.isdigit() says yes, int() refuses it), digits int() reads though no id is written so
# (Arabic-Indic; fullwidth and mathematical), NUL bytes, and a number far longer than any field or integer.
TRICKY_VALUES = ["¹²", "١٢", "１２𝟙", "1\x00", "9" * 10_000]
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk(patterns, prefix="", namespace=""):
    """Every (route, url name) below `patterns`, the admin's own left out."""
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield prefix + route, f"{namespace}{entry.name}" if entry.name else prefix + route


SITE_URLS = sorted(set(walk(get_resolver().url_patterns)))
# Our admin pages: the claim queue and its acts, and the order and help-desk lists with garbage parameters.
ADMIN_URLS = [
    ("admin/claims/claim/", "admin:claims_claim_changelist"),
    ("admin/claims/claim/file/", "admin:claims_claim_queue"),
    ("admin/claims/claim/<int:pk>/change/", "admin:claims_claim_change"),
    ("admin/claims/claim/<int:pk>/attribuer/", "admin:claims_claim_assign"),
    ("admin/claims/claim/<int:pk>/note/", "admin:claims_claim_note"),
    ("admin/claims/claim/<int:pk>/ecrire/", "admin:claims_claim_message"),
    ("admin/claims/claim/<int:pk>/decider/", "admin:claims_claim_decide"),
    ("admin/orders/order/", "admin:orders_order_changelist"),
    ("admin/helpdesk/contactrequest/", "admin:helpdesk_contactrequest_changelist"),
]
ALL_URLS = SITE_URLS + ADMIN_URLS


def png(name="photo.png"):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(roles):
    """One of everything a URL can name, all belonging to the buyer and the seller of `roles`."""
    cache.clear()  # the login throttle counts across tests
    now = timezone.now()
    claim_order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20)
    claim = make_claim(order=claim_order, reason="not_received", photos=[process_upload(png())], now=now)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                                    message="Je vous l'échange", now=now)
    accepted, _rejected = process_uploads([png()], allow_pdf=True)
    contact = contact_request_create(topic="purchase", body="Ma question", email=roles["buyer"].email,
                                     language="fr", now=now, requester=roles["buyer"], order=roles["order"],
                                     files=accepted)
    return {
        **roles,
        "claim": claim,
        "proposal": proposal,
        "claim_attachment": claim.attachments.first(),
        "contact": contact,
        "contact_attachment": contact.attachments.first(),
    }


def real_value(world, url_name: str, argument: str) -> str:
    """The real object of the right kind for one path argument of one URL."""
    if argument == "number":
        return world["order"].number
    if argument == "slug":
        return "colis-non-recu"
    if argument == "reference":
        return world["contact"].reference
    if argument == "proposal_pk":
        return str(world["proposal"].pk)
    if argument == "uidb64":
        return "MQ"
    if argument == "token":
        return "set-password"
    if url_name.startswith("helpdesk:attachment"):
        return str(world["contact_attachment"].pk)
    if url_name.startswith("claims:attachment"):
        return str(world["claim_attachment"].pk)
    return str(world["claim"].pk)


def fill(route: str, value_for) -> str:
    return "/" + ARGUMENT.sub(lambda match: value_for(match["name"]), route)


def clients(world, *, csrf=False, roles=ROLES) -> dict[str, Client]:
    made = {}
    for role in roles:
        client = Client(enforce_csrf_checks=csrf)
        if role != "anonymous":
            client.force_login(world[role])
        made[role] = client
    return made


def where(error: Exception) -> str:
    """The exception and the deepest line of our own code it went through."""
    ours = [frame for frame in traceback.extract_tb(error.__traceback__)
            if "/site-packages/" not in frame.filename and "/lib/python" not in frame.filename]
    place = f"{ours[-1].filename}:{ours[-1].lineno} {ours[-1].line}" if ours else "Django itself"
    return f"{type(error).__name__}: {str(error)[:200]} at {place}"


class Recorder:
    """Runs requests and keeps every one that ended in a server error (an exception or a 5xx)."""

    def __init__(self):
        self.failures = []

    def __call__(self, client, method, url, role, data=None, *, check=None):
        label = f"{role} {method} {url[:120]!r} data={str(data)[:80]!r}"
        try:
            if method == "GET":
                response = client.get(url, data or {})
            else:
                response = client.post(url, data or {})
        except Exception as error:  # noqa: BLE001 — the whole point is to collect them
            self.failures.append(f"{label}: {where(error)}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{label}: {response.status_code}")
        elif check is not None and not check(response):
            self.failures.append(f"{label}: unexpected {response.status_code} {response.get('Location', '')}")
        return response

    def assert_none(self):
        assert not self.failures, "\n\n".join(self.failures)


class FormFields(HTMLParser):
    """The names of a page's inputs, its file inputs, and the values of its hidden inputs."""

    def __init__(self):
        super().__init__()
        self.names, self.files, self.hidden = set(), set(), {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag not in ("input", "select", "textarea", "button") or not name or name == "csrfmiddlewaretoken":
            return
        kind = (attrs.get("type") or "").lower()
        if kind == "file":
            self.files.add(name)
            return
        self.names.add(name)
        if kind == "hidden":
            self.hidden[name] = attrs.get("value") or ""


def field_names(response) -> tuple[list[str], list[str], dict[str, str]]:
    """The form field names, file field names and hidden values a page shows."""
    if response is None or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return [], [], {}
    parser = FormFields()
    parser.feed(response.content.decode(errors="replace"))
    return sorted(parser.names), sorted(parser.files), parser.hidden


def form_fields(client, url, page) -> tuple[list[str], list[str], dict[str, str]]:
    """The fields of the page, or, for a POST-only action, of the nearest page above it (its form lives there)."""
    names, files, hidden = field_names(page)
    while not names and url.strip("/"):
        url = url.rstrip("/").rsplit("/", 1)[0] + "/"
        names, files, hidden = field_names(client.get(url))
    return names, files, hidden


def garbage_payloads(names, files, hidden=None):
    """The garbage values spread over the fields at two offsets, with garbage then real hidden fields
    (a form's step or token must be right for its fields to be read at all), then NUL bytes everywhere."""
    payloads = []
    for offset in (0, 5):
        body = {name: GARBAGE_VALUES[(index + offset) % len(GARBAGE_VALUES)] for index, name in enumerate(names)}
        for index, name in enumerate(files):
            body[name] = (SimpleUploadedFile("vide.jpg", b"", content_type="image/jpeg") if (index + offset) % 2
                          else SimpleUploadedFile("notes.jpg", b"just some text", content_type="image/jpeg"))
        payloads.append(body)
        if hidden:
            payloads.append({**body, **hidden})
    payloads.append({name: f"a\x00b{LONG[:50]}" for name in names})
    return payloads


def not_found_or_login(response) -> bool:
    """A garbage id is a 404 (405 for a POST-only action), or a redirect to a login page or within the admin.

    The admin sends an unknown id to its index, and a non-numeric one to `<id>/change/` first (Django's own way).
    """
    if response.status_code in (404, 405):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and ("connexion" in location or "login" in location
                                            or location.startswith("/admin/"))


# password_reset_confirm answers 200 "invalid link" to anything; the admin lists take no argument.
LENIENT_GARBAGE = {"password_reset_confirm"}


@pytest.mark.parametrize(("route", "url_name"), ALL_URLS, ids=[name for _route, name in ALL_URLS])
def test_no_url_answers_a_server_error_to_any_role_or_input(world, route, url_name):
    run, by_role, seen = Recorder(), clients(world), {}
    url = fill(route, lambda argument: real_value(world, url_name, argument))
    query = {name: value for name, value in zip(QUERY_NAMES * 2, GARBAGE_VALUES)}
    for role, client in by_role.items():
        page = run(client, "GET", url, role)
        run(client, "GET", url, role, query)
        run(client, "GET", url, role, {name: "a\x00b" for name in QUERY_NAMES})
        names, files, hidden = form_fields(client, url, page)
        seen[role] = names + files
        run(client, "POST", url, role)
        for body in garbage_payloads(names, files, hidden):
            run(client, "POST", url, role, body)
            run(client, "GET", url, role, {name: value for name, value in body.items() if name not in files})
    if ARGUMENT.search(route):
        check = None if url_name in LENIENT_GARBAGE else not_found_or_login
        for garbage in GARBAGE_ARGS:
            garbage_url = fill(route, lambda _argument, garbage=garbage: quote(garbage, safe=""))
            for role, client in by_role.items():
                run(client, "GET", garbage_url, role, check=check)
            for role in ("buyer", "staff"):
                run(by_role[role], "POST", garbage_url, role)
    run.assert_none()
    if url_name in FORM_PAGES:
        assert seen["buyer"] or seen["staff"], "the fuzzer found no form field to fill"


@pytest.mark.parametrize(("route", "url_name"), ALL_URLS, ids=[name for _route, name in ALL_URLS])
def test_unicode_digits_nul_bytes_and_long_values_in_every_parameter_and_field_are_no_server_error(
        world, route, url_name):
    """Each tricky value in every query parameter and every form field at once, for every role, GET and POST."""
    run, by_role = Recorder(), clients(world, roles=ALL_ROLES)
    url = fill(route, lambda argument: real_value(world, url_name, argument))
    for role, client in by_role.items():
        names, files, hidden = form_fields(client, url, run(client, "GET", url, role))
        for value in TRICKY_VALUES:
            run(client, "GET", url, role, {name: value for name in set(QUERY_NAMES) | set(names)})
            body = {name: value for name in names}
            run(client, "POST", url, role, body)
            if hidden:
                # With the real step and token, so the form reads its fields instead of stopping at them.
                run(client, "POST", url, role, {**body, **hidden})
    run.assert_none()


# Pages whose forms the fuzzer must find (it would silently post empty bodies otherwise).
FORM_PAGES = {"claims:detail", "claims:message", "claims:propose", "claims:wizard", "orders:detail",
              "helpdesk:contact_form", "helpdesk:request_detail", "login", "admin:claims_claim_note"}


def test_a_post_without_its_csrf_token_gets_the_403_page_not_a_500(world):
    run, by_role = Recorder(), clients(world, csrf=True)
    urls = [reverse("claims:message", args=[world["claim"].pk]), reverse("helpdesk:contact_form"),
            reverse("set_language"), reverse("claims:notifications_read"),
            reverse("admin:claims_claim_note", args=[world["claim"].pk])]
    for role in ("anonymous", "buyer", "staff"):
        for url in urls:
            response = run(by_role[role], "POST", url, role, {"body": "Bonjour"})
            if response is not None:
                assert response.status_code == 403, url
                assert b"<html" in response.content.lower(), url
    run.assert_none()


def test_the_walk_finds_every_app_page():
    names = {name for _route, name in SITE_URLS}
    assert {"orders:detail", "claims:wizard", "claims:accept", "helpdesk:request_detail", "helpdesk:attachment",
            "login", "set_language"} <= names


def test_every_step_of_the_claim_wizard_survives_garbage_and_keeps_going(world):
    """Garbage (including a 0-byte photo and a text file named .jpg) on each step, then the real answer."""
    from tests.claims.test_wizard import Wizard

    run, client = Recorder(), Client()
    client.force_login(world["buyer"])
    wizard = Wizard(client, world["order"])
    response = wizard.start()
    valid = {"reason": {"reason": "damaged"}, "items": {"items": [line.pk for line in world["order"].lines.all()]},
             "details": {"description": "Écran fissuré"}, "photos": {}}
    visited = []
    while response is not None and response.status_code == 200 and response.context["step_name"] in valid:
        step = response.context["step_name"]
        visited.append(step)
        names, files, hidden = field_names(response)
        for body in garbage_payloads(names, files, hidden):
            run(client, "POST", wizard.url, "buyer", body)
        response = wizard.post(step, valid[step])
    assert visited == ["reason", "items", "details", "photos"], visited
    assert response.status_code == 200 and response.context["step_name"] == "review"
    run.assert_none()


@pytest.mark.parametrize("language", ["xx", "é🎉", "a" * 500, "../../etc/passwd", "en;q=NaN,,;;"])
def test_a_garbage_language_cookie_or_header_still_shows_the_pages(world, settings, language):
    run = Recorder()
    for role in ("anonymous", "buyer"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language.encode("ascii", "replace").decode()
        if role == "buyer":
            client.force_login(world["buyer"])
        for url in ["/", reverse("helpdesk:index"), reverse("orders:purchases"),
                    reverse("claims:detail", args=[world["claim"].pk])]:
            response = run(client, "GET", url, role)
            assert response is None or response.status_code in (200, 302), url
    run.assert_none()
