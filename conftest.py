"""Suite-wide fixtures: uploads go to a temporary folder, never to the real private media."""
import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private-media"), "base_url": None}},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached navbars and pages must not outlive the rows they show."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- The accessibility run's figure (tests/e2e/test_accessibility.py reports its checks as a property) ---
_A11Y_CHECKS = []


def pytest_runtest_logreport(report):
    # Runs in the main process under xdist too: a report carries its test's user_properties.
    if report.when == "call":
        for name, value in report.user_properties:
            if name == "a11y_checks":
                _A11Y_CHECKS.extend(tuple(check) for check in value)


def pytest_terminal_summary(terminalreporter):
    if not _A11Y_CHECKS:
        return
    pages = {(name, role) for name, role, *_ in _A11Y_CHECKS}
    roles = {role for _, role, *_ in _A11Y_CHECKS}
    languages = {language for _, _, language, *_ in _A11Y_CHECKS}
    widths = {width for *_, width, _ in _A11Y_CHECKS}
    violations = sum(found for *_, found in _A11Y_CHECKS)
    terminalreporter.write_sep("-", "accessibility (axe-core, WCAG 2.2 A/AA)")
    terminalreporter.write_line(
        f"{len(pages)} pages over {len(roles)} roles × {len(languages)} languages × {len(widths)} widths "
        f"= {len(_A11Y_CHECKS)} checks, violations {violations}"
    )
