"""Browser tests: Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server.

Fixtures: `browser` (one Chromium per session), `page` (a fresh French context per test, 10 s timeouts,
console errors collected in `page_errors`), `demo_data` (the demo accounts of seed_demo) and `login`
(signs in through the real form, so the axes throttling sits in the path).
"""
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DEMO_PASSWORD = "demo-2026"
TIMEOUT_MS = 10_000
# Where a failing test leaves a screenshot of each of its browsers (and, with E2E_TRACE=1, a Playwright trace:
# `playwright show-trace <file>.zip` replays every action, frame and websocket message).
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "/tmp/e2e-artifacts"))
TRACE = os.environ.get("E2E_TRACE", "") not in ("", "0")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _live_server_media_url():
    # MEDIA_URL is None (uploads have no public URL) but the live server's media handler parses it at start:
    # an address on another host makes that handler step aside for every request.
    with override_settings(MEDIA_URL="http://no-public-media.invalid/"):
        yield


@pytest.fixture(scope="session")
def live_server(django_db_setup, _live_server_media_url, live_server):
    """pytest-django's live server, started once the test database exists (so SQLite in memory is shared)."""
    return live_server


def _console_error(message, errors):
    # A failed asset is reported with its address by _failed_asset; the console only says "Failed to load".
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _failed_asset(response, errors):
    """A stylesheet, script or image that did not load (pages answering 404 on purpose are not assets)."""
    if response.status >= 400 and response.request.resource_type != "document" and not response.url.endswith("/favicon.ico"):
        errors.append(f"{response.status} {response.url}")


@pytest.fixture
def page_errors():
    """Console errors, uncaught exceptions and assets that failed to load (a CSP violation shows here)."""
    return []


def _new_tab(browser, live_server, page_errors):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.on("console", lambda message: _console_error(message, page_errors))
    tab.on("pageerror", lambda error: page_errors.append(str(error)))
    tab.on("response", lambda response: _failed_asset(response, page_errors))
    if TRACE:
        context.tracing.start(screenshots=True, snapshots=True)
    return context, tab


def _close_tab(context, tab, request, suffix=""):
    """Close a browser; if its test failed, leave its screenshot (and trace) in ARTIFACTS, named after the test."""
    if getattr(request.node, "e2e_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = f"{request.node.name}{suffix}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001 — a page that cannot be shot must not hide the test's own failure
            print(f"no screenshot of {name}: {exc}")
        if TRACE:
            context.tracing.stop(path=str(ARTIFACTS / f"{name}.zip"))
    elif TRACE:
        context.tracing.stop()
    context.close()


@pytest.fixture
def page(browser, live_server, page_errors, request):
    context, tab = _new_tab(browser, live_server, page_errors)
    yield tab
    _close_tab(context, tab, request)


@pytest.fixture
def second_page(browser, live_server, page_errors, request):
    """Another person's browser, beside `page` (the seller's while `page` is the buyer's, say)."""
    context, tab = _new_tab(browser, live_server, page_errors)
    yield tab
    _close_tab(context, tab, request, "-second")


@pytest.fixture
def demo_data(transactional_db):
    """The demo accounts and orders (alice, bob, boutique-paris, marc, agent; password demo-2026)."""
    call_command("seed_demo", stdout=io.StringIO())


def log_in(page, live_server, username, password=DEMO_PASSWORD):
    """Sign in through the login form and wait until the site has let us in."""
    from playwright.sync_api import expect

    page.goto(live_server.url + reverse("login"))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: reverse("login") not in url)
    expect(page.locator(f'nav.navbar a[title="{username}"]')).to_be_visible()


@pytest.fixture
def login():
    """`login(page, live_server, username, password="demo-2026")`."""
    return log_in
